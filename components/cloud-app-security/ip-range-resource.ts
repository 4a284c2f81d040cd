import * as pulumi from "@pulumi/pulumi";
import { ipRangeProvider, IpRangeInputs } from "./ip-range-provider";

/**
 * One Defender for Cloud Apps IP address range (portal: Settings › Cloud Apps › IP address ranges), through the
 * data-enrichment API. Declared by `CloudAppSecuritySession`, which validates the range first.
 */
export class DefenderIpRange extends pulumi.dynamic.Resource {
  /** The declared rule as last written (the API's range ID is this resource's `id`). */
  declare readonly rule: pulumi.Output<IpRangeInputs["rule"]>;

  constructor(name: string, inputs: { [K in keyof IpRangeInputs]: pulumi.Input<IpRangeInputs[K]> }, opts?: pulumi.CustomResourceOptions) {
    super(ipRangeProvider, name, inputs, opts, "m365-baseline", "DefenderIpRange");
  }
}
