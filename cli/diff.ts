import * as fs from "node:fs";
import * as path from "node:path";
import { diffPlans, hasChanges } from "../lib/plan/diff";
import { renderDiffMarkdown } from "../lib/plan/diff-markdown";
import type { Plan } from "../lib/plan/record";
import { defaultDescribers } from "../lib/plan/registry";
import { readPlanFile } from "../lib/plan/schema";
import { impactOf, renderImpactMarkdown } from "../lib/whatif/impact";
import { buildPersonas, Persona } from "../lib/whatif/personas";
import { loadLockoutContext } from "../lib/whatif/settings";
import { fromPlan } from "../lib/whatif/sources";
import { CliIo, EXIT } from "./io";

export interface DiffOptions {
  markdown?: string;
  json?: string;
  /** Where `Pulumi.<stack>.yaml` is, for the impact table's personas. @default the current directory */
  root?: string;
  /** Exit 3 when a flagged risk is at least this severe (a CI gate). @default never */
  failOn?: string;
}

/**
 * `diff <base.json> <head.json>`: Markdown to stdout (or `--markdown FILE`), machine-readable diff with `--json`.
 * Exit code 0 when nothing changed, 1 when something did; a bad input file throws (exit 2).
 */
export function runDiff(baseFile: string, headFile: string, options: DiffOptions, io: CliIo): void {
  const base = readPlanFile(baseFile);
  const head = readPlanFile(headFile);
  const diff = diffPlans(base, head, defaultDescribers());
  const impact = hasChanges(diff) ? impactOf(fromPlan(base), fromPlan(head), personasFor(head, options.root ?? process.cwd())) : [];
  const markdown = renderDiffMarkdown(diff) + (impact.length > 0 ? `\n${renderImpactMarkdown(impact)}` : "");
  if (options.markdown) fs.writeFileSync(options.markdown, markdown);
  if (options.json) fs.writeFileSync(options.json, JSON.stringify({ ...diff, impact }, null, 2) + "\n");
  if (!options.markdown) io.stdout.write(markdown);
  io.exitCode = hasChanges(diff) ? EXIT.changes : EXIT.ok;
  if (options.failOn) {
    const levels = ["low", "medium", "high"];
    const floor = levels.indexOf(options.failOn);
    if (floor === -1) throw new Error(`diff: --fail-on "${options.failOn}" is not a severity. Allowed: ${levels.join(", ")}`);
    if (diff.risks.some((r) => levels.indexOf(r.severity ?? "medium") >= floor)) io.exitCode = EXIT.risks;
  }
}

/**
 * The tenant's personas when its settings are at hand (the review workflow runs `diff` in the head checkout);
 * otherwise the protected accounts the head plan's reviews name, beside the generic personas.
 */
function personasFor(head: Plan, root: string): Persona[] {
  if (fs.existsSync(path.join(root, `Pulumi.${head.stack}.yaml`))) {
    try {
      const context = loadLockoutContext(root, head.stack);
      return buildPersonas(context.tenant, context.customPersonas);
    } catch {
      // Settings that do not parse: the plan's own reviews still name who is protected.
    }
  }
  const reviews = head.resources.map(
    (r) => (r.inputs.review as { builtInExclusions?: { users?: Principal[]; groups?: Principal[] } } | undefined)?.builtInExclusions,
  );
  const users = unique(reviews.flatMap((b) => b?.users ?? []));
  const groups = unique(reviews.flatMap((b) => b?.groups ?? []));
  const tenant = {
    stack: head.stack,
    displayName: head.stack,
    tenantId: "00000000-0000-4000-8000-000000000000",
    directorySync: { accounts: [], servicePrincipals: [] },
    breakGlass: { users, groups },
    graph: { cloud: "global" as const, credential: "default" as const },
  };
  // Sync and break-glass users look alike in a plan's review: call them what they are to the diff, protected.
  return buildPersonas(tenant).map((p) => (p.kind === "breakGlass" ? { ...p, label: p.label.replace(/^break-glass account/, "protected account") } : p));
}

interface Principal {
  readonly objectId: string;
  readonly displayName: string;
}

function unique(principals: readonly Principal[]): Principal[] {
  return [...new Map(principals.map((p) => [p.objectId, p])).values()];
}
