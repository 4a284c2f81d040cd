import * as fs from "node:fs";
import { diffPlans, hasChanges } from "../lib/plan/diff";
import { renderDiffMarkdown } from "../lib/plan/diff-markdown";
import { defaultDescribers } from "../lib/plan/registry";
import { readPlanFile } from "../lib/plan/schema";
import { CliIo, EXIT } from "./io";

export interface DiffOptions {
  markdown?: string;
  json?: string;
}

/**
 * `diff <base.json> <head.json>`: Markdown to stdout (or `--markdown FILE`), machine-readable diff with `--json`.
 * Exit code 0 when nothing changed, 1 when something did; a bad input file throws (exit 2).
 */
export function runDiff(baseFile: string, headFile: string, options: DiffOptions, io: CliIo): void {
  const base = readPlanFile(baseFile);
  const head = readPlanFile(headFile);
  const diff = diffPlans(base, head, defaultDescribers());
  const markdown = renderDiffMarkdown(diff);
  if (options.markdown) fs.writeFileSync(options.markdown, markdown);
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(diff, null, 2) + "\n");
  if (!options.markdown) io.stdout.write(markdown);
  io.exitCode = hasChanges(diff) ? EXIT.changes : EXIT.ok;
}
