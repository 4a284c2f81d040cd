import { closest } from "fastest-levenshtein";
import { ProblemList } from "./problems";
import { parseTenantSettings, type SettingsSource, type TenantSettings } from "./tenant-settings";

/** Where a stack's tenant settings live in `Pulumi.<stack>.yaml`. */
export const TENANT_CONFIG_KEY = "m365-baseline:tenant";
/** Every key the project reads under its own namespace in `Pulumi.<stack>.yaml`. */
export const KNOWN_CONFIG_KEYS = [TENANT_CONFIG_KEY, "m365-baseline:whatifPersonas"] as const;
const NAMESPACE = "m365-baseline:";

/** Where errors about a stack's tenant settings point: the stack, its file and the key. */
export function tenantSettingsSource(stack: string): SettingsSource {
  return { stack, file: `Pulumi.${stack}.yaml`, key: TENANT_CONFIG_KEY };
}

/** The stack's tenant settings, validated, from its whole configuration (as `readStackConfig` returns it). */
export function tenantSettingsFromConfig(config: Readonly<Record<string, unknown>>, stack: string): TenantSettings {
  return parseTenantSettings(config[TENANT_CONFIG_KEY], tenantSettingsSource(stack));
}

/**
 * Checks the stack's whole configuration before anything is declared:
 * - every key under `m365-baseline:` is one the project reads. A misspelt key (`whatifPersona`) would otherwise be
 *   ignored, and a persona marked protected would never be checked. The error names the closest valid key.
 * - `azuread:tenantId` (where the azuread provider deploys) is the tenant the settings describe. Otherwise one
 *   customer's exclusion IDs could be deployed into another customer's tenant.
 */
export function checkStackConfig(config: Readonly<Record<string, unknown>>, tenant: Pick<TenantSettings, "tenantId" | "dns">, source: SettingsSource): void {
  const problems = new ProblemList([`stack ${source.stack}`, source.file]);
  for (const key of Object.keys(config).sort()) {
    if (!key.startsWith(NAMESPACE) || (KNOWN_CONFIG_KEYS as readonly string[]).includes(key)) continue;
    problems.add(key, "is not a setting m365-baseline reads", `${KNOWN_CONFIG_KEYS.join(", ")} (did you mean ${closest(key, [...KNOWN_CONFIG_KEYS])}?)`);
  }
  const azureadTenant = config["azuread:tenantId"];
  if (azureadTenant === undefined) {
    problems.add(
      "azuread:tenantId",
      "is not set, so the azuread provider would deploy to whatever tenant its credential signs in to",
      `${tenant.tenantId} (the tenant settings' tenantId)`,
    );
  } else if (String(azureadTenant).toLowerCase() !== tenant.tenantId.toLowerCase()) {
    problems.add(
      "azuread:tenantId",
      `is ${String(azureadTenant)}, another tenant than the settings describe (${tenant.tenantId})`,
      "the same tenant ID in both places",
    );
  }
  // An Azure DNS zone without a subscription anywhere: azure-native would write to whatever subscription it signs in to.
  for (const zone of tenant.dns?.azureZones ?? []) {
    if (zone.subscriptionId === undefined && config["azure-native:subscriptionId"] === undefined) {
      problems.add(
        "azure-native:subscriptionId",
        `is not set and the Azure DNS zone ${zone.zone} names no subscriptionId, so its records would go to whatever subscription the credential signs in to`,
        "the zone's subscription in azure-native:subscriptionId, or dns.azureZones[].subscriptionId in the tenant settings",
      );
    }
  }
  problems.throwIfAny();
}

/** The Pulumi CLI stores structured values (`pulumi config set --path`, objects) as JSON strings: read them as objects. */
export function structuredConfigValue(value: unknown): unknown {
  if (typeof value !== "string" || !/^\s*[[{]/.test(value)) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
