import type { TenantSettings } from "../lib/tenant-settings";
import { contosoHybrid } from "./contoso-hybrid";
import { fabrikamCloud } from "./fabrikam-cloud";

/** Declares one tenant's resources from its validated settings. */
export type TenantComposition = (tenant: TenantSettings) => void;

/** Stack name → the composition that declares that tenant. `new-tenant` adds a line here. */
export const TENANT_STACKS: Readonly<Record<string, TenantComposition>> = {
  "contoso-hybrid": contosoHybrid,
  "fabrikam-cloud": fabrikamCloud,
};
