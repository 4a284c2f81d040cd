import type * as pulumi from "@pulumi/pulumi";
import { ManagedInputs, ManagedResource } from "../../lib/managed/resource";
import type { AgreementFileState, AgreementInputs, AgreementState } from "./model";
import { AGREEMENT_TYPE } from "./agreement-provider";

/**
 * One Entra ID agreement (terms of use), managed by the dynamic provider in provider.ts:
 * `pulumi-nodejs:dynamic/m365-baseline:TermsOfUseAgreement`.
 */
export class AgreementResource extends ManagedResource<AgreementInputs, AgreementState> {
  declare readonly displayName: pulumi.Output<string>;
  /** Name, language, size and SHA-256 of each PDF, with Graph's localization ID. Never the bytes. */
  declare readonly files: pulumi.Output<AgreementFileState[]>;

  constructor(name: string, inputs: ManagedInputs<AgreementInputs>, opts?: pulumi.CustomResourceOptions) {
    super(AGREEMENT_TYPE, name, inputs, opts);
  }
}
