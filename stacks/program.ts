import * as pulumi from "@pulumi/pulumi";
import { rejectPlaceholdersInConfig } from "../lib/scaffold/placeholders";
import { checkStackConfig, TENANT_CONFIG_KEY, tenantSettingsSource } from "../lib/stack-config";
import { parseTenantSettings, TenantSettings } from "../lib/tenant-settings";
import { TENANT_STACKS, TenantComposition, TenantOutputs } from "./registry";

export const CONFIG_NAMESPACE = "m365-baseline";
/** Kept for callers of the first version; defined once in lib/stack-config. */
export { TENANT_CONFIG_KEY };

/**
 * The Pulumi program: picks the tenant's composition by stack name, validates the tenant settings from
 * `Pulumi.<stack>.yaml` (unfilled `new-tenant` placeholders first), then declares; returns the stack's outputs. Used by `index.ts` under the
 * real engine and by `plan` under mocks; `compositions` is replaceable so tests and the benchmark plan copies.
 */
export function declareTenantStack(
  stack: string = pulumi.getStack(),
  compositions: Readonly<Record<string, TenantComposition>> = TENANT_STACKS,
): { readonly tenant: TenantSettings; readonly outputs: TenantOutputs } {
  const compose = compositions[stack];
  if (!compose) {
    throw new Error(`unknown stack "${stack}": no composition in stacks/registry.ts. Known stacks: ${Object.keys(compositions).sort().join(", ")}`);
  }
  const raw = new pulumi.Config(CONFIG_NAMESPACE).getObject<unknown>("tenant");
  const source = tenantSettingsSource(stack);
  rejectPlaceholdersInConfig(pulumi.runtime.allConfig(), source);
  const tenant = parseTenantSettings(raw, source);
  checkStackConfig(pulumi.runtime.allConfig(), tenant, source);
  return { tenant, outputs: compose(tenant) ?? {} };
}
