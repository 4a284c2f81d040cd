import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { NamedLocationDefinition, PolicyDefinition } from "./definition";
import { buildNamedLocationArgs } from "./payload";
import { ConditionalAccessPolicy } from "./policy";
import { validatePolicySet } from "./validate";
import { byLogicalName } from "../../lib/logical-order";
import { TOKENS } from "../../lib/managed/tokens";
import { WriteSequence } from "../../lib/write-sequence";

export interface ConditionalAccessPolicySetArgs {
  /** The tenant's validated settings. */
  readonly tenant: TenantSettings;
  /** Every conditional-access policy the tenant declares. Order does not change the payloads. */
  readonly policies: readonly PolicyDefinition[];
  /** Named locations (portal: Conditional Access › Named locations), referenced from policies by logical name. @default [] */
  readonly namedLocations?: readonly NamedLocationDefinition[];
}

/**
 * All of a tenant's conditional-access policies and named locations. Validates the whole set first (unique names,
 * references), then declares them one after another.
 *
 * Why one after another: Graph allows conditional-access policies and named locations 1 write per second per
 * tenant, and its 429 carries no Retry-After, so a burst of 15 parallel creates fails part-way. Each resource
 * depends on the previous one, which makes the engine write them sequentially.
 */
export class ConditionalAccessPolicySet extends pulumi.ComponentResource {
  /** Policy components by logical name. */
  readonly policies: Readonly<Record<string, ConditionalAccessPolicy>>;
  /** Named-location IDs by logical name. */
  readonly namedLocationIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: ConditionalAccessPolicySetArgs, opts?: pulumi.ComponentResourceOptions) {
    const locations = args.namedLocations ?? [];
    validatePolicySet(args.policies, locations, args.tenant);
    super(TOKENS.conditionalAccessPolicySet, name, {}, opts);

    const writes = new WriteSequence(this);
    const namedLocationIds: Record<string, pulumi.Output<string>> = {};
    for (const location of byLogicalName(locations)) {
      const adopt = args.tenant.adopt?.namedLocations?.[location.name];
      const options = { ...writes.options(), ...(adopt ? { import: adopt } : {}) };
      const resource = writes.record(new azuread.NamedLocation(location.name, buildNamedLocationArgs(location), options));
      namedLocationIds[location.name] = resource.id;
    }

    const policies: Record<string, ConditionalAccessPolicy> = {};
    for (const definition of byLogicalName(args.policies)) {
      const policy = new ConditionalAccessPolicy(definition.name, { tenant: args.tenant, definition, namedLocations: namedLocationIds }, writes.options());
      policies[definition.name] = policy;
      writes.record(policy.resource);
    }

    this.policies = policies;
    this.namedLocationIds = namedLocationIds;
    this.registerOutputs({ policyIds: Object.fromEntries(Object.entries(policies).map(([k, p]) => [k, p.policyId])), namedLocationIds });
  }
}
