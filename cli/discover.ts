import * as fs from "node:fs";
import { discoverTenant } from "../lib/discover/discover";
import { renderConfigSnippet, renderImports } from "../lib/discover/render";
import { Connection, createGraphClient } from "../lib/graph";
import { createProgress } from "../lib/plan/progress";
import { recordPlan } from "../lib/plan/record";
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
 * `discover`: signs in with @azure/identity, reads the tenant (read-only), prints the settings snippet and the
 * `pulumi import` commands on stdout; progress goes to stderr when it is a terminal.
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
  // A stack's plan maps existing objects to declared logical names; it is offline and needs no credentials.
  const plan =
    options.stack && fs.existsSync(`${options.root}/Pulumi.${options.stack}.yaml`)
      ? await recordPlan({ root: options.root, stack: options.stack }).catch(() => undefined)
      : undefined;
  const render = { stack: options.stack, plan, credential: connection.credential };
  const snippet = renderConfigSnippet(discovery, render);
  if (options.config) fs.writeFileSync(options.config, snippet);
  io.stdout.write(`${options.config ? `# settings written to ${options.config}\n` : snippet}\n${renderImports(discovery, render)}`);
}
