import * as fs from "node:fs";
import { hasBlocking, runPreflight } from "../lib/preflight/checks";
import { renderPreflightMarkdown } from "../lib/preflight/render";
import { createProgress } from "../lib/plan/progress";
import { readStackConfig, recordPlan } from "../lib/plan/record";
import { tenantSettingsFromConfig } from "../lib/stack-config";
import { EXIT, type CliIo } from "./io";

export interface PreflightCliOptions {
  stack: string;
  root: string;
  markdown?: string;
  /** Non-default endpoints (a sovereign-cloud proxy; the local test server). */
  graphUrl?: string;
  authorityHost?: string;
  exchangeUrl?: string;
  /** `--no-dns`: false. @default true (SPF includes are resolved live) */
  dns?: boolean;
}

/**
 * `preflight`: read-only checks of the live tenant against what the stack names, before `pulumi up`. Prints the
 * table (or writes it with --markdown, e.g. to $GITHUB_STEP_SUMMARY) and exits 2 on any blocking finding.
 */
export async function runPreflightCommand(options: PreflightCliOptions, io: CliIo): Promise<void> {
  const progress = createProgress(io.stderr);
  const tenant = tenantSettingsFromConfig(readStackConfig(options.root, options.stack), options.stack);
  progress(`recording stack ${options.stack} offline to list what it names`);
  const plan = await recordPlan({ root: options.root, stack: options.stack });
  const endpoints = {
    ...(options.graphUrl ? { graphUrl: options.graphUrl } : {}),
    ...(options.authorityHost ? { authorityHost: options.authorityHost } : {}),
    ...(options.exchangeUrl ? { exchangeUrl: options.exchangeUrl } : {}),
  };
  // --no-dns, or M365_BASELINE_NO_DNS=1 beside the other endpoint overrides (a CI job without public DNS).
  const noDns = options.dns === false || process.env.M365_BASELINE_NO_DNS === "1";
  const report = await runPreflight({ tenant, plan, endpoints, progress, ...(noDns ? { resolveTxt: false as const } : {}) });
  const markdown = renderPreflightMarkdown(report);
  if (options.markdown) fs.writeFileSync(options.markdown, markdown);
  io.stdout.write(markdown);
  if (hasBlocking(report)) io.exitCode = EXIT.error;
}
