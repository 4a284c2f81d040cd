import { Command, Option } from "commander";
import { CliIo, EXIT, processIo } from "./io";
import { packageVersion } from "./version";

// Each action loads its subcommand on demand: `--help` and `--version` stay instant, and `plan` does not pay for
// the Graph client, the credential library or the diff engine it never uses (start-up is a benchmarked goal).

/**
 * An endpoint override, also read from the environment: a CI job behind a sovereign-cloud proxy sets it once for
 * every command, as @azure/identity reads AZURE_AUTHORITY_HOST.
 */
function endpointOption(flags: string, description: string, variable: string): Option {
  return new Option(flags, description).env(variable);
}

/** Adds one subcommand. New subcommands (e.g. `whatif`) add a function here and a line to SUBCOMMANDS. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

const registerPlan: RegisterCommand = (program, io) =>
  program
    .command("plan")
    .description("render what a tenant stack declares, offline (no Pulumi CLI, no credentials)")
    .requiredOption("--stack <tenant>", "tenant stack name, e.g. contoso-hybrid")
    .option("--json <file>", "write the machine-readable plan (input to `diff`)")
    .option("--markdown <file>", "write the reviewer's Markdown view")
    .option("--root <dir>", "project root", process.cwd())
    .action(async (options) => (await import("./plan")).runPlan(options, io));

const registerDiff: RegisterCommand = (program, io) =>
  program
    .command("diff")
    .description("semantic diff of two plans; exit code 0 no change, 1 changes, 2 error, 3 a risk at --fail-on or above")
    .argument("<base>", "plan JSON of the base (e.g. main)")
    .argument("<head>", "plan JSON of the head (e.g. the pull request)")
    .option("--markdown <file>", "write the Markdown (the PR comment) to a file instead of stdout")
    .option("--json <file>", "write the machine-readable diff")
    .option("--root <dir>", "project root, where Pulumi.<stack>.yaml names the personas of the impact table", process.cwd())
    .option("--fail-on <severity>", "exit 3 when a flagged risk is at least this severe (low, medium, high): a CI gate")
    .action(async (base: string, head: string, options) => (await import("./diff")).runDiff(base, head, options, io));

const registerNewTenant: RegisterCommand = (program, io) =>
  program
    .command("new-tenant")
    .description("scaffold Pulumi.<name>.yaml and stacks/<name>/ from the baseline, with placeholders `plan` rejects until filled in")
    .argument("<name>", "tenant stack name, e.g. northwind-traders")
    .option("--hybrid", "the tenant syncs from on-premises AD (adds a directory-sync account to fill in)")
    .option("--root <dir>", "project root", process.cwd())
    .action(async (name: string, options) => (await import("./new-tenant")).runNewTenant(name, options, io));

const registerDiscover: RegisterCommand = (program, io) =>
  program
    .command("discover")
    .description("read a tenant (read-only) and write the stack's settings: sync accounts, proposed break-glass accounts, existing objects to adopt")
    .requiredOption("--tenant <id>", "tenant ID or domain to sign in to")
    .option(
      "--credential <kind>",
      "@azure/identity credential: default, azureCli, environment, workloadIdentity, managedIdentity, deviceCode, interactiveBrowser",
      "default",
    )
    .option("--stack <tenant>", "stack whose declarations existing objects are matched to (adopted by ID on the first `up`)")
    .option("--config <file>", "write the settings snippet to this file instead of stdout")
    .option("--current-plan <file>", "also write the tenant's current conditional access as a plan of --stack, to `diff` against the stack's own plan")
    .option("--root <dir>", "project root", process.cwd())
    .addOption(endpointOption("--graph-url <url>", "Graph root for a non-public endpoint", "M365_BASELINE_GRAPH_URL"))
    .addOption(endpointOption("--authority-host <url>", "sign-in authority for a non-public endpoint", "M365_BASELINE_AUTHORITY_HOST"))
    .action(async (options) => (await import("./discover")).runDiscover(options, io));

const registerWhatif: RegisterCommand = (program, io) =>
  program
    .command("whatif")
    .description("offline what-if: persona × app outcomes of a stack's conditional-access policies; fails on a lockout")
    .requiredOption("--stack <tenant>", "tenant stack name, e.g. contoso-hybrid")
    .option("--markdown <file>", "write the table to a file instead of stdout")
    .option("--json <file>", "write lockout findings and personas as JSON")
    .option("--live", "also ask Microsoft Graph's what-if API (credentials from the tenant settings) and show disagreements")
    .option("--graph-policies <file>", "evaluate these policies as Graph JSON (a tenant export or a public baseline) instead of the stack's plan")
    .option("--graph-locations <file>", "named locations for --graph-policies, as Graph JSON")
    .option("--root <dir>", "project root", process.cwd())
    .action(async (options) => (await import("./whatif")).runWhatif(options, io));

const registerStacks: RegisterCommand = (program, io) =>
  program
    .command("stacks")
    .description("list the tenant stacks (one Pulumi.<stack>.yaml each); CI builds its per-tenant job matrix from --json")
    .option("--changed-since <ref>", "only the stacks a change since this git ref can affect (shared code: all of them)")
    .option("--json", "print [{stack, tenantId, clientId}] for a CI matrix, each tenant with its own credential")
    .option("--root <dir>", "project root", process.cwd())
    .action(async (options) => (await import("./stacks")).runStacks(options, io));

const registerPreflight: RegisterCommand = (program, io) =>
  program
    .command("preflight")
    .description("read-only checks against the live tenant before `pulumi up`: every ID, role, licence and API the stack names; exit 2 on a blocking problem")
    .requiredOption("--stack <tenant>", "tenant stack name, e.g. contoso-hybrid")
    .option("--markdown <file>", "also write the table to a file (e.g. $GITHUB_STEP_SUMMARY)")
    .option("--root <dir>", "project root", process.cwd())
    .addOption(endpointOption("--graph-url <url>", "Graph root for a non-public endpoint", "M365_BASELINE_GRAPH_URL"))
    .addOption(endpointOption("--authority-host <url>", "sign-in authority for a non-public endpoint", "M365_BASELINE_AUTHORITY_HOST"))
    .addOption(endpointOption("--exchange-url <url>", "Exchange Online root for a non-public endpoint", "M365_BASELINE_EXCHANGE_URL"))
    .option("--no-dns", "do not resolve SPF includes live (a machine without public DNS; also M365_BASELINE_NO_DNS=1): the SPF lookup count is not checked")
    .action(async (options) => (await import("./preflight")).runPreflightCommand(options, io));

const registerRunbook: RegisterCommand = (program, io) =>
  program
    .command("runbook")
    .description(
      "write the administrator's runbook for the stack's Defender for Cloud Apps session policies (portal steps, fingerprints), offline; " +
        "--check compares a session-policy export from the portal: exit 0 matches, 3 differs, missing or undeclared, 2 bad input",
    )
    .requiredOption("--stack <tenant>", "tenant stack name, e.g. contoso-hybrid")
    .option("--out <file>", "write the Markdown (the runbook, or the --check report) to a file instead of stdout")
    .option("--json <file>", "also write the declaration as a session-policy export: the JSON shape --check reads, to fill from the portal")
    .option("--check <export>", "compare this session-policy export (JSON, filled from the portal) with the declaration instead of writing the runbook")
    .option("--root <dir>", "project root", process.cwd())
    .action(async (options) => (await import("./runbook")).runRunbook(options, io));

const registerGroups: RegisterCommand = (program, io) => {
  const groups = program.command("groups").description("Microsoft 365 group membership: export to a CSV Excel opens, read one back (read-only)");
  groups
    .command("export")
    .description("read every Microsoft 365 group with its members and owners (read-only) and write them as CSV")
    .option("--stack <tenant>", "tenant stack whose Pulumi.<stack>.yaml names the tenant, cloud and credential")
    .option("--tenant <id>", "tenant ID or domain to sign in to (instead of --stack)")
    .option(
      "--credential <kind>",
      "@azure/identity credential: default, azureCli, environment, workloadIdentity, managedIdentity, deviceCode, interactiveBrowser (default: the stack's graph.credential, else default)",
    )
    .requiredOption("--out <file>", "the CSV file to write, e.g. groups.csv")
    .option("--root <dir>", "project root", process.cwd())
    .addOption(endpointOption("--graph-url <url>", "Graph root for a non-public endpoint", "M365_BASELINE_GRAPH_URL"))
    .addOption(endpointOption("--authority-host <url>", "sign-in authority for a non-public endpoint", "M365_BASELINE_AUTHORITY_HOST"))
    .action(async (options) => (await import("./groups")).runGroupsExport(options, io));
  groups
    .command("import")
    .description("read a groups CSV back and print a summary of what it holds (or the groups as JSON)")
    .requiredOption("--in <file>", "the CSV file to read, e.g. groups.csv")
    .option("--json", "print the groups as JSON instead of the summary")
    .action(async (options) => (await import("./groups")).runGroupsImport(options, io));
};

export const SUBCOMMANDS: RegisterCommand[] = [
  registerPlan,
  registerDiff,
  registerNewTenant,
  registerDiscover,
  registerPreflight,
  registerWhatif,
  registerRunbook,
  registerStacks,
  registerGroups,
];

/** `m365-baseline` command line. Exit codes: 0 success (diff: no change), 1 diff found changes, 2 error, 3 a gate failed (diff --fail-on, runbook --check). */
export function buildCli(io: CliIo = processIo()): Command {
  const program = new Command("m365-baseline")
    .description("Microsoft 365 / Entra ID security baseline as code")
    .version(packageVersion(), "-V, --version", "print the m365-baseline version")
    .exitOverride();
  program.configureOutput({ writeOut: (s) => void io.stdout.write(s), writeErr: (s) => void io.stderr.write(s) });
  for (const register of SUBCOMMANDS) register(program, io);
  return program;
}

/** Runs one command line and returns its exit code; errors are printed to stderr as one clear message. */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    await buildCli(io).parseAsync([...argv], { from: "user" });
    return io.exitCode;
  } catch (err) {
    const e = err as { code?: string; exitCode?: number; message?: string };
    if (e.code?.startsWith("commander.")) return e.exitCode === 0 ? EXIT.ok : EXIT.error;
    io.stderr.write(`${e.message ?? String(err)}\n`);
    return EXIT.error;
  }
}
