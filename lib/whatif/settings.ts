import { readStackConfig } from "../plan/record";
import { parseTenantSettings } from "../tenant-settings";
import type { LockoutContext } from "./lockout";
import { parseCustomPersonas, PERSONAS_CONFIG_KEY } from "./personas";

const TENANT_CONFIG_KEY = "m365-baseline:tenant";

/**
 * Tenant settings and the tenant's own personas from `Pulumi.<stack>.yaml`, read the way the program reads them.
 * Personas live under their own key so the strict tenant-settings schema stays untouched.
 */
export function loadLockoutContext(root: string, stack: string): LockoutContext {
  const config = readStackConfig(root, stack);
  const tenant = parseTenantSettings(config[TENANT_CONFIG_KEY], { stack, file: `Pulumi.${stack}.yaml`, key: TENANT_CONFIG_KEY });
  return { tenant, customPersonas: parseCustomPersonas(config[PERSONAS_CONFIG_KEY], stack) };
}
