import type * as pulumi from "@pulumi/pulumi";
import { ManagedInputs, ManagedResource } from "../../lib/managed/resource";
import { PRESET_TYPE, PresetInputs } from "./preset-provider";

/** A preset security policy's rules: `pulumi-nodejs:dynamic/m365-baseline:PresetSecurityPolicy`. */
export class PresetSecurityPolicyResource extends ManagedResource<PresetInputs, PresetInputs> {
  constructor(name: string, inputs: ManagedInputs<PresetInputs>, opts?: pulumi.CustomResourceOptions) {
    super(PRESET_TYPE, name, inputs, opts);
  }
}
