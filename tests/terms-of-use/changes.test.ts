import { expect } from "chai";
import { buildCreateBody, buildFileBody, planAgreementChange, stateFromGraph } from "../../components/terms-of-use";
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
    const onlyEn = inputsFor({ files: [inputsFor().files[0]].map((f) => ({ language: f.language, path: f.path, displayName: f.displayName, isDefault: true })) });
    expect(planAgreementChange(recorded(declared), onlyEn).replaceReasons).to.deep.equal(["the nl-NL file is removed (Graph cannot remove a language from an agreement)"]);
    const nlDefault = inputsFor({ files: [{ language: "en-US", path: declared.files[0].path, displayName: "Contoso terms of use" }, { language: "nl-NL", path: declared.files[1].path, displayName: "Contoso gebruiksvoorwaarden", isDefault: true }] });
    expect(planAgreementChange(recorded(declared), nlDefault).replaces).to.deep.equal(["files"]);
  });

  it("uploads a language whose content hash changed, as a minor version unless marked major", () => {
    const v2 = (majorVersion?: boolean) => inputsFor({ files: [{ language: "en-US", path: EN_V2, displayName: "Contoso terms of use", isDefault: true, majorVersion }, { language: "nl-NL", path: declared.files[1].path, displayName: "Contoso gebruiksvoorwaarden" }] });
    expect(planAgreementChange(recorded(declared), v2()).uploads.map((u) => [u.file.language, u.reason, u.isMajorVersion])).to.deep.equal([["en-US", "content changed", false]]);
    expect(planAgreementChange(recorded(declared), v2(true)).uploads.map((u) => u.isMajorVersion)).to.deep.equal([true]);
  });

  it("never marks an upload major when the old content is unknown (adopted agreement)", () => {
    const unknownHashes = { ...recorded(declared), files: recorded(declared).files.map((f) => ({ ...f, sha256: "" })) };
    const marked = inputsFor({ files: declared.files.map((f) => ({ language: f.language, path: f.path, displayName: f.displayName, isDefault: f.isDefault, majorVersion: true })) });
    expect(planAgreementChange(unknownHashes, marked).uploads.map((u) => [u.reason, u.isMajorVersion])).to.deep.equal([["content changed", false], ["content changed", false]]);
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
});
