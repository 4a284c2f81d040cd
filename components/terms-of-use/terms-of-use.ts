import * as pulumi from "@pulumi/pulumi";
import { TOKENS } from "../../lib/managed/tokens";
import { AgreementResource } from "./agreement-resource";
import type { TermsOfUseArgs } from "./definition";
import { buildAgreementInputs } from "./validate";

/** What the component tells about each PDF: enough to review and audit, never the content. */
export interface TermsOfUseFileSummary {
  readonly language: string;
  readonly fileName: string;
  readonly size: number;
  readonly sha256: string;
}

/**
 * Entra ID terms of use (portal: Entra ID › Conditional Access › Terms of use), one agreement with a PDF per
 * language, managed through Microsoft Graph by a dynamic provider. Pass `agreementId` to the conditional-access
 * catalog's `requireTermsOfUse` to make users accept it.
 *
 * Deletion is opt-in twice over. The provider refuses to delete without `allowDeletion`; but a refusing delete
 * would leave `pulumi up` failing until someone edits state, so by default the agreement is declared with
 * `retainOnDelete`: removing it from the program (or replacing it) leaves it, and every acceptance record, in the
 * tenant, and only Pulumi's state forgets it. With `allowDeletion: true`, Pulumi deletes it like any resource.
 */
export class TermsOfUse extends pulumi.ComponentResource {
  /** The agreement's ID, for `grantControls.termsOfUse` (`requireTermsOfUse([terms.agreementId])`). */
  readonly agreementId: pulumi.Output<string>;
  /** Each PDF's language, file name, size and SHA-256. */
  readonly files: pulumi.Output<TermsOfUseFileSummary[]>;

  constructor(name: string, args: TermsOfUseArgs, opts?: pulumi.ComponentResourceOptions) {
    const inputs = buildAgreementInputs(name, args);
    super(TOKENS.termsOfUseComponent, name, {}, opts);

    const agreement = new AgreementResource(name, inputs, { parent: this, retainOnDelete: !inputs.allowDeletion });
    this.agreementId = agreement.id;
    this.files = agreement.files.apply((files) => (files ?? []).map((f) => ({ language: f.language, fileName: f.fileName, size: f.size, sha256: f.sha256 })));
    this.registerOutputs({ agreementId: this.agreementId, files: this.files });
  }
}
