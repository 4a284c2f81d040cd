import * as fs from "node:fs";
import { renderSessionPolicyRunbook } from "../components/cloud-app-security";
import { createProgress } from "../lib/plan/progress";
import { recordPlan } from "../lib/plan/record";
import type { CliIo } from "./io";

export interface RunbookOptions {
  stack: string;
  root: string;
  out?: string;
}

/**
 * `runbook --stack <tenant>`: the administrator's runbook for the tenant's Defender for Cloud Apps session policies
 * (portal-only: Microsoft offers no API to create them), every field in the portal's words with a fingerprint per
 * policy for the change record. Offline, from the stack's plan.
 */
export async function runRunbook(options: RunbookOptions, io: CliIo): Promise<void> {
  const progress = createProgress(io.stderr);
  progress(`recording stack ${options.stack} offline under Pulumi mocks`);
  const runbook = renderSessionPolicyRunbook(await recordPlan({ root: options.root, stack: options.stack }));
  if (options.out) fs.writeFileSync(options.out, runbook);
  else io.stdout.write(runbook);
}
