import { ProblemList } from "../problems";
import type { Plan } from "../plan/record";
import type { TenantSettings } from "../tenant-settings";
import { describeWhere, targetLabel } from "./describe";
import { isEnforced, needsAPerson } from "./evaluate";
import { MatrixCell, runMatrix } from "./matrix";
import { buildPersonas, CustomPersona, Persona } from "./personas";
import { fromPlan, PolicySource } from "./sources";
import { EVERYDAY_CONTEXT, lockoutContexts } from "./contexts";
import { WideImpactRisk, wideImpactFindings } from "./wide-impact";

/** An enabled policy that would block or challenge a protected persona. */
export interface LockoutFinding {
  readonly persona: string;
  readonly policy: string;
  /** `block`, or the controls the policy would demand (`mfa`, `termsOfUse:<id>`, ...). */
  readonly effect: string;
  readonly targets: readonly string[];
  readonly where: string;
  /** The persona signs in unattended (a Teams Rooms console): what it cannot answer stops the room, not the tenant. */
  readonly unattended?: boolean;
  /** Set for a wide-impact finding: the risk a policy can acknowledge (`acknowledgedRisks`) instead of changing. */
  readonly acknowledge?: WideImpactRisk;
}

/**
 * Protected personas (sync, break-glass, and custom ones marked protected) against *enabled* policies only:
 * report-only policies enforce nothing, so they cannot lock anyone out. Findings are grouped per persona and
 * policy so one forgotten exclusion reads as one line, not one line per app and platform.
 */
export function findLockouts(cells: readonly MatrixCell[], contexts: readonly string[] = [EVERYDAY_CONTEXT.name]): LockoutFinding[] {
  const groups = new Map<string, { persona: string; unattended: boolean; policy: string; effect: string; cells: MatrixCell[] }>();
  for (const cell of cells) {
    if (!cell.persona.protected) continue;
    const o = cell.evaluation.enforced;
    // An unattended account (a Teams Rooms console) is locked out only by what needs a person; its device-based
    // controls and blocks are what its own policies are for.
    const unattended = cell.persona.unattended === true;
    const hits = [
      ...(unattended ? [] : o.blockedBy.map((policy) => ({ policy, effect: "block" }))),
      ...o.requirements
        .filter((r) => !unattended || needsAPerson(r))
        .map((r) => ({ policy: r.policy, effect: `require ${r.controls.join(r.operator === "AND" ? " and " : " or ")}` })),
      // Conservative: a policy that may apply is treated as applying, with the reason it cannot be decided.
      ...o.undetermined
        .filter((u) => !unattended || (u.requirement !== undefined && needsAPerson(u.requirement)))
        .map((u) => ({ policy: u.policy, effect: `possibly ${u.effect} (not evaluable offline: ${u.because.join("; ")})` })),
    ];
    for (const hit of hits) {
      const key = `${cell.persona.key}\u0000${hit.policy}\u0000${hit.effect}`;
      const group = groups.get(key) ?? { persona: cell.persona.label, unattended, policy: hit.policy, effect: hit.effect, cells: [] };
      group.cells.push(cell);
      groups.set(key, group);
    }
  }
  return [...groups.values()]
    .map((g) => ({
      persona: g.persona,
      policy: g.policy,
      effect: g.effect,
      ...(g.unattended ? { unattended: true } : {}),
      targets: [...new Set(g.cells.map((c) => targetLabel(c.target)))].sort(),
      where: describeWhere(g.cells, contexts),
    }))
    .sort((a, b) => a.persona.localeCompare(b.persona) || a.policy.localeCompare(b.policy) || a.effect.localeCompare(b.effect));
}

/** Throws a `ValidationError` naming tenant, policy, persona, apps and effect for each finding. */
export function throwIfLockout(stack: string, findings: readonly LockoutFinding[]): void {
  const problems = new ProblemList([`tenant ${stack}`]);
  for (const f of findings) {
    if (f.acknowledge) {
      problems.add(
        [`policy ${f.policy}`, f.persona],
        `this enabled policy ${f.where}`,
        `reportOnly, a narrower policy, or, if intended, acknowledgedRisks: { ${f.acknowledge}: { reason: "…" } } on the policy (shown in every plan)`,
      );
      continue;
    }
    if (f.unattended) {
      problems.add(
        [`policy ${f.policy}`, f.persona],
        `this enabled policy would ${f.effect} for ${f.persona} signing in to ${f.targets.join(", ")} (${f.where}): nobody is at a room console to answer it, so the room stops signing in`,
        "keep the built-in room-account exclusion (remove exclusionOptOut.roomAccounts), give the rooms device-based controls only (compliant device, trusted location), or set the policy to reportOnly",
      );
      continue;
    }
    problems.add(
      [`policy ${f.policy}`, f.persona],
      `this enabled policy would ${f.effect} for ${f.persona} signing in to ${f.targets.join(", ")} (${f.where}), which locks the tenant out`,
      "keep the built-in directory-sync, break-glass and room-account exclusions (remove the exclusionOptOut or the hand-written resource), or set the policy to reportOnly",
    );
  }
  problems.throwIfAny();
}

export interface LockoutContext {
  readonly tenant: TenantSettings;
  readonly customPersonas?: readonly CustomPersona[];
}

/** The check `plan` and `whatif` run: no plan, and a failing exit, for a stack that would lock itself out. */
export function assertNoLockout(plan: Plan, context: LockoutContext): void {
  assertSourceHasNoLockout(fromPlan(plan), context);
}

export function assertSourceHasNoLockout(source: PolicySource, context: LockoutContext): void {
  throwIfLockout(context.tenant.stack, lockoutFindings(source, buildPersonas(context.tenant, context.customPersonas ?? [])));
}

/** The one lockout check `plan` and `whatif` share: every persona, in the everyday, risky and named-location contexts. */
export function lockoutFindings(source: PolicySource, personas: readonly Persona[]): LockoutFinding[] {
  const contexts = lockoutContexts(source);
  // Only protected personas and enforced policies can produce a finding, and the extra contexts multiply the
  // matrix, so evaluate only those. Apps named only by report-only policies add nothing: an enforced policy
  // reaches them as it reaches any other app, which the matrix's unnamed app stands for.
  const protectedPersonas = personas.filter((p) => p.protected);
  const enforced: PolicySource = { ...source, policies: source.policies.filter(isEnforced) };
  const wide = wideImpactFindings(enforced, personas).map((w): LockoutFinding => ({
    persona: w.persona,
    policy: w.policy,
    effect: "block",
    targets: [],
    where: w.what,
    acknowledge: w.risk,
  }));
  return [
    ...findLockouts(
      runMatrix(enforced, protectedPersonas, contexts),
      contexts.map((c) => c.name),
    ),
    ...wide,
  ];
}
