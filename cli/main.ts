import { Command } from "commander";
import { runPlan } from "./plan";

/** `m365-baseline` command line. Exit codes: 0 success (diff: no change), 1 diff found changes, 2 error. */
export function buildCli(): Command {
  const program = new Command("m365-baseline").description("Microsoft 365 / Entra ID security baseline as code").exitOverride();
  program
    .command("plan")
    .description("render what a tenant stack declares, offline (no Pulumi CLI, no credentials)")
    .requiredOption("--stack <tenant>", "tenant stack name, e.g. contoso-hybrid")
    .option("--json <file>", "write the machine-readable plan (input to `diff`)")
    .option("--markdown <file>", "write the reviewer's Markdown view")
    .option("--root <dir>", "project root", process.cwd())
    .action(runPlan);
  return program;
}

if (require.main === module || process.argv[1]?.endsWith("m365-baseline.js")) {
  buildCli()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      const e = err as { code?: string; exitCode?: number; message?: string };
      if (e.code?.startsWith("commander.")) process.exit(e.exitCode === 0 ? 0 : 2);
      process.stderr.write(`${e.message ?? String(err)}\n`);
      process.exit(2);
    });
}
