import type { ServiceEndpoints } from "../../lib/graph";
import type { TenantSettings } from "../../lib/tenant-settings";

/** One language's terms-of-use PDF (portal: Terms of use › New terms › "Terms of use document" + "Language"). */
export interface TermsOfUseFile {
  /** Portal: "Language". Graph: `language` (BCP-47, canonical case, e.g. `en-US`, `nl-NL`). */
  readonly language: string;
  /** Path of the PDF, absolute or relative to the project directory. Graph: `fileName` is its base name. */
  readonly path: string;
  /** Portal: "Display name" of this language, the title users see. Graph: the file's `displayName`. */
  readonly displayName: string;
  /** Graph: `isDefault`: shown when no file matches the user's language. Exactly one file is the default. @default false */
  readonly isDefault?: boolean;
  /**
   * When this PDF's content changes, upload it as a major version: Graph's `isMajorVersion`, which invalidates this
   * language's acceptances so everyone accepts the new wording. A minor version keeps them. @default false
   */
  readonly majorVersion?: boolean;
}

export interface TermsOfUseArgs {
  /** The tenant's validated settings: tenant ID, cloud and credential kind for Graph. */
  readonly tenant: TenantSettings;
  /** Portal: "Name" (admins see it). Graph: agreement `displayName`. Updated in place. */
  readonly displayName: string;
  /** One PDF per language, exactly one of them the default. */
  readonly files: readonly TermsOfUseFile[];
  /** Portal: "Require users to expand the terms of use". Graph: `isViewingBeforeAcceptanceRequired`. Updated in place. @default true */
  readonly requireViewingBeforeAcceptance?: boolean;
  /**
   * Portal: "Require users to consent on every device". Graph: `isPerDeviceAcceptanceRequired`. Cannot change on an
   * existing agreement (see `allowReplacementDestroyingAcceptances`). @default false
   */
  readonly requireAcceptanceOnEveryDevice?: boolean;
  /**
   * Portal: "Duration before re-acceptance required (days)". Graph: `userReacceptRequiredFrequency` (ISO-8601
   * duration, e.g. `P90D`). Cannot change on an existing agreement. @default undefined (never)
   */
  readonly reacceptanceFrequency?: string;
  /**
   * Portal: "Expire consents" with "Expire starting on" and "Frequency". Graph: `termsExpiration`
   * (`startDateTime`, `frequency` as ISO-8601 duration, e.g. `P365D`). Cannot change on an existing agreement.
   * @default undefined (consents do not expire)
   */
  readonly expiry?: { readonly startDate: string; readonly frequency: string };
  /**
   * ID of an agreement that already exists (e.g. made in the portal) to adopt instead of creating a new one. Its
   * per-device, expiry and re-acceptance settings must match the declaration. @default undefined (create)
   */
  readonly existingAgreementId?: string;
  /**
   * Lets a change to per-device acceptance, expiry, re-acceptance frequency, the default language or the set of
   * languages replace the agreement. The new agreement starts with no acceptances. @default false (refused)
   */
  readonly allowReplacementDestroyingAcceptances?: boolean;
  /**
   * Lets Pulumi delete the agreement (and with it every acceptance record) when it leaves the program or is
   * replaced. Without it the agreement is retained in the tenant (`retainOnDelete`). @default false
   */
  readonly allowDeletion?: boolean;
  /** Where Graph is, when not the tenant cloud's (a sovereign or test host), and the retry pace. @default the cloud's endpoints */
  readonly endpoints?: ServiceEndpoints;
}
