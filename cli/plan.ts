import * as fs from "node:fs";
import { renderPlanMarkdown } from "../lib/plan/markdown";
import { recordPlan } from "../lib/plan/record";

export interface PlanOptions {
  stack: string;
  json?: string;
  markdown?: string;
  root: string;
}

/** `plan`: records the stack offline; writes JSON/Markdown files, or the Markdown to stdout when no file is given. */
export async function runPlan(options: PlanOptions): Promise<void> {
  const plan = await recordPlan({ root: options.root, stack: options.stack });
  const markdown = renderPlanMarkdown(plan);
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(plan, null, 2) + "\n");
  if (options.markdown) fs.writeFileSync(options.markdown, markdown);
  if (!options.json && !options.markdown) process.stdout.write(markdown);
}
