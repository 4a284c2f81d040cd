import * as path from "node:path";
import { cliCommand } from "../lib/command";
import { scaffoldTenant, writeScaffold } from "../lib/scaffold/new-tenant";
import type { CliIo } from "./io";

export interface NewTenantCliOptions {
  root: string;
  hybrid?: boolean;
}

/** `new-tenant <name>`: writes the stack's settings file and composition and registers it; says what to fill in next. */
export function runNewTenant(name: string, options: NewTenantCliOptions, io: CliIo): void {
  const files = scaffoldTenant({ root: options.root, name, hybrid: options.hybrid });
  writeScaffold(files);
  const shown = files.map((f) => `  ${path.relative(options.root, f.path)}`).join("\n");
  io.stdout.write(
    `Scaffolded tenant stack ${name}:\n${shown}\n\nNext:\n` +
      `  1. Replace every "<fill in: …>" in Pulumi.${name}.yaml (\`${cliCommand("discover --tenant <tenant ID or domain>")}\` prints the values).\n` +
      `  2. ${cliCommand(`plan --stack ${name}`)}\n` +
      `  3. Signed in to the tenant, read-only: \`${cliCommand(`preflight --stack ${name}`)}\` (does it hold everything the stack names?)\n` +
      `  4. pulumi stack init ${name}   (then \`pulumi preview --stack ${name}\`)\n`,
  );
}
