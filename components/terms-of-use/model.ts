import type { Connection } from "../../lib/graph";

/**
 * Bump when the provider's behaviour changes: it is an input, so every agreement's diff shows a (no-op) update and
 * the engine stores the new serialized provider in state. Without it, old code would keep running from state.
 */
export const PROVIDER_VERSION = "1";

/** Graph's agreement collection, relative to the Graph root's /v1.0. */
export const AGREEMENTS_PATH = "/identityGovernance/termsOfUse/agreements";

/** One language's PDF as the provider sees it: where to read it, and the hash it must still have. Never the bytes. */
export interface AgreementFileInput {
  /** BCP-47 tag, e.g. en-US. Graph: `language`. */
  readonly language: string;
  /** Graph: `fileName`. */
  readonly fileName: string;
  /** Shown to users who view the agreement. Graph: `displayName` of the file. */
  readonly displayName: string;
  /** Graph: `isDefault`. Exactly one file is the default. */
  readonly isDefault: boolean;
  /**
   * Path the provider re-reads the PDF from when it uploads (relative to the project directory, where the engine
   * starts the provider). Not part of the diff: the same PDF at another path is no change.
   */
  readonly path: string;
  /** SHA-256 of the PDF (hex), computed when the program ran: the content identity the diff compares. */
  readonly sha256: string;
  /** Size in bytes, shown in plans. */
  readonly size: number;
  /** When this file's content changes, upload it as a major version (everyone re-accepts that language). @default false */
  readonly majorVersion?: boolean;
}

/** What the dynamic resource receives. Plain data only: it is stored in state and shown in plans. */
export interface AgreementInputs {
  readonly connection: Connection;
  /** Names the stack and component in every error, e.g. `stack contoso-hybrid › terms of use contoso-terms`. */
  readonly label: string;
  readonly displayName: string;
  readonly isViewingBeforeAcceptanceRequired: boolean;
  readonly isPerDeviceAcceptanceRequired: boolean;
  /** ISO-8601 duration, or null for "never". */
  readonly userReacceptRequiredFrequency: string | null;
  readonly termsExpiration: { readonly startDateTime: string; readonly frequency: string } | null;
  readonly files: readonly AgreementFileInput[];
  /** Adopt this existing agreement on create instead of posting a new one (import of portal-made terms). */
  readonly adoptAgreementId: string | null;
  readonly allowReplacementDestroyingAcceptances: boolean;
  readonly allowDeletion: boolean;
  readonly providerVersion: string;
}

/** A file as recorded in state: the input minus nothing secret, plus Graph's localization ID. */
export interface AgreementFileState extends Omit<AgreementFileInput, "path"> {
  /** Graph's ID of this language's agreementFileLocalization; empty until Graph has it. */
  readonly localizationId: string;
}

/** The dynamic resource's outputs. Holds names, sizes and hashes of PDFs, never their bytes. */
export interface AgreementState extends Omit<AgreementInputs, "files"> {
  readonly files: readonly AgreementFileState[];
}

/** Settings Graph cannot PATCH: changing them needs a new agreement, which loses every acceptance record. */
export const REPLACE_ONLY_SETTINGS = ["isPerDeviceAcceptanceRequired", "userReacceptRequiredFrequency", "termsExpiration"] as const;
