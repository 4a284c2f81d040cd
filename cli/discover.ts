import * as fs from "node:fs";
import * as path from "node:path";
import { Discovery, discoverTenant } from "../lib/discover/discover";
import { renderAdoption, renderConfigSnippet, RenderOptions, stackSettings } from "../lib/discover/render";
import { Connection, createGraphClient } from "../lib/graph";
import { createProgress } from "../lib/plan/progress";
import { Plan, readStackConfig, recordPlan } from "../lib/plan/record";
import { findPlaceholders } from "../lib/scaffold/placeholders";
import { TENANT_CONFIG_KEY } from "../lib/stack-config";
import { CREDENTIAL_KINDS } from "../lib/tenant-settings";
import type { CliIo } from "./io";

export interface DiscoverOptions {
  tenant: string;
  credential: string;
  stack?: string;
  root: string;
  config?: string;
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
