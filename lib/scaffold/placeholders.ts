import { cliCommand } from "../command";
import { ProblemList } from "../problems";
import { structuredConfigValue } from "../stack-config";

/**
 * `new-tenant` writes values such as `<fill in: tenant ID (GUID) — see m365-baseline discover>`. Some of them (a
 * display name) would pass schema validation, so plans look for the marker itself and refuse to run.
 */
export const PLACEHOLDER_PATTERN = /^<fill in: .*>$/;

export function placeholder(what: string): string {
  return `<fill in: ${what}>`;
}

/** Key paths (relative to `raw`) whose value is still a placeholder, e.g. `breakGlass.users.0.objectId`. */
export function findPlaceholders(raw: unknown, path: readonly string[] = []): string[][] {
  if (typeof raw === "string") return PLACEHOLDER_PATTERN.test(raw) ? [[...path]] : [];
  if (Array.isArray(raw)) return raw.flatMap((v, i) => findPlaceholders(v, [...path, String(i)]));
  if (raw && typeof raw === "object") return Object.entries(raw).flatMap(([k, v]) => findPlaceholders(v, [...path, k]));
  return [];
}

/**
 * Throws one ValidationError listing every unfilled placeholder, before anything is declared: in the stack's whole
 * configuration (the provider's `azuread:tenantId` as much as the tenant
 * block), not only under one key. Structured values arrive from the engine as JSON strings.
 */
export function rejectPlaceholdersInConfig(config: Readonly<Record<string, unknown>>, source: { stack: string; file: string }): void {
  const problems = new ProblemList([`stack ${source.stack}`, source.file]);
  for (const key of Object.keys(config).sort()) {
    for (const path of findPlaceholders(structuredConfigValue(config[key]))) {
      problems.add(
        [key, ...path].join("."),
        "is still a placeholder written by `m365-baseline new-tenant`",
        `the tenant's real value; \`${cliCommand("discover --tenant <tenant ID or domain>")}\` prints them for a signed-in tenant`,
      );
    }
  }
  problems.throwIfAny();
}
