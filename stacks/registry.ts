import type { TenantSettings } from "../lib/tenant-settings";
import { contosoHybrid } from "./contoso-hybrid";
import { fabrikamCloud } from "./fabrikam-cloud";

/** Stack name → the composition that declares that tenant. `new-tenant` adds a line here. */
export const TENANT_STACKS: Readonly<Record<string, (tenant: TenantSettings) => void>> = {
  "contoso-hybrid": contosoHybrid,
  "fabrikam-cloud": fabrikamCloud,
};
