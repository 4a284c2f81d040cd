import * as pulumi from "@pulumi/pulumi";
import { parseTenantSettings, TenantSettings } from "../lib/tenant-settings";
import { TENANT_STACKS } from "./registry";

export const CONFIG_NAMESPACE = "m365-baseline";
export const TENANT_CONFIG_KEY = `${CONFIG_NAMESPACE}:tenant`;

/**
 * The Pulumi program: picks the tenant's composition by stack name, validates the tenant settings from
 * `Pulumi.<stack>.yaml`, then declares. Used by `index.ts` under the real engine and by `plan` under mocks.
 */
export function declareTenantStack(stack: string = pulumi.getStack()): TenantSettings {
  const compose = TENANT_STACKS[stack];
  if (!compose) {
    throw new Error(`unknown stack "${stack}": no composition in stacks/registry.ts. Known stacks: ${Object.keys(TENANT_STACKS).sort().join(", ")}`);
  }
  const raw = new pulumi.Config(CONFIG_NAMESPACE).getObject<unknown>("tenant");
  const tenant = parseTenantSettings(raw, { stack, file: `Pulumi.${stack}.yaml`, key: TENANT_CONFIG_KEY });
  compose(tenant);
  return tenant;
}
