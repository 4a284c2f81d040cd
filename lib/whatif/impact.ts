import { describeOutcome, describeWhere, targetLabel } from "./describe";
import { Evaluator, Outcome, verdict } from "./evaluate";
import { CLIENT_APPS, PLATFORMS, SignIn } from "./model";
import { DEVICE_STATES, MatrixCell, targetsOf } from "./matrix";
import type { Persona } from "./personas";
import type { PolicySource } from "./sources";

/** One group of sign-ins whose outcome a change alters: who, on what, where, before → after. */
export interface ImpactRow {
  readonly persona: string;
  readonly target: string;
  readonly where: string;
  readonly before: string;
  readonly after: string;
  /** `weaker`: less is asked (a block or requirement gone); `stronger`: more is asked; `changed`: different. */
  readonly direction: "weaker" | "stronger" | "changed";
}

const STRENGTH: Readonly<Record<string, number>> = { allow: 0, requirements: 1, block: 2 };

/**
 * What a change does to people: every persona × app (both plans' apps) × client × platform × device, in the everyday
 * context, evaluated on the base's and the head's enforced policies; the sign-ins whose outcome differs, grouped as
 * the lockout check groups them, weakenings first.
 */
export function impactOf(base: PolicySource, head: PolicySource, personas: readonly Persona[]): ImpactRow[] {
  const before = new Evaluator(base.policies, base.namedLocations);
  const after = new Evaluator(head.policies, head.namedLocations);
  const { apps, userActions } = targetsOf({ policies: [...base.policies, ...head.policies], namedLocations: [] });
  const targets = [...apps.map((app) => ({ key: app, target: { app } })), ...userActions.map((userAction) => ({ key: userAction, target: { userAction } }))];
  const groups = new Map<string, { row: Omit<ImpactRow, "where">; cells: MatrixCell[] }>();
  for (const persona of personas) {
    for (const t of targets) {
      for (const clientApp of CLIENT_APPS) {
        for (const platform of PLATFORMS) {
          for (const state of DEVICE_STATES) {
            const signIn: SignIn = { identity: persona.identity, target: t.target, clientApp, platform, device: state.device };
            const was = before.evaluate(signIn).enforced;
            const now = after.evaluate(signIn);
            const [b, a] = [describeOutcome(was), describeOutcome(now.enforced)];
            if (b === a) continue;
            const row = { persona: persona.label, target: targetLabel(t.key), before: b, after: a, direction: direction(was, now.enforced) };
            const key = [row.persona, row.target, b, a].join("\u0000");
            const group = groups.get(key) ?? { row, cells: [] };
            group.cells.push({ persona, target: t.key, clientApp, platform, deviceState: state.name, context: "", evaluation: now });
            groups.set(key, group);
          }
        }
      }
    }
  }
  const rank = { weaker: 0, changed: 1, stronger: 2 } as const;
  return [...groups.values()]
    .map(({ row, cells }) => ({ ...row, where: describeWhere(cells, [""]) }))
    .sort((x, y) => rank[x.direction] - rank[y.direction] || x.persona.localeCompare(y.persona) || x.target.localeCompare(y.target));
}

function direction(before: Outcome, after: Outcome): ImpactRow["direction"] {
  const [b, a] = [STRENGTH[verdict(before)], STRENGTH[verdict(after)]];
  if (a < b) return "weaker";
  if (a > b) return "stronger";
  // Same verdict, other requirements: fewer requirements is weaker.
  return after.requirements.length < before.requirements.length ? "weaker" : after.requirements.length > before.requirements.length ? "stronger" : "changed";
}

/** The reviewer's table, most severe first; capped so a sweeping change stays readable. */
export function renderImpactMarkdown(rows: readonly ImpactRow[], limit = 40): string {
  if (rows.length === 0) return "";
  const mark = { weaker: "⬇️ weaker", stronger: "⬆️ stronger", changed: "↔️ changed" } as const;
  const out = [
    "## Impact: who gets what, before → after",
    "",
    "Everyday sign-ins (no named location, no risk), enforced policies only.",
    "",
    "| | who | app | where | before | after |",
    "|---|---|---|---|---|---|",
    ...rows.slice(0, limit).map((r) => `| ${mark[r.direction]} | ${r.persona} | ${r.target} | ${r.where} | ${cell(r.before)} | ${cell(r.after)} |`),
  ];
  if (rows.length > limit) out.push("", `… and ${rows.length - limit} more (see \`--json\`).`);
  return out.join("\n") + "\n";
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|");
}
