import { expect } from "chai";
import { buildCreateBody, buildFileBody, planAgreementChange, replacementRefusal, stateFromGraph } from "../../components/terms-of-use";
import { hasChanges } from "../../components/terms-of-use/changes";
import type { AgreementInputs, AgreementState } from "../../components/terms-of-use";
import { EN_V2, inputsFor } from "./helpers";

/** The state a create of `inputs` records (what Graph returned, no bytes). */
function recorded(inputs: AgreementInputs): AgreementState {
  return { ...inputs, files: inputs.files.map(({ path: _p, ...f }, i) => ({ ...f, localizationId: `loc-${i}` })) };
}

describe("terms-of-use change planning (pure)", () => {
  const declared = inputsFor();

  it("sees no change when the same declaration comes again", () => {
    const change = planAgreementChange(recorded(declared), inputsFor());
    expect(change).to.deep.equal({ replaces: [], replaceReasons: [], patch: undefined, uploads: [], bookkeeping: [] });
  });

  it("patches only the display name and view-before-accept", () => {
    const change = planAgreementChange(recorded(declared), inputsFor({ displayName: "New name", requireViewingBeforeAcceptance: false }));
    expect(change.patch).to.deep.equal({ displayName: "New name", isViewingBeforeAcceptanceRequired: false });
    expect(change.replaces).to.deep.equal([]);
  });

  it("replaces for per-device acceptance, re-acceptance frequency and expiry, each with a reason", () => {
    const change = planAgreementChange(
      recorded(declared),
      inputsFor({ requireAcceptanceOnEveryDevice: true, reacceptanceFrequency: "P30D", expiry: { startDate: "2026-01-01", frequency: "P365D" } }),
    );
    expect(change.replaces).to.deep.equal(["isPerDeviceAcceptanceRequired", "termsExpiration", "userReacceptRequiredFrequency"]);
    expect(change.replaceReasons).to.deep.equal([
      '"require users to accept on every device" changes false → true',
      "re-acceptance frequency changes never → P30D",
      "expiry changes never → every P365D from 2026-01-01T00:00:00.000Z",
    ]);
    expect(change.uploads).to.deep.equal([]);
  });

  it("treats the same expiry written differently as no change", () => {
    const withExpiry = inputsFor({ expiry: { startDate: "2026-01-01", frequency: "P365D" } });
    const fromGraph = { ...recorded(withExpiry), termsExpiration: { startDateTime: "2026-01-01T00:00:00Z", frequency: "P365D" } };
    expect(planAgreementChange(fromGraph, withExpiry).replaces).to.deep.equal([]);
  });

  it("replaces when a language is removed or the default language changes", () => {
    const onlyEn = inputsFor({
      files: [inputsFor().files[0]].map((f) => ({ language: f.language, path: f.path, displayName: f.displayName, isDefault: true })),
    });
    expect(planAgreementChange(recorded(declared), onlyEn).replaceReasons).to.deep.equal([
      "the nl-NL file is removed (Graph cannot remove a language from an agreement)",
    ]);
    const nlDefault = inputsFor({
      files: [
        { language: "en-US", path: declared.files[0].path, displayName: "Contoso terms of use" },
        { language: "nl-NL", path: declared.files[1].path, displayName: "Contoso gebruiksvoorwaarden", isDefault: true },
      ],
    });
    expect(planAgreementChange(recorded(declared), nlDefault).replaces).to.deep.equal(["files"]);
  });

  it("uploads a language whose content hash changed, as a minor version unless marked major", () => {
    const v2 = (majorVersion?: boolean) =>
      inputsFor({
        files: [
          { language: "en-US", path: EN_V2, displayName: "Contoso terms of use", isDefault: true, majorVersion },
          { language: "nl-NL", path: declared.files[1].path, displayName: "Contoso gebruiksvoorwaarden" },
        ],
      });
    expect(planAgreementChange(recorded(declared), v2()).uploads.map((u) => [u.file.language, u.reason, u.isMajorVersion])).to.deep.equal([
      ["en-US", "content changed", false],
    ]);
    expect(planAgreementChange(recorded(declared), v2(true)).uploads.map((u) => u.isMajorVersion)).to.deep.equal([true]);
  });

  it("never marks an upload major when the old content is unknown (adopted agreement)", () => {
    const unknownHashes = { ...recorded(declared), files: recorded(declared).files.map((f) => ({ ...f, sha256: "" })) };
    const marked = inputsFor({
      files: declared.files.map((f) => ({ language: f.language, path: f.path, displayName: f.displayName, isDefault: f.isDefault, majorVersion: true })),
    });
    expect(planAgreementChange(unknownHashes, marked).uploads.map((u) => [u.reason, u.isMajorVersion])).to.deep.equal([
      ["content changed", false],
      ["content changed", false],
    ]);
  });

  it("records opt-in and provider-version changes as bookkeeping only", () => {
    const change = planAgreementChange(recorded(declared), { ...inputsFor({ allowDeletion: true }), providerVersion: "2" });
    expect(change.bookkeeping).to.deep.equal(["allowDeletion", "providerVersion"]);
    expect([change.patch, change.uploads, change.replaces]).to.deep.equal([undefined, [], []]);
  });

  it("builds the create body with the default file only and optional settings left out when unset", () => {
    const body = buildCreateBody(declared, "QUJD");
    expect(body).to.deep.equal({
      displayName: "Contoso terms of use",
      isViewingBeforeAcceptanceRequired: true,
      isPerDeviceAcceptanceRequired: false,
      files: [{ fileName: "terms-en-US.pdf", language: "en-US", displayName: "Contoso terms of use", isDefault: true, fileData: { data: "QUJD" } }],
    });
    expect(buildFileBody(declared.files[1], "WFla", true)).to.deep.equal({
      fileName: "terms-nl-NL.pdf",
      language: "nl-NL",
      displayName: "Contoso gebruiksvoorwaarden",
      isDefault: false,
      isMajorVersion: true,
      fileData: { data: "WFla" },
    });
  });

  it("keeps a recorded hash when Graph returns no file content, and drops it when the file name changed", () => {
    const known = recorded(declared);
    const graph = {
      displayName: "Contoso terms of use",
      files: [
        { id: "loc-0", language: "en-US", fileName: "terms-en-US.pdf", displayName: "Contoso terms of use", isDefault: true, fileData: null },
        { id: "loc-1", language: "nl-NL", fileName: "renamed.pdf", displayName: "x", isDefault: false, fileData: null },
      ],
    };
    const state = stateFromGraph(graph, known);
    expect(state.files.map((f) => f.sha256)).to.deep.equal([known.files[0].sha256, ""]);
  });

  it("moving the agreement to another tenant or cloud is a replacement, with both tenants named", () => {
    const moved = { ...declared, connection: { ...declared.connection, tenantId: "99999999-0000-4000-8000-000000000000" } };
    const change = planAgreementChange(recorded(declared), moved);
    expect(change.replaces).to.deep.equal(["connection"]);
    expect(change.replaceReasons).to.deep.equal([
      `the agreement moves to another tenant or cloud (${declared.connection.tenantId} → 99999999-0000-4000-8000-000000000000)`,
    ]);
    const otherCloud = { ...declared, connection: { ...declared.connection, cloud: "usGovernment" as const } };
    expect(planAgreementChange(recorded(declared), otherCloud).replaces).to.deep.equal(["connection"]);
    expect(
      planAgreementChange(recorded(declared), { ...declared, connection: { ...declared.connection, cloud: "global" as const } }).replaces,
      "global is the default",
    ).to.deep.equal([]);
  });

  it("a changed sign-in (credential, endpoints, retry) is bookkeeping: recorded, nothing sent", () => {
    const change = planAgreementChange(recorded(declared), { ...declared, connection: { ...declared.connection, credential: "azureCli" } });
    expect([change.replaces, change.patch, change.uploads]).to.deep.equal([[], undefined, []]);
    expect(change.bookkeeping).to.have.length(1);
    expect(hasChanges(change)).to.equal(true);
    expect(hasChanges(planAgreementChange(recorded(declared), declared))).to.equal(false);
  });

  it("a new file name or display name for a language is a new version of that language, not a major one", () => {
    const renamed = inputsFor({
      files: declared.files.map((f) => ({
        language: f.language,
        path: f.path,
        displayName: f.language === "nl-NL" ? "Nieuwe naam" : f.displayName,
        isDefault: f.isDefault,
      })),
    });
    const change = planAgreementChange(recorded(declared), renamed);
    expect(change.uploads.map((u) => [u.file.language, u.reason, u.isMajorVersion])).to.deep.equal([["nl-NL", "file name or display name changed", false]]);
  });

  it("another default language, or a language removed, cannot be applied in place", () => {
    const swapped = inputsFor({
      files: declared.files.map((f) => ({ language: f.language, path: f.path, displayName: f.displayName, isDefault: !f.isDefault })),
    });
    expect(planAgreementChange(recorded(declared), swapped).replaceReasons).to.deep.equal([
      "the default language becomes nl-NL (Graph cannot change which file is the default)",
    ]);
    const fewer = inputsFor({ files: [{ language: "en-US", path: declared.files[0].path, displayName: declared.files[0].displayName, isDefault: true }] });
    const change = planAgreementChange(recorded(declared), fewer);
    expect(change.replaceReasons).to.deep.equal(["the nl-NL file is removed (Graph cannot remove a language from an agreement)"]);
    expect(change.uploads, "nothing is uploaded to an agreement that will be replaced").to.deep.equal([]);
  });

  it("the same expiry is no change however the date is written; another frequency or start is", () => {
    const at = (startDate: string, frequency: string) => inputsFor({ expiry: { startDate, frequency } });
    const base = recorded(at("2026-01-01", "P365D"));
    expect(planAgreementChange(base, at("2026-01-01T00:00:00Z", "P365D")).replaces).to.deep.equal([]);
    expect(planAgreementChange(base, at("2026-01-01", "P180D")).replaces).to.deep.equal(["termsExpiration"]);
    expect(planAgreementChange(base, at("2026-02-01", "P365D")).replaces).to.deep.equal(["termsExpiration"]);
  });

  it("the refusal lists every reason and both ways out", () => {
    expect(replacementRefusal("stack s › terms of use t", ["reason one", "reason two"])).to.equal(
      [
        "stack s › terms of use t: refusing to replace the agreement, because a new agreement starts with no acceptance records and the old one's records are lost with it:",
        "  - reason one",
        "  - reason two",
        "Graph cannot change these settings on an existing agreement. Either revert them, or set allowReplacementDestroyingAcceptances: true",
        "(the old agreement is kept in the tenant unless allowDeletion is also true).",
      ].join("\n"),
    );
  });
});
