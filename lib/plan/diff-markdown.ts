import type { PlanDiff, ResourceChange } from "./diff";
import { hasChanges } from "./diff";
import { showValue } from "./facts";

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
    out.push(...diff.risks.map((r) => `- **${r.kind}**: ${r.message}`), "");
  }
  section(out, "Changed", diff.changed, (c) => c.fields.map((f) => `- ${f.text}`));
  section(out, "Added", diff.added, (c) => c.fields.map((f) => `- **${f.label}:** ${showValue(f.after ?? "")}`));
  section(out, "Removed", diff.removed, () => []);
  return out.join("\n");
}

function section(out: string[], heading: string, changes: readonly ResourceChange[], body: (c: ResourceChange) => string[]): void {
  if (changes.length === 0) return;
  out.push(`## ${heading} (${changes.length})`, "");
  for (const change of changes) {
    const lines = body(change);
    out.push(`### ${change.kind}: ${change.title}`, "", ...lines, ...(lines.length ? [""] : []));
  }
}
