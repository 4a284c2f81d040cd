import type * as pulumi from "@pulumi/pulumi";
import { ManagedInputs, ManagedResource } from "../../lib/managed/resource";
import { DKIM_SIGNING_TYPE, DkimSigningInputs, DkimSigningOutputs } from "./dkim-signing-provider";

/** DKIM signing for a domain, on once its CNAMEs resolve: `pulumi-nodejs:dynamic/m365-baseline:DkimSigning`. */
export class DkimSigningResource extends ManagedResource<DkimSigningInputs, DkimSigningOutputs> {
  /** Exchange's status after the last `up`: `Valid`, or "waiting for the selector CNAME records: …". */
  declare readonly status: pulumi.Output<string>;

  constructor(name: string, inputs: ManagedInputs<DkimSigningInputs>, opts?: pulumi.CustomResourceOptions) {
    super(DKIM_SIGNING_TYPE, name, { ...inputs, status: undefined } as ManagedInputs<DkimSigningInputs>, opts);
  }
}
