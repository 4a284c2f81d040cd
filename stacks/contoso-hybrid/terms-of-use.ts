import { TermsOfUse } from "../../components/terms-of-use";
import type { TenantSettings } from "../../lib/tenant-settings";

/**
 * Contoso's terms of use in English (default) and Dutch. Users accept again every 180 days. To publish new
 * wording, replace a PDF: it becomes a new version of that language's file and every acceptance is kept; add
 * `majorVersion: true` to that file when everyone must accept the new wording.
 */
export function contosoTermsOfUse(tenant: TenantSettings): TermsOfUse {
  // Relative to the project directory (Pulumi runs programs there), so the source and the compiled program (dist/)
  // declare the same path and a build never shows up as a change.
  const terms = (file: string): string => `stacks/contoso-hybrid/terms/${file}`;
  return new TermsOfUse("contoso-terms-of-use", {
    tenant,
    displayName: "Contoso acceptable use",
    files: [
      { language: "en-US", path: terms("contoso-terms-en-US.pdf"), displayName: "Contoso terms of use", isDefault: true },
      { language: "nl-NL", path: terms("contoso-terms-nl-NL.pdf"), displayName: "Contoso gebruiksvoorwaarden" },
    ],
    requireViewingBeforeAcceptance: true,
    reacceptanceFrequency: "P180D",
  });
}
