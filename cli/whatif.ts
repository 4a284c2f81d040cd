import * as fs from "node:fs";
import { createProgress } from "../lib/plan/progress";
import { recordPlan } from "../lib/plan/record";
import { connectionFor, createGraphClient } from "../lib/graph";
import { isGuid } from "../lib/problems";
import { targetLabel } from "../lib/whatif/describe";
import { compareLive, LiveDisagreement } from "../lib/whatif/live";
import { lockoutFindings, throwIfLockout } from "../lib/whatif/lockout";
import { runMatrix, targetsOf } from "../lib/whatif/matrix";
import { buildPersonas } from "../lib/whatif/personas";
import { renderWhatifMarkdown } from "../lib/whatif/render";
import { loadLockoutContext } from "../lib/whatif/settings";
import { fromPlan } from "../lib/whatif/sources";
import type { CliIo } from "./io";

export interface WhatifOptions {
  stack: string;
  root: string;
  markdown?: string;
  json?: string;
  live?: boolean;
}

/**
 * `whatif`: records the stack offline, evaluates the persona matrix, prints the reviewer's table, and fails
 * (exit 2) naming persona, app and policy when an enabled policy would block or challenge a protected account.
 */
export async function runWhatif(options: WhatifOptions, io: CliIo): Promise<void> {
  const progress = createProgress(io.stderr);
  progress(`recording stack ${options.stack} offline under Pulumi mocks`);
  const plan = await recordPlan({ root: options.root, stack: options.stack });
  const context = loadLockoutContext(options.root, options.stack);
  const personas = buildPersonas(context.tenant, context.customPersonas);
  const source = fromPlan(plan);
  progress(`evaluating ${source.policies.length} policies for ${personas.length} personas`);
  const cells = runMatrix(source, personas);
  const findings = lockoutFindings(source, personas);
  let markdown = renderWhatifMarkdown(options.stack, cells, findings);
  if (options.live) {
    const { tenant } = context;
    const client = createGraphClient(connectionFor(tenant));
    const { apps, userActions } = targetsOf(source);
    progress("asking Microsoft Graph's what-if evaluator for the real accounts (one call per persona, target and client type)");
    markdown += renderLive(await compareLive(client, source, personas, [...apps.filter(isGuid), ...userActions]));
  }
  if (options.markdown) fs.writeFileSync(options.markdown, markdown);
  else io.stdout.write(markdown);
  if (options.json)
    fs.writeFileSync(
      options.json,
      JSON.stringify({ stack: options.stack, findings, personas: personas.map((p) => ({ key: p.key, label: p.label, protected: p.protected })) }, null, 2) +
        "\n",
    );
  throwIfLockout(options.stack, findings);
}

function renderLive(disagreements: readonly LiveDisagreement[]): string {
  const out = ["## Live: Graph's what-if compared with the offline prediction", ""];
  if (disagreements.length === 0) return [...out, "No disagreement for the policies that exist in both the tenant and the stack.", ""].join("\n");
  out.push("| Persona | Target | Client | Policy | Graph says | Offline says |", "|---|---|---|---|---|---|");
  for (const d of disagreements) {
    out.push(
      `| ${d.persona} | ${targetLabel(d.target)} | ${d.clientApp} | ${d.policy} | ${d.live ? "applies" : "does not apply"} | ${d.offline ? "applies" : "does not apply"} |`,
    );
  }
  return [...out, ""].join("\n");
}
