import { connectionForService, endpointOverrides, ServiceEndpoints } from "../../lib/graph";
import { byLogicalName } from "../../lib/logical-order";
import { TOKENS } from "../../lib/managed/tokens";
import { WriteSequence } from "../../lib/write-sequence";
import * as pulumi from "@pulumi/pulumi";
import type { PolicyDefinition } from "../conditional-access";
import { ProblemList } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";
import { canonicalSessionPolicies } from "./payload";
import type { IpRangeDefinition } from "./definition";
import { subnetRule } from "./payload";
import { validateIpRanges } from "./validate";
import { IP_RANGE_PROVIDER_VERSION } from "./ip-range-provider";
import { DefenderIpRange } from "./ip-range-resource";
import { DefenderSessionPolicy } from "./session-policy-component";
import type { SessionPolicyDefinition } from "./definition";
import { validateSessionControl } from "./validate";

export interface CloudAppSecuritySessionArgs {
  /** The tenant's validated settings (`defenderForCloudApps.apiUrl` is needed only for `ipRanges`). */
  readonly tenant: TenantSettings;
  /**
   * The conditional-access policies this session control relies on, e.g. `routeUnmanagedBrowserSessionsToDefender`
   * or the non-E5 `limitWebAccessFromUnmanagedDevices`. They are validated here against the session policies, but
   * declared by the tenant's `ConditionalAccessPolicySet` (built-in exclusions, one-at-a-time writes): pass the same
   * definitions to both.
   */
  readonly conditionalAccess: readonly PolicyDefinition[];
  /** Portal: Cloud Apps › Policies › Policy management › Conditional access › Session policy. @default [] */
  readonly sessionPolicies?: readonly SessionPolicyDefinition[];
  /** Portal: Settings › Cloud Apps › IP address ranges, managed through the data-enrichment API. @default [] */
  readonly ipRanges?: readonly IpRangeDefinition[];
  /** Where Entra's sign-in is, when not the tenant cloud's (a test host), and the retry pace. @default the cloud's endpoints */
  readonly endpoints?: ServiceEndpoints;
}

/**
 * Defender for Cloud Apps session control for one tenant: validates the whole chain (routing policy ↔ session
 * policies ↔ IP ranges) before declaring anything, then declares each session policy as reviewed data and each IP
 * range as a real resource.
 */
export class CloudAppSecuritySession extends pulumi.ComponentResource {
  /** Session-policy components by logical name. */
  readonly sessionPolicies: Readonly<Record<string, DefenderSessionPolicy>>;
  /** Defender for Cloud Apps range IDs by name. */
  readonly ipRangeIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: CloudAppSecuritySessionArgs, opts?: pulumi.ComponentResourceOptions) {
    const sessionPolicies = args.sessionPolicies ?? [];
    const ipRanges = args.ipRanges ?? [];
    const problems = new ProblemList();
    validateSessionControl({ conditionalAccess: args.conditionalAccess, sessionPolicies }, args.tenant, problems);
    validateIpRanges(ipRanges, args.tenant, problems);
    problems.throwIfAny();
    super(TOKENS.sessionComponent, name, {}, opts);

    const components: Record<string, DefenderSessionPolicy> = {};
    for (const canonical of canonicalSessionPolicies(sessionPolicies)) {
      components[canonical.name] = new DefenderSessionPolicy(canonical.name, { sessionPolicy: canonical }, { parent: this });
    }

    const connection = connectionForService(args.tenant, "defenderForCloudApps", endpointOverrides(args.endpoints));
    const ids: Record<string, pulumi.Output<string>> = {};
    // One after another: the API allows 30 requests per minute per tenant, so a burst would only buy 429s.
    const writes = new WriteSequence(this);
    for (const range of byLogicalName(ipRanges)) {
      const resource = writes.record(
        new DefenderIpRange(
          `ip-range-${range.name}`,
          { connection, apiUrl: args.tenant.defenderForCloudApps!.apiUrl, providerVersion: IP_RANGE_PROVIDER_VERSION, rule: subnetRule(range) },
          writes.options(),
        ),
      );
      ids[range.name] = resource.id;
    }

    this.sessionPolicies = components;
    this.ipRangeIds = ids;
    this.registerOutputs({ sessionPolicyFingerprints: Object.fromEntries(Object.entries(components).map(([k, c]) => [k, c.fingerprint])), ipRangeIds: ids });
  }
}
