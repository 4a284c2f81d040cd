import * as fs from "node:fs";
import { createProgress } from "../lib/plan/progress";
import { Plan, recordPlan } from "../lib/plan/record";
import { fromGraphJson } from "../lib/whatif/graph-json";
import { connectionFor, createGraphClient } from "../lib/graph";
import { isGuid } from "../lib/problems";
import { targetLabel } from "../lib/whatif/describe";
import { compareLive, LiveDisagreement } from "../lib/whatif/live";
import { lockoutFindings, throwIfLockout } from "../lib/whatif/lockout";
import { runMatrix, targetsOf } from "../lib/whatif/matrix";
import { buildPersonas } from "../lib/whatif/personas";
import { renderWhatifMarkdown } from "../lib/whatif/render";
import { loadLockoutContext } from "../lib/whatif/settings";
import { fromPlan, PolicySource } from "../lib/whatif/sources";
import type { CliIo } from "./io";

export interface WhatifOptions {
  stack: string;
  root: string;
  markdown?: string;
  json?: string;
  live?: boolean;
  /** Evaluate these Graph JSON policies (a tenant export or a public baseline) instead of the stack's plan. */
  graphPolicies?: string;
  /** Named locations for `graphPolicies`, as Graph JSON. */
  graphLocations?: string;
}

/**
 * `whatif`: records the stack offline, evaluates the persona matrix, prints the reviewer's table, and fails
 * (exit 2) naming persona, app and policy when an enabled policy would block or challenge a protected account.
 */
export async function runWhatif(options: WhatifOptions, io: CliIo): Promise<void> {
  const progress = createProgress(io.stderr);
  const context = loadLockoutContext(options.root, options.stack);
  const personas = buildPersonas(context.tenant, context.customPersonas);
  const source = options.graphPolicies ? readGraphExport(options.graphPolicies, options.graphLocations) : fromPlan(await planOf(options, progress));
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

async function planOf(options: WhatifOptions, progress: (message: string) => void): Promise<Plan> {
  progress(`recording stack ${options.stack} offline under Pulumi mocks`);
  return recordPlan({ root: options.root, stack: options.stack });
}

/** Graph JSON files (what `GET /identity/conditionalAccess/policies` returns); errors name the file. */
function readGraphExport(policiesFile: string, locationsFile: string | undefined): PolicySource {
  const read = (file: string): unknown => {
    try {
      return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
      throw new Error(`whatif: ${file} is not readable JSON: ${(err as Error).message}`);
    }
  };
  try {
    return fromGraphJson(read(policiesFile), locationsFile ? read(locationsFile) : []);
  } catch (err) {
    throw new Error(`whatif: ${policiesFile}: ${(err as Error).message}`);
  }
}
