import type { Agreement, AgreementFileLocalization } from "@microsoft/microsoft-graph-types";
import { createHash } from "node:crypto";
import type { AgreementFileInput, AgreementFileState, AgreementInputs, AgreementState } from "./model";

/**
 * Request bodies and state, built from inputs and Graph answers. Pure: the provider does the calls. PDF bytes
 * enter only as the `base64` argument and leave only inside the request body.
 */

/** `POST /identityGovernance/termsOfUse/agreements`: the agreement with its default file only. */
export function buildCreateBody(inputs: AgreementInputs, defaultFileBase64: string): Agreement {
  const defaultFile = defaultFileOf(inputs.files);
  return {
    displayName: inputs.displayName,
    isViewingBeforeAcceptanceRequired: inputs.isViewingBeforeAcceptanceRequired,
    isPerDeviceAcceptanceRequired: inputs.isPerDeviceAcceptanceRequired,
    ...(inputs.userReacceptRequiredFrequency ? { userReacceptRequiredFrequency: inputs.userReacceptRequiredFrequency } : {}),
    ...(inputs.termsExpiration ? { termsExpiration: { ...inputs.termsExpiration } } : {}),
    files: [{ ...fileProperties(defaultFile), isDefault: true, fileData: { data: defaultFileBase64 } }],
  };
}

/** `POST /agreements/{id}/files`: a language's file, new or as a new version of that language. */
export function buildFileBody(file: AgreementFileInput, base64: string, isMajorVersion: boolean): AgreementFileLocalization {
  return { ...fileProperties(file), isDefault: file.isDefault, isMajorVersion, fileData: { data: base64 } };
}

export function defaultFileOf<T extends { isDefault: boolean }>(files: readonly T[]): T {
  const found = files.find((f) => f.isDefault);
  if (!found) throw new Error("no default file: validation should have caught this");
  return found;
}

/** Hex SHA-256, the content identity of a PDF. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/**
 * State from Graph's agreement (with `files` expanded), keeping what Graph does not return from `known` (opt-ins,
 * connection, label) and a file's hash when Graph sends no content for it but the name is unchanged.
 */
export function stateFromGraph(
  agreement: Agreement,
  known: Omit<AgreementState, "files" | RemoteKeys> & { files?: readonly AgreementFileState[] },
): AgreementState {
  const knownFiles = new Map((known.files ?? []).map((f) => [f.language.toLowerCase(), f]));
  const files = (agreement.files ?? []).map((loc): AgreementFileState => {
    const language = loc.language ?? "";
    const previous = knownFiles.get(language.toLowerCase());
    const content = loc.fileData?.data ? Buffer.from(loc.fileData.data, "base64") : undefined;
    const unchangedName = previous && previous.fileName === (loc.fileName ?? "");
    return {
      language,
      fileName: loc.fileName ?? "",
      displayName: loc.displayName ?? "",
      isDefault: loc.isDefault === true,
      sha256: content ? sha256Hex(content) : unchangedName ? previous.sha256 : "",
      size: content ? content.length : unchangedName ? previous.size : 0,
      localizationId: loc.id ?? "",
      ...(previous?.majorVersion !== undefined ? { majorVersion: previous.majorVersion } : {}),
    };
  });
  return {
    connection: known.connection,
    label: known.label,
    adoptAgreementId: known.adoptAgreementId,
    allowDeletion: known.allowDeletion,
    allowReplacementDestroyingAcceptances: known.allowReplacementDestroyingAcceptances,
    providerVersion: known.providerVersion,
    displayName: agreement.displayName ?? "",
    isViewingBeforeAcceptanceRequired: agreement.isViewingBeforeAcceptanceRequired === true,
    isPerDeviceAcceptanceRequired: agreement.isPerDeviceAcceptanceRequired === true,
    userReacceptRequiredFrequency: agreement.userReacceptRequiredFrequency ?? null,
    termsExpiration:
      agreement.termsExpiration?.startDateTime && agreement.termsExpiration.frequency
        ? { startDateTime: agreement.termsExpiration.startDateTime, frequency: agreement.termsExpiration.frequency }
        : null,
    files: files.sort((a, b) => a.language.localeCompare(b.language)),
  };
}

type RemoteKeys = "displayName" | "isViewingBeforeAcceptanceRequired" | "isPerDeviceAcceptanceRequired" | "userReacceptRequiredFrequency" | "termsExpiration";

/** State recorded for a file the provider just uploaded (hash and size from the declaration it verified). */
export function fileState(file: AgreementFileInput, localizationId: string): AgreementFileState {
  const { path: _path, ...rest } = file;
  void _path;
  return { ...rest, localizationId };
}

function fileProperties(file: AgreementFileInput): Pick<AgreementFileLocalization, "fileName" | "language" | "displayName"> {
  return { fileName: file.fileName, language: file.language, displayName: file.displayName };
}
