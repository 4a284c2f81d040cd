import type * as pulumi from "@pulumi/pulumi";
import type { TenantSettings } from "../lib/tenant-settings";
import { contosoHybrid } from "./contoso-hybrid";
import { fabrikamCloud } from "./fabrikam-cloud";

/** What a tenant's stack exports (`pulumi stack output`), e.g. the DNS records for a DNS host outside Azure. */
export type TenantOutputs = Readonly<Record<string, pulumi.Input<unknown>>>;

/** Declares one tenant's resources from its validated settings; returns the stack's outputs, if any. */
export type TenantComposition = (tenant: TenantSettings) => TenantOutputs | void;

/** Stack name → the composition that declares that tenant. `new-tenant` adds a line here. */
export const TENANT_STACKS: Readonly<Record<string, TenantComposition>> = {
  "contoso-hybrid": contosoHybrid,
  "fabrikam-cloud": fabrikamCloud,
};
