import * as fs from "node:fs";
import { renderSessionPolicyRunbook } from "../components/cloud-app-security";
import {
  checkSessionPolicyExport,
  parseSessionPolicyExport,
  renderSessionPolicyCheck,
  SessionPolicyExport,
  sessionPoliciesInPlan,
  sessionPolicyExportOf,
} from "../components/cloud-app-security/portal-export";
import { cliCommand } from "../lib/command";
import { createProgress } from "../lib/plan/progress";
import { recordPlan } from "../lib/plan/record";
import { CliIo, EXIT } from "./io";

export interface RunbookOptions {
  stack: string;
  root: string;
  /** Where the Markdown goes (the runbook, or with `check` the check's report). @default stdout */
  out?: string;
  /** Also write the declaration as a session-policy export (the template `check` reads). @default not written */
  json?: string;
  /** Compare this session-policy export (filled from the portal) with the declaration instead of writing the runbook. */
  check?: string;
}

/**
 * `runbook --stack <tenant>`: the administrator's runbook for the tenant's Defender for Cloud Apps session policies
 * (portal-only: Microsoft offers no API to create them), every field in the portal's words with a fingerprint per
 * policy for the change record. Offline, from the stack's plan.
 *
 * `--json FILE` writes the declaration in the session-policy export shape; `--check FILE` compares such an export,
 * filled from the portal, with the declaration. Exit codes: 0 the export matches; 3 a declared policy differs or is
 * missing, or the export holds an undeclared one (the same code as `diff --fail-on`: a finding CI should stop on);
 * 2 bad input (thrown, reported by `runCli`).
 */
export async function runRunbook(options: RunbookOptions, io: CliIo): Promise<void> {
  // Read the export first: a file that cannot be used fails at once, not after the stack has been recorded.
  const portal = options.check === undefined ? undefined : { file: options.check, exported: readSessionPolicyExport(options.check, options.stack) };
  const progress = createProgress(io.stderr);
  progress(`recording stack ${options.stack} offline under Pulumi mocks`);
  const plan = await recordPlan({ root: options.root, stack: options.stack });
  if (options.json) fs.writeFileSync(options.json, JSON.stringify(sessionPolicyExportOf(plan.stack, sessionPoliciesInPlan(plan)), null, 2) + "\n");
  if (portal) {
    const check = checkSessionPolicyExport(sessionPoliciesInPlan(plan), portal.exported);
    write(renderSessionPolicyCheck(plan.stack, portal.file, check), options.out, io);
    io.exitCode = check.matches ? EXIT.ok : EXIT.risks;
    return;
  }
  const runbook = renderSessionPolicyRunbook(plan);
  if (options.out || !options.json) write(runbook, options.out, io);
}

function write(markdown: string, file: string | undefined, io: CliIo): void {
  if (file) fs.writeFileSync(file, markdown);
  else io.stdout.write(markdown);
}

/** Reads and checks an export file; errors name the file and what is wrong, never echo its content. */
export function readSessionPolicyExport(file: string, stack: string): SessionPolicyExport {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new Error(`cannot read session-policy export ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(
      `session-policy export ${file} is not JSON (${(err as Error).message}); ` +
        `fix it, or start again from the template \`${cliCommand(`runbook --stack ${stack} --json declared.json`)}\` filled from the portal`,
    );
  }
  const exported = parseSessionPolicyExport(raw, file);
  if (exported.stack !== undefined && exported.stack !== stack)
    throw new Error(`session-policy export ${file} is of stack "${exported.stack}", not "${stack}": check it with --stack ${exported.stack}`);
  return exported;
}
