import * as fs from "node:fs";
import { renderPlanMarkdown } from "../lib/plan/markdown";
import { createProgress } from "../lib/plan/progress";
import { locateProgram, runProgram } from "../lib/plan/program";
import { recordPlan } from "../lib/plan/record";
import { assertNoLockout } from "../lib/whatif/lockout";
import { loadLockoutContext } from "../lib/whatif/settings";
import type { CliIo } from "./io";

export interface PlanOptions {
  stack: string;
  json?: string;
  markdown?: string;
  root: string;
}

/** `plan`: records the stack offline; writes JSON/Markdown files, or the Markdown to stdout when no file is given. */
export async function runPlan(options: PlanOptions, io: CliIo): Promise<void> {
  const progress = createProgress(io.stderr);
  const program = locateProgram(options.root);
  if (program.compiledSkipped) progress(`planning from source, slower: ${program.compiledSkipped}`);
  progress(`recording stack ${options.stack} offline under Pulumi mocks`);
  const plan = await recordPlan({ root: options.root, stack: options.stack, program: () => runProgram(program, options.root) });
  // No plan for a stack that would lock its sync or break-glass accounts out (same check as `whatif`).
  assertNoLockout(plan, loadLockoutContext(options.root, options.stack));
  const markdown = renderPlanMarkdown(plan);
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(plan, null, 2) + "\n");
  if (options.markdown) fs.writeFileSync(options.markdown, markdown);
  if (!options.json && !options.markdown) io.stdout.write(markdown);
  progress(`${plan.resources.length} resources recorded`);
}
