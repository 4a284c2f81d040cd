import * as pulumi from "@pulumi/pulumi";
import type { AgreementFileState, AgreementInputs } from "./model";
import { agreementProvider } from "./provider";

type Inputs<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/**
 * One Entra ID agreement (terms of use), managed by the dynamic provider in provider.ts. Keeps Pulumi's generic
 * dynamic type token, which plan describers recognise by their parent `TermsOfUse` component.
 */
export class AgreementResource extends pulumi.dynamic.Resource {
  declare readonly displayName: pulumi.Output<string>;
  /** Name, language, size and SHA-256 of each PDF, with Graph's localization ID. Never the bytes. */
  declare readonly files: pulumi.Output<AgreementFileState[]>;

  constructor(name: string, inputs: Inputs<AgreementInputs>, opts?: pulumi.CustomResourceOptions) {
    super(agreementProvider, name, inputs, opts);
  }
}
