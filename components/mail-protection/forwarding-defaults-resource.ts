import type * as pulumi from "@pulumi/pulumi";
import { ManagedInputs, ManagedResource } from "../../lib/managed/resource";
import { FORWARDING_DEFAULTS_TYPE, ForwardingDefaultsInputs } from "./forwarding-defaults-provider";

/** The default outbound spam policy's and the Default remote domain's forwarding: `pulumi-nodejs:dynamic/m365-baseline:ExternalForwardingDefaults`. */
export class ForwardingDefaultsResource extends ManagedResource<ForwardingDefaultsInputs, ForwardingDefaultsInputs> {
  constructor(name: string, inputs: ManagedInputs<ForwardingDefaultsInputs>, opts?: pulumi.CustomResourceOptions) {
    super(FORWARDING_DEFAULTS_TYPE, name, inputs, opts);
  }
}
