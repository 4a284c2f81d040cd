import * as fs from "node:fs";
import type { TermsOfUseArgs } from "../../components/terms-of-use";
import { buildAgreementInputs } from "../../components/terms-of-use";
import type { AgreementInputs } from "../../components/terms-of-use";
import type { Connection } from "../../lib/graph";
import { TEST_TENANT_ID } from "../support/connection";
import { testTenant } from "../support/tenant";

export const FIXTURES = "tests/fixtures/terms-of-use";
export const EN = `${FIXTURES}/terms-en-US.pdf`;
export const EN_V2 = `${FIXTURES}/terms-en-US-v2.pdf`;
export const NL = `${FIXTURES}/terms-nl-NL.pdf`;
export const FR = `${FIXTURES}/terms-fr-FR.pdf`;
export const NOT_A_PDF = `${FIXTURES}/not-a-pdf.pdf`;

export const base64Of = (file: string): string => fs.readFileSync(file).toString("base64");

/**
 * Two languages, en-US default. With a connection (a local server's), its endpoints and retry pace are the
 * component's `endpoints`; the credential is the test tenant's own (`credentials.termsOfUse`).
 */
export function termsArgs(overrides: Partial<TermsOfUseArgs> = {}, connection?: Partial<Connection>): TermsOfUseArgs {
  return {
    tenant: testTenant({ tenantId: TEST_TENANT_ID }),
    displayName: "Contoso terms of use",
    files: [
      { language: "en-US", path: EN, displayName: "Contoso terms of use", isDefault: true },
      { language: "nl-NL", path: NL, displayName: "Contoso gebruiksvoorwaarden" },
    ],
    ...(connection ? { endpoints: { graphUrl: connection.graphUrl, authorityHost: connection.authorityHost, retry: connection.retry } } : {}),
    ...overrides,
  };
}

export function inputsFor(overrides: Partial<TermsOfUseArgs> = {}, connection?: Partial<Connection>): AgreementInputs {
  return buildAgreementInputs("contoso-terms", termsArgs(overrides, connection));
}
