import type * as pulumi from "@pulumi/pulumi";
import { ManagedInputs, ManagedResource } from "../../lib/managed/resource";
import { FORWARDING_EXCEPTION_TYPE, ForwardingExceptionInputs } from "./forwarding-exception-provider";

/** One reviewed forwarding exception: `pulumi-nodejs:dynamic/m365-baseline:ExternalForwardingException`. */
export class ForwardingExceptionResource extends ManagedResource<ForwardingExceptionInputs, ForwardingExceptionInputs> {
  constructor(name: string, inputs: ManagedInputs<ForwardingExceptionInputs>, opts?: pulumi.CustomResourceOptions) {
    super(FORWARDING_EXCEPTION_TYPE, name, inputs, opts);
  }
}
