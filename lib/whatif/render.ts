import { describeOutcome, describeWhere, targetLabel } from "./describe";
import type { Outcome } from "./evaluate";
import type { MatrixCell } from "./matrix";
import type { LockoutFinding } from "./lockout";

/**
 * The reviewer's table: persona × target → what enabled policies enforce, and separately what report-only policies
 * would do. Within a row, each distinct outcome is listed with the clients / platforms / devices it occurs on.
 */
export function renderWhatifMarkdown(stack: string, cells: readonly MatrixCell[], findings: readonly LockoutFinding[]): string {
  const byPersona = groupBy(cells, (c) => c.persona.key);
  const targetCount = new Set(cells.map((c) => c.target)).size;
  const out = [`# What-if for tenant stack \`${stack}\``, ""];
  if (findings.length > 0) {
    out.push(`## ⛔ Lockout: ${findings.length} finding(s)`, "");
    for (const f of findings) {
      if (f.acknowledge) out.push(`- **${f.persona}**: \`${f.policy}\` ${f.where} (acknowledge it as \`${f.acknowledge}\` if intended)`);
      else out.push(`- **${f.persona}**: \`${f.policy}\` would ${f.effect} on ${f.targets.join(", ")} (${f.where})`);
    }
    out.push("");
  }
  for (const [title, pick] of [
    ["Enforced (enabled policies)", (c: MatrixCell) => c.evaluation.enforced],
    ["Report-only (would apply, not enforced)", (c: MatrixCell) => c.evaluation.reportOnly],
  ] as const) {
    out.push(`## ${title}`, "", "| Persona | Targets | Outcome |", "|---|---|---|");
    for (const personaCells of byPersona.values()) {
      const persona = personaCells[0].persona;
      // Targets with the same outcome share a row, so a persona nothing applies to takes one line.
      const rows = new Map<string, string[]>();
      for (const [target, group] of groupBy(personaCells, (c) => c.target)) {
        const summary = summarize(group, pick);
        rows.set(summary, [...(rows.get(summary) ?? []), targetLabel(target)]);
      }
      for (const [summary, targets] of rows) {
        const what = targets.length === targetCount && targetCount > 1 ? `every target tried (${targetCount})` : targets.sort().join(", ");
        out.push(`| ${escape(persona.label)}${persona.protected ? " 🔒" : ""} | ${escape(what)} | ${escape(summary)} |`);
      }
    }
    out.push("");
  }
  out.push("🔒 protected persona: an enabled policy that blocks or challenges it fails `whatif` and `plan`.", "");
  return out.join("\n");
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function summarize(cells: readonly MatrixCell[], pick: (c: MatrixCell) => Outcome): string {
  const byOutcome = groupBy(cells, (c) => describeOutcome(pick(c)));
  if (byOutcome.size === 1) return [...byOutcome.keys()][0];
  return [...byOutcome.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([text, group]) => `${text} — ${describeWhere(group)}`)
    .join("<br>");
}

function escape(text: string): string {
  return text.replace(/\|/g, "\\|");
}
