import type * as pulumi from "@pulumi/pulumi";
import { ManagedInputs, ManagedResource } from "../../lib/managed/resource";
import { DKIM_KEYS_TYPE, DkimKeysInputs, DkimKeysOutputs } from "./dkim-keys-provider";

/** A domain's DKIM keys (signing off): `pulumi-nodejs:dynamic/m365-baseline:DkimSigningConfig`. */
export class DkimKeysResource extends ManagedResource<DkimKeysInputs, DkimKeysOutputs> {
  /** Where `selector1._domainkey.<domain>` must point, as Exchange answered (known after apply). */
  declare readonly selector1Cname: pulumi.Output<string>;
  declare readonly selector2Cname: pulumi.Output<string>;

  constructor(name: string, inputs: ManagedInputs<DkimKeysInputs>, opts?: pulumi.CustomResourceOptions) {
    // The outputs are named among the properties (undefined), so the engine fills them in from the provider's answer.
    super(DKIM_KEYS_TYPE, name, { ...inputs, selector1Cname: undefined, selector2Cname: undefined } as ManagedInputs<DkimKeysInputs>, opts);
  }
}
