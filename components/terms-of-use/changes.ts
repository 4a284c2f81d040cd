import type { AgreementFileInput, AgreementFileState, AgreementInputs, AgreementState } from "./model";

/** Why a language's file is posted again. */
export type UploadReason = "new language" | "content changed" | "file name or display name changed";

export interface PlannedUpload {
  readonly file: AgreementFileInput;
  readonly reason: UploadReason;
  /** Graph: `isMajorVersion`. Only a content change the author marked as major invalidates acceptances. */
  readonly isMajorVersion: boolean;
}

/** What it takes to move an agreement from its recorded state to the declaration. Pure; decided before any call. */
export interface AgreementChange {
  /** Input properties whose change needs a new agreement (as `DiffResult.replaces`). */
  readonly replaces: readonly string[];
  /** The same, in words, for the refusal and for reviewers. */
  readonly replaceReasons: readonly string[];
  /** Body of `PATCH /agreements/{id}`: only the two properties Graph's "Update agreement" accepts. */
  readonly patch: { displayName?: string; isViewingBeforeAcceptanceRequired?: boolean } | undefined;
  /** Files to `POST /agreements/{id}/files`, in language order. */
  readonly uploads: readonly PlannedUpload[];
  /** Inputs that change only what state records (opt-ins, provider version, credential kind). */
  readonly bookkeeping: readonly string[];
}

export function hasChanges(change: AgreementChange): boolean {
  return change.replaces.length > 0 || change.patch !== undefined || change.uploads.length > 0 || change.bookkeeping.length > 0;
}

export function planAgreementChange(olds: AgreementState, news: AgreementInputs): AgreementChange {
  const replaces = new Set<string>();
  const replaceReasons: string[] = [];
  const replace = (property: string, reason: string): void => {
    replaces.add(property);
    replaceReasons.push(reason);
  };

  if (olds.connection.tenantId !== news.connection.tenantId || (olds.connection.cloud ?? "global") !== (news.connection.cloud ?? "global")) {
    replace("connection", `the agreement moves to another tenant or cloud (${olds.connection.tenantId} → ${news.connection.tenantId})`);
  }
  if (olds.isPerDeviceAcceptanceRequired !== news.isPerDeviceAcceptanceRequired) {
    replace(
      "isPerDeviceAcceptanceRequired",
      `"require users to accept on every device" changes ${olds.isPerDeviceAcceptanceRequired} → ${news.isPerDeviceAcceptanceRequired}`,
    );
  }
  if ((olds.userReacceptRequiredFrequency ?? null) !== (news.userReacceptRequiredFrequency ?? null)) {
    replace(
      "userReacceptRequiredFrequency",
      `re-acceptance frequency changes ${olds.userReacceptRequiredFrequency ?? "never"} → ${news.userReacceptRequiredFrequency ?? "never"}`,
    );
  }
  if (!sameExpiration(olds.termsExpiration, news.termsExpiration)) {
    replace("termsExpiration", `expiry changes ${describeExpiration(olds.termsExpiration)} → ${describeExpiration(news.termsExpiration)}`);
  }

  const oldByLanguage = new Map(olds.files.map((f) => [f.language.toLowerCase(), f]));
  const newLanguages = new Set(news.files.map((f) => f.language.toLowerCase()));
  for (const old of olds.files) {
    if (!newLanguages.has(old.language.toLowerCase())) {
      replace("files", `the ${old.language} file is removed (Graph cannot remove a language from an agreement)`);
    }
  }
  const uploads: PlannedUpload[] = [];
  for (const file of [...news.files].sort((a, b) => a.language.localeCompare(b.language))) {
    const old = oldByLanguage.get(file.language.toLowerCase());
    if (!old) {
      uploads.push({ file, reason: "new language", isMajorVersion: false });
      if (file.isDefault) replace("files", `the default language becomes ${file.language} (Graph cannot change which file is the default)`);
      continue;
    }
    if (old.isDefault !== file.isDefault) {
      if (file.isDefault) replace("files", `the default language becomes ${file.language} (Graph cannot change which file is the default)`);
      continue;
    }
    const upload = fileUpload(old, file);
    if (upload) uploads.push(upload);
  }

  const patch: { displayName?: string; isViewingBeforeAcceptanceRequired?: boolean } = {};
  if (olds.displayName !== news.displayName) patch.displayName = news.displayName;
  if (olds.isViewingBeforeAcceptanceRequired !== news.isViewingBeforeAcceptanceRequired) {
    patch.isViewingBeforeAcceptanceRequired = news.isViewingBeforeAcceptanceRequired;
  }

  const bookkeeping: string[] = (["allowDeletion", "allowReplacementDestroyingAcceptances", "providerVersion", "label", "adoptAgreementId"] as const).filter(
    (key) => (olds[key] ?? null) !== (news[key] ?? null),
  );
  if (JSON.stringify(connectionBookkeeping(olds)) !== JSON.stringify(connectionBookkeeping(news))) bookkeeping.push("connection");

  return {
    replaces: [...replaces].sort(),
    replaceReasons,
    patch: Object.keys(patch).length > 0 ? patch : undefined,
    uploads: replaces.size > 0 ? [] : uploads,
    bookkeeping,
  };
}

/** A file that exists in both: re-posted only when its content, name or display name differs (hash decides content). */
export function fileUpload(old: Pick<AgreementFileState, "sha256" | "fileName" | "displayName">, file: AgreementFileInput): PlannedUpload | undefined {
  if (old.sha256 !== file.sha256) {
    // An unknown old hash (adopted agreement whose content Graph did not return) is not evidence of a change in
    // wording, so it never forces everyone to re-accept.
    return { file, reason: "content changed", isMajorVersion: file.majorVersion === true && old.sha256 !== "" };
  }
  if (old.fileName !== file.fileName || old.displayName !== file.displayName) {
    // Graph documents no PATCH for a file's names; a new (minor) version of the same PDF is the only way, and a
    // minor version keeps every acceptance.
    return { file, reason: "file name or display name changed", isMajorVersion: false };
  }
  return undefined;
}

/** The error `diff` raises for a replacing change the author did not opt into. */
export function replacementRefusal(label: string, reasons: readonly string[]): string {
  return [
    `${label}: refusing to replace the agreement, because a new agreement starts with no acceptance records and the old one's records are lost with it:`,
    ...reasons.map((r) => `  - ${r}`),
    "Graph cannot change these settings on an existing agreement. Either revert them, or set allowReplacementDestroyingAcceptances: true",
    "(the old agreement is kept in the tenant unless allowDeletion is also true).",
  ].join("\n");
}

function connectionBookkeeping(s: Pick<AgreementInputs, "connection">): unknown {
  const { credential, graphUrl, authorityHost, retry } = s.connection;
  return { credential: credential ?? null, graphUrl: graphUrl ?? null, authorityHost: authorityHost ?? null, retry: retry ?? null };
}

function sameExpiration(a: AgreementInputs["termsExpiration"], b: AgreementInputs["termsExpiration"]): boolean {
  if (!a || !b) return !a && !b;
  return Date.parse(a.startDateTime) === Date.parse(b.startDateTime) && a.frequency === b.frequency;
}

function describeExpiration(e: AgreementInputs["termsExpiration"]): string {
  return e ? `every ${e.frequency} from ${e.startDateTime}` : "never";
}
