import { readStackConfig } from "../plan/record";
import { tenantSettingsFromConfig } from "../stack-config";
import type { LockoutContext } from "./lockout";
import { parseCustomPersonas, PERSONAS_CONFIG_KEY } from "./personas";

/**
 * Tenant settings and the tenant's own personas from `Pulumi.<stack>.yaml`, read the way the program reads them.
 * Personas live under their own key so the strict tenant-settings schema stays untouched.
 */
export function loadLockoutContext(root: string, stack: string): LockoutContext {
  const config = readStackConfig(root, stack);
  const tenant = tenantSettingsFromConfig(config, stack);
  return { tenant, customPersonas: parseCustomPersonas(config[PERSONAS_CONFIG_KEY], stack) };
}
