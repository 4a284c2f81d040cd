import { cliCommand } from "../command";
import * as fs from "node:fs";
import * as path from "node:path";
import { placeholder } from "./placeholders";

/** Stack names become file names, a folder and a registry key: keep them to what all three accept. */
/** Lower-case words joined by single hyphens: a file name, a folder and (camel-cased) a TypeScript identifier. */
const TENANT_NAME = /^(?=.{1,50}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Names that would collide with the project's own files under stacks/ (or mean nothing as a tenant). */
const RESERVED_NAMES = ["registry", "baseline", "program", "index", "shared", "support"];

export interface NewTenantOptions {
  /** Project root (holds Pulumi.yaml and stacks/). */
  readonly root: string;
  readonly name: string;
  /** Adds a directory-sync section for a tenant with Entra Connect / Cloud Sync. @default false */
  readonly hybrid?: boolean;
}

export interface ScaffoldFile {
  readonly path: string;
  readonly content: string;
}

/** Every file `new-tenant` writes or rewrites, computed before anything touches the disk. */
export function scaffoldTenant(options: NewTenantOptions): ScaffoldFile[] {
  const { root, name } = options;
  if (!TENANT_NAME.test(name)) {
    throw new Error(
      `new-tenant: "${name}" cannot be a tenant stack name. Allowed: lower-case words of letters and digits joined by single '-', 1-50 characters, e.g. northwind-traders`,
    );
  }
  if (RESERVED_NAMES.includes(name)) {
    throw new Error(`new-tenant: "${name}" is reserved (stacks/${name}.ts is the project's own); choose the customer's name, e.g. northwind-traders`);
  }
  const yamlFile = path.join(root, `Pulumi.${name}.yaml`);
  const stackDir = path.join(root, "stacks", name);
  const registryFile = path.join(root, "stacks", "registry.ts");
  for (const existing of [yamlFile, stackDir]) {
    if (fs.existsSync(existing)) throw new Error(`new-tenant: ${path.relative(root, existing)} already exists; choose another name or edit it`);
  }
  if (!fs.existsSync(registryFile)) throw new Error(`new-tenant: no stacks/registry.ts under ${root}; run it from the project root or pass --root`);
  return [
    { path: yamlFile, content: stackYaml(name, options.hybrid ?? false) },
    { path: path.join(stackDir, "index.ts"), content: composition(name) },
    { path: registryFile, content: registerTenant(fs.readFileSync(registryFile, "utf8"), name) },
  ];
}

export function writeScaffold(files: readonly ScaffoldFile[]): void {
  for (const file of files) {
    fs.mkdirSync(path.dirname(file.path), { recursive: true });
    fs.writeFileSync(file.path, file.content);
  }
}

/** `northwind-traders` → `northwindTraders`, the composition's function name. */
export function functionName(name: string): string {
  const camel = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return /^[0-9]/.test(camel) ? `tenant${camel}` : camel;
}

const quote = (s: string): string => JSON.stringify(s);

function stackYaml(name: string, hybrid: boolean): string {
  const tenantId = quote(placeholder(`tenant ID (GUID), printed by ${cliCommand("discover")}`));
  const sync = hybrid
    ? [
        "    # Entra Connect / Cloud Sync accounts: always excluded from every policy (with the directory-sync roles).",
        "    directorySync:",
        "      accounts:",
        `        - objectId: ${quote(placeholder("object ID of the Sync_* or On-Premises Directory Synchronization Service Account user"))}`,
        `          displayName: ${quote(placeholder("its user principal name"))}`,
      ]
    : ["    # Cloud-only tenant: no directory sync. Run `new-tenant --hybrid` (or add `directorySync:`) for Entra Connect."];
  return [
    `# ${name}: tenant settings for m365-baseline. Every "<fill in: …>" must be replaced: \`plan\` refuses to run until then.`,
    `# \`${cliCommand("discover --tenant <tenant ID or domain>")}\` (signed in to the tenant) prints the real values.`,
    "config:",
    `  azuread:tenantId: ${tenantId}`,
    "  m365-baseline:tenant:",
    `    displayName: ${quote(placeholder("customer name shown in plans"))}`,
    `    tenantId: ${tenantId}`,
    `    primaryDomain: ${quote(placeholder("initial domain, e.g. customer.onmicrosoft.com"))}`,
    ...sync,
    "    # Emergency-access accounts, excluded from every policy. At least one user or group.",
    "    breakGlass:",
    "      users:",
    `        - objectId: ${quote(placeholder("object ID of a break-glass user"))}`,
    `          displayName: ${quote(placeholder("its user principal name"))}`,
    "    graph:",
    "      cloud: global",
    "      credential: default",
    "",
  ].join("\n");
}

function composition(name: string): string {
  return `import { ConditionalAccessPolicySet } from "../../components/conditional-access";
import type { TenantSettings } from "../../lib/tenant-settings";
import { baselinePolicies } from "../baseline";

/**
 * ${name}: the shared baseline, as scaffolded by \`m365-baseline new-tenant\`. New policies start report-only;
 * enable one with an override after its report-only period, e.g.
 * \`overrides: { "CA004-Global-AllApps-RequireMFA": { state: "enabled" } }\`.
 */
export function ${functionName(name)}(tenant: TenantSettings): void {
  new ConditionalAccessPolicySet("conditional-access", { tenant, policies: baselinePolicies() });
}
`;
}

/**
 * Adds the tenant to stacks/registry.ts: an import and an entry, each block kept sorted. The registry stays an
 * explicit, type-checked list (a reviewer sees a new tenant in the PR) rather than a folder scan at run time.
 */
export function registerTenant(source: string, name: string): string {
  const lines = source.split("\n");
  const fn = functionName(name);
  const importLine = `import { ${fn} } from "./${name}";`;
  const entryLine = `  ${quote(name)}: ${fn},`;
  const open = lines.findIndex((l) => /^export const TENANT_STACKS\b.*=\s*\{\s*$/.test(l));
  const close = open < 0 ? -1 : lines.findIndex((l, i) => i > open && /^\};\s*$/.test(l));
  if (open < 0 || close < 0)
    throw new Error("new-tenant: stacks/registry.ts no longer has `export const TENANT_STACKS ... = {` … `};`; add the tenant by hand");
  if (lines.slice(open, close).some((l) => l.includes(`${quote(name)}:`))) throw new Error(`new-tenant: "${name}" is already in stacks/registry.ts`);

  const entries = [...lines.slice(open + 1, close), entryLine].sort();
  const withEntry = [...lines.slice(0, open + 1), ...entries, ...lines.slice(close)];
  const localImports = withEntry.map((l, i) => ({ l, i })).filter(({ l }) => /^import .* from "\.\/[^"]+";$/.test(l));
  const first = localImports.length ? localImports[0].i : withEntry.findIndex((l) => !l.startsWith("import "));
  const sortedImports = [...localImports.map(({ l }) => l), importLine].sort();
  const rest = withEntry.filter((_, i) => !localImports.some((x) => x.i === i));
  rest.splice(first, 0, ...sortedImports);
  return rest.join("\n");
}
