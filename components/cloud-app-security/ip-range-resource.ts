import type * as pulumi from "@pulumi/pulumi";
import { ManagedInputs, ManagedResource } from "../../lib/managed/resource";
import { IP_RANGE_TYPE, IpRangeInputs } from "./ip-range-provider";

/**
 * One Defender for Cloud Apps IP address range (portal: Settings › Cloud Apps › IP address ranges), through the
 * data-enrichment API: type `pulumi-nodejs:dynamic/m365-baseline:DefenderIpRange`. Declared by
 * `CloudAppSecuritySession`, which validates the range first.
 */
export class DefenderIpRange extends ManagedResource<IpRangeInputs, IpRangeInputs> {
  /** The rule as last written or read (the API's range ID is this resource's `id`). */
  declare readonly rule: pulumi.Output<IpRangeInputs["rule"]>;

  constructor(name: string, inputs: ManagedInputs<IpRangeInputs>, opts?: pulumi.CustomResourceOptions) {
    super(IP_RANGE_TYPE, name, inputs, opts);
  }
}
