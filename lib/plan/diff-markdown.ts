import type { PlanDiff, ResourceChange } from "./diff";
import { hasChanges } from "./diff";
import { showValue } from "./facts";
import { Risk, severityOf } from "./risk";

/** The PR comment: flagged risks first, then what changed, was added and was removed, in words. */
export function renderDiffMarkdown(diff: PlanDiff): string {
  const stacks = diff.base.stack === diff.head.stack ? `\`${diff.head.stack}\`` : `\`${diff.base.stack}\` → \`${diff.head.stack}\``;
  const out = [`# Plan diff for ${stacks}`, ""];
  if (!hasChanges(diff)) return [...out, "No changes: the head declares exactly what the base declares.", ""].join("\n");

  out.push(
    `${diff.risks.length === 0 ? "No risks flagged" : `**⚠️ ${diff.risks.length} risk${diff.risks.length === 1 ? "" : "s"} flagged**`}; ` +
      `${diff.changed.length} changed, ${diff.added.length} added, ${diff.removed.length} removed.`,
    "",
  );
  if (diff.risks.length > 0) {
    out.push("## ⚠️ Flagged risks", "");
    out.push(...groupedRisks(diff.risks), "");
  }
  section(out, "Changed", diff.changed, (c) => c.fields.map((f) => `- ${f.text}`));
  section(out, "Added", diff.added, (c) => c.fields.map((f) => `- **${f.label}:** ${showValue(f.after ?? "")}`));
  section(out, "Removed", diff.removed, () => []);
  return out.join("\n");
}

/**
 * One line per risk, except that the same change across several resources (same kind and subject) is one line
 * naming them all, with each resource's own line folded underneath.
 */
function groupedRisks(risks: readonly Risk[]): string[] {
  const lines: string[] = [];
  const done = new Set<Risk>();
  for (const risk of risks) {
    if (done.has(risk)) continue;
    const same = risk.subject ? risks.filter((r) => r.kind === risk.kind && r.subject === risk.subject) : [risk];
    same.forEach((r) => done.add(r));
    const tag = `**${severityOf(risk).toUpperCase()} ${risk.kind}**`;
    if (same.length === 1) {
      lines.push(`- ${tag}: ${risk.message}`);
      continue;
    }
    const names = same.map((r) => r.resource);
    lines.push(
      `- ${tag}: ${risk.subject} in ${same.length} resources: ${names.join(", ")}`,
      `  <details><summary>each resource</summary>`,
      "",
      ...same.map((r) => `  - ${r.message}`),
      "",
      "  </details>",
    );
  }
  return lines;
}

function section(out: string[], heading: string, changes: readonly ResourceChange[], body: (c: ResourceChange) => string[]): void {
  if (changes.length === 0) return;
  out.push(`## ${heading} (${changes.length})`, "");
  for (const change of changes) {
    const lines = body(change);
    out.push(`### ${change.kind}: ${change.title}`, "", ...lines, ...(lines.length ? [""] : []));
  }
}
