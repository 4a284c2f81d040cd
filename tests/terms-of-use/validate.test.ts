import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildAgreementInputs, MAX_PDF_BYTES, TermsOfUseArgs } from "../../components/terms-of-use";
import { ValidationError } from "../../lib/problems";
import { testTenant } from "../support/tenant";
import { EN, NL, NOT_A_PDF, termsArgs } from "./helpers";

const PREFIX = "stack test-tenant › terms of use contoso-terms › ";

function problemsOf(overrides: Partial<TermsOfUseArgs>): string[] {
  try {
    buildAgreementInputs("contoso-terms", termsArgs(overrides));
  } catch (err) {
    expect(err).to.be.instanceOf(ValidationError);
    return (err as ValidationError).message
      .split("\n")
      .slice(1)
      .map((l) => l.replace(/^ {2}- /, ""));
  }
  throw new Error("expected a ValidationError");
}

describe("terms-of-use validation (before anything is declared)", () => {
  it("turns valid arguments into provider inputs with each PDF's name, size, hash and project-relative path", () => {
    const inputs = buildAgreementInputs("contoso-terms", termsArgs({ reacceptanceFrequency: "P90D", expiry: { startDate: "2026-01-01", frequency: "P365D" } }));
    expect(inputs.files.map((f) => [f.language, f.fileName, f.path, f.size, f.isDefault])).to.deep.equal([
      ["en-US", "terms-en-US.pdf", EN, fs.statSync(EN).size, true],
      ["nl-NL", "terms-nl-NL.pdf", NL, fs.statSync(NL).size, false],
    ]);
    expect(inputs.termsExpiration).to.deep.equal({ startDateTime: "2026-01-01T00:00:00.000Z", frequency: "P365D" });
    expect([
      inputs.isViewingBeforeAcceptanceRequired,
      inputs.isPerDeviceAcceptanceRequired,
      inputs.allowDeletion,
      inputs.allowReplacementDestroyingAcceptances,
    ]).to.deep.equal([true, false, false, false]);
    // The administrator's delegated credential from credentials.termsOfUse, not graph.credential.
    expect(inputs.connection).to.deep.equal({ tenantId: "11111111-2222-3333-4444-555555555555", cloud: "global", credential: "deviceCode" });
  });

  it("lists files in language order, so reordering the declaration changes nothing", () => {
    const args = termsArgs();
    const reversed = buildAgreementInputs("contoso-terms", { ...args, files: [...args.files].reverse() });
    expect(reversed).to.deep.equal(buildAgreementInputs("contoso-terms", args));
  });

  it("rejects a missing PDF, naming the file", () => {
    expect(problemsOf({ files: [{ language: "en-US", path: "tests/fixtures/terms-of-use/missing.pdf", displayName: "T", isDefault: true }] })).to.deep.equal([
      `${PREFIX}files[0] (en-US) › path: cannot read ${path.resolve("tests/fixtures/terms-of-use/missing.pdf")}. Allowed: the path of an existing PDF, absolute or relative to the project directory.`,
    ]);
  });

  it("rejects a file without the PDF signature", () => {
    expect(problemsOf({ files: [{ language: "en-US", path: NOT_A_PDF, displayName: "T", isDefault: true }] })).to.deep.equal([
      `${PREFIX}files[0] (en-US) › path: not-a-pdf.pdf does not start with the PDF signature "%PDF-". Allowed: a PDF document (Entra shows terms of use only as PDF).`,
    ]);
  });

  it("rejects a PDF over the size limit", () => {
    const big = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tou-")), "big.pdf");
    fs.writeFileSync(big, Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(MAX_PDF_BYTES)]));
    expect(problemsOf({ files: [{ language: "en-US", path: big, displayName: "T", isDefault: true }] })).to.deep.equal([
      `${PREFIX}files[0] (en-US) › path: big.pdf is ${MAX_PDF_BYTES + 9} bytes. Allowed: at most ${MAX_PDF_BYTES} bytes (3 MiB).`,
    ]);
  });

  it("rejects invalid and non-canonical language codes, and a language declared twice", () => {
    expect(
      problemsOf({
        files: [
          { language: "english", path: EN, displayName: "T", isDefault: true },
          { language: "nl-nl", path: NL, displayName: "T" },
          { language: "NL-NL", path: NL, displayName: "T" },
        ],
      }),
    ).to.deep.equal([
      `${PREFIX}files[0] (english) › language: "english" is not a valid language tag. Allowed: a BCP-47 tag such as en-US, nl-NL or fr-FR.`,
      `${PREFIX}files[1] (nl-nl) › language: "nl-nl" is not written in canonical form. Allowed: "nl-NL".`,
      `${PREFIX}files[2] (NL-NL) › language: "NL-NL" is not written in canonical form. Allowed: "nl-NL".`,
      `${PREFIX}files[2] (NL-NL) › language: is also declared by files[1]. Allowed: one file per language.`,
    ]);
  });

  it("requires exactly one default file", () => {
    const none = termsArgs().files.map((f) => ({ ...f, isDefault: false }));
    expect(problemsOf({ files: none })).to.deep.equal([`${PREFIX}files: 0 files are marked isDefault. Allowed: exactly one default file.`]);
    const both = termsArgs().files.map((f) => ({ ...f, isDefault: true }));
    expect(problemsOf({ files: both })).to.deep.equal([`${PREFIX}files: 2 files are marked isDefault (en-US, nl-NL). Allowed: exactly one default file.`]);
  });

  it("makes a single file the default without saying so", () => {
    const inputs = buildAgreementInputs("contoso-terms", termsArgs({ files: [{ language: "en-US", path: EN, displayName: "T" }] }));
    expect(inputs.files[0].isDefault).to.equal(true);
  });

  it("rejects an empty agreement name, empty file display name and no files", () => {
    expect(problemsOf({ displayName: " ", files: [{ language: "en-US", path: EN, displayName: "", isDefault: true }] })).to.deep.equal([
      `${PREFIX}displayName: is empty. Allowed: the agreement's name as administrators see it in the portal.`,
      `${PREFIX}files[0] (en-US) › displayName: is empty. Allowed: the title users see for this language.`,
    ]);
    expect(problemsOf({ files: [] })).to.deep.equal([`${PREFIX}files: declares no PDF. Allowed: at least one file, one of them the default.`]);
  });

  it("rejects durations and dates that are not ISO-8601", () => {
    expect(problemsOf({ reacceptanceFrequency: "90 days", expiry: { startDate: "next monday", frequency: "yearly" } })).to.deep.equal([
      `${PREFIX}reacceptanceFrequency: "90 days" is not a duration Graph accepts. Allowed: days and time parts only, e.g. P90D (90 days) or P365D (Graph refuses P1Y, P1M, P1W).`,
      `${PREFIX}expiry.startDate: "next monday" is not a date. Allowed: an ISO-8601 date such as 2026-01-01.`,
      `${PREFIX}expiry.frequency: "yearly" is not a duration Graph accepts. Allowed: days and time parts only, e.g. P365D or P30D (Graph refuses P1Y, P1M, P1W).`,
    ]);
  });

  it("rejects years, months and weeks, which are ISO-8601 but not Graph durations (Edm.Duration: days and time only)", () => {
    for (const duration of ["P1Y", "P1M", "P2W", "P1Y2D"]) {
      expect(problemsOf({ reacceptanceFrequency: duration })).to.have.length(1);
      expect(problemsOf({ expiry: { startDate: "2026-01-01", frequency: duration } })).to.have.length(1);
    }
    for (const duration of ["P90D", "PT12H", "P1DT2H30M"])
      expect(() => buildAgreementInputs("contoso-terms", termsArgs({ reacceptanceFrequency: duration }))).not.to.throw();
  });

  it("refuses an app-only credential for terms of use, naming the settings field and what Graph accepts", () => {
    const [problem] = problemsOf({ tenant: testTenant({ credentials: { termsOfUse: "environment" } }) });
    expect(problem).to.contain("m365-baseline:tenant.credentials.termsOfUse").and.contain('"environment" cannot sign in to termsOfUse');
    expect(problem).to.contain('"Application: Not supported"').and.contain("Allowed: azureCli, deviceCode, interactiveBrowser");
    // Without its own entry, terms of use use graph.credential, and the problem names that field.
    const [inherited] = problemsOf({ tenant: testTenant({ credentials: {}, graph: { cloud: "global", credential: "default" } }) });
    expect(inherited).to.contain("m365-baseline:tenant.graph.credential");
  });

  it("rejects an existing agreement ID that is not a GUID", () => {
    expect(problemsOf({ existingAgreementId: "Contoso ToU" })).to.deep.equal([
      `${PREFIX}existingAgreementId: "Contoso ToU" is not an agreement ID. Allowed: the agreement's object ID (a GUID) from the portal or GET /identityGovernance/termsOfUse/agreements.`,
    ]);
  });
});
