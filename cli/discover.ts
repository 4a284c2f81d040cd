import * as fs from "node:fs";
import * as path from "node:path";
import { Discovery, discoverTenant } from "../lib/discover/discover";
import { matchExisting, renderAdoption, renderConfigSnippet, RenderOptions, stackSettings } from "../lib/discover/render";
import { cliCommand } from "../lib/command";
import { Connection, createGraphClient } from "../lib/graph";
import { createProgress } from "../lib/plan/progress";
import { Plan, readStackConfig, recordPlan } from "../lib/plan/record";
import { findPlaceholders } from "../lib/scaffold/placeholders";
import { TENANT_CONFIG_KEY, tenantSettingsFromConfig } from "../lib/stack-config";
import { CREDENTIAL_KINDS } from "../lib/tenant-settings";
import type { CliIo } from "./io";

export interface DiscoverOptions {
  tenant: string;
  credential: string;
  stack?: string;
  root: string;
  config?: string;
  /** Write a plan of the tenant's current conditional access, as this stack would declare it (needs --stack). */
  currentPlan?: string;
  /** Overrides for a non-public Graph / authority host (sovereign cloud proxies, tests). */
  graphUrl?: string;
  authorityHost?: string;
}

/**
 * `discover`: signs in with @azure/identity, reads the tenant (read-only), prints (or writes, with --config) the
 * stack's settings, with what the first `up` adopts; progress goes to stderr when it is a terminal.
 */
export async function runDiscover(options: DiscoverOptions, io: CliIo): Promise<void> {
  if (!(CREDENTIAL_KINDS as readonly string[]).includes(options.credential)) {
    throw new Error(`discover: --credential "${options.credential}" is not a credential kind. Allowed: ${CREDENTIAL_KINDS.join(", ")}`);
  }
  const progress = createProgress(io.stderr);
  const connection: Connection = {
    tenantId: options.tenant,
    credential: options.credential as Connection["credential"],
    ...(options.graphUrl ? { graphUrl: options.graphUrl } : {}),
    ...(options.authorityHost ? { authorityHost: options.authorityHost } : {}),
  };
  const discovery = await discoverTenant(createGraphClient(connection), progress);
  const file = options.stack ? path.join(options.root, `Pulumi.${options.stack}.yaml`) : undefined;
  const existing = file && fs.existsSync(file) ? readStackConfig(options.root, options.stack!) : undefined;
  const settings = { credential: connection.credential, ...(existing ? { existing } : {}) };
  const plan = options.stack ? await planForMatching(options.root, options.stack, discovery, settings, io) : undefined;
  const render = { stack: options.stack, plan, ...settings };
  const snippet = renderConfigSnippet(discovery, render);
  if (options.config) fs.writeFileSync(options.config, snippet);
  io.stdout.write(`${options.config ? `# settings written to ${options.config}\n` : snippet}\n${renderAdoption(discovery, render)}`);
  if (options.currentPlan) await writeCurrentPlan(options, discovery, render, io);
}

/** `--current-plan`: the tenant's policies today as a plan, and what the declaration cannot say about them. */
async function writeCurrentPlan(options: DiscoverOptions, d: Discovery, render: RenderOptions, io: CliIo): Promise<void> {
  if (!options.stack) throw new Error("discover: --current-plan needs --stack (the stack whose names and settings the current policies are planned with)");
  const settings = stackSettings(d, render);
  const placeholders = findPlaceholders(settings);
  if (placeholders.length > 0) {
    throw new Error(`discover: --current-plan needs real tenant settings; still placeholders: ${placeholders.map((p) => p.join(".")).join(", ")}`);
  }
  // The same adoption as the stack's settings: today's objects, taken over, so adoption itself is no difference.
  const adoption = matchExisting(d, render.plan);
  const adopt = { conditionalAccessPolicies: adoption.conditionalAccessPolicies, namedLocations: adoption.namedLocations };
  const tenant = tenantSettingsFromConfig({ [TENANT_CONFIG_KEY]: { ...settings, adopt } }, options.stack);
  const { recordCurrentPlan } = await import("./current-plan");
  const current = await recordCurrentPlan(options.root, options.stack, tenant, d, adoption, render.plan);
  fs.writeFileSync(options.currentPlan!, JSON.stringify(current.plan, null, 2) + "\n");
  const lines = [
    `# The tenant's conditional access today, planned as stack ${options.stack} declares it: ${options.currentPlan}`,
    `# Compare: ${cliCommand(`plan --stack ${options.stack} --json head.json`)} && ${cliCommand(`diff ${options.currentPlan} head.json`)}`,
    ...current.notes.map((n) => `#   ${n.policy}: ${n.note}`),
  ];
  io.stdout.write(lines.join("\n") + "\n");
}

/**
 * The stack's plan with the discovered settings, offline: which objects it declares, under which logical and display
 * names. The stack's own settings may still be placeholders (a fresh `new-tenant`), so the discovered ones stand in,
 * with a stand-in break-glass account when none was found (used for matching only, never written anywhere).
 */
async function planForMatching(
  root: string,
  stack: string,
  d: Discovery,
  settings: Pick<RenderOptions, "credential" | "existing">,
  io: CliIo,
): Promise<Plan | undefined> {
  const tenant = stackSettings(d, settings);
  // Break-glass placeholders (none found, none in the file) would stop the plan: a stand-in lets it match names.
  const hasBreakGlass = tenant.breakGlass !== undefined && findPlaceholders(tenant.breakGlass).length === 0;
  const config = {
    ...settings.existing,
    "azuread:tenantId": d.tenantId,
    [TENANT_CONFIG_KEY]: { ...tenant, ...(hasBreakGlass ? {} : { breakGlass: { users: [MATCHING_ONLY_PRINCIPAL] } }) },
  };
  try {
    return await recordPlan({ root, stack, config });
  } catch (err) {
    // Not progress: without the plan nothing is adopted, and the user must know why.
    io.stderr.write(
      `discover: could not plan stack ${stack} to match existing objects to its declarations, so nothing is adopted:\n${(err as Error).message}\n`,
    );
    return undefined;
  }
}

const MATCHING_ONLY_PRINCIPAL = { objectId: "0000000a-0000-4000-8000-000000000000", displayName: "(matching only)" };
