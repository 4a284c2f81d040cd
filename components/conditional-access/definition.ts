import * as pulumi from "@pulumi/pulumi";
import { GUEST_OR_EXTERNAL_USER_TYPES, GuestOrExternalUserType } from "../../lib/entra/well-known";
import type { WideImpactRisk } from "../../lib/whatif/wide-impact";

/**
 * What an author declares for one conditional-access policy. Names follow the Entra portal; each field's TSDoc
 * names the Graph property (`conditionalAccessPolicy`, v1.0) it becomes.
 */
export interface PolicyDefinition {
  /**
   * Stable logical name, also the Pulumi resource name: the policy's identity. Renaming `displayName` updates the
   * policy in place; renaming `name` replaces it. Convention: `CA<nnn>-<Scope>-<Apps>-<Action>`.
   */
  readonly name: string;
  /** Portal: "Name". Graph: `displayName`. @default the logical `name` */
  readonly displayName?: string;
  /** Free text for reviewers; shown in plans, not sent to Graph (which has no description on v1.0 policies). @default none */
  readonly description?: string;
  /**
   * Portal: "Enable policy" (On / Report-only / Off). Graph: `state`.
   * @default "reportOnly" — a new policy never enforces until a reviewer says so.
   */
  readonly state?: PolicyState;
  /** Portal: "Users". Graph: `conditions.users`. */
  readonly users: UserScope;
  /** Portal: "Target resources". Graph: `conditions.applications`. */
  readonly applications: ApplicationScope;
  /** Portal: "Workload identities". Graph: `conditions.clientApplications`. Sync service principals are excluded. @default not configured (users only) */
  readonly servicePrincipals?: { readonly include: readonly string[]; readonly exclude?: readonly string[] };
  /** Portal: Conditions › "Client apps". Graph: `conditions.clientAppTypes`. @default ["all"] */
  readonly clientAppTypes?: readonly ClientAppType[];
  /** Portal: Conditions › "Device platforms". Graph: `conditions.platforms`. @default not configured (any platform) */
  readonly platforms?: { readonly include: readonly DevicePlatform[]; readonly exclude?: readonly DevicePlatform[] };
  /**
   * Portal: Conditions › "Locations". Graph: `conditions.locations`. Values: `All`, `AllTrusted`, a named-location
   * ID, or the logical name of a named location declared in the same policy set.
   * @default not configured (any location)
   */
  readonly locations?: { readonly include: readonly pulumi.Input<string>[]; readonly exclude?: readonly pulumi.Input<string>[] };
  /** Portal: Conditions › "Filter for devices". Graph: `conditions.devices.deviceFilter`. @default not configured (any device) */
  readonly deviceFilter?: { readonly mode: "include" | "exclude"; readonly rule: string };
  /** Portal: Conditions › "Sign-in risk". Graph: `conditions.signInRiskLevels`. @default not configured (any sign-in risk) */
  readonly signInRiskLevels?: readonly RiskLevel[];
  /** Portal: Conditions › "User risk". Graph: `conditions.userRiskLevels`. @default not configured (any user risk) */
  readonly userRiskLevels?: readonly RiskLevel[];
  /** Portal: Access controls › "Grant". Graph: `grantControls`. @default none (a policy needs grant or session controls) */
  readonly grant?: GrantControls;
  /** Portal: Access controls › "Session". Graph: `sessionControls`. @default none */
  readonly session?: SessionControls;
  /**
   * Removes a built-in exclusion from this one policy. Each opt-out needs a written reason, which every plan and
   * diff shows. A policy with a sync or break-glass opt-out cannot be `enabled`: it would apply to that account.
   * @default none: every built-in exclusion applies
   */
  readonly exclusionOptOut?: ExclusionOptOut;
  /**
   * Wide-impact effects this policy has on purpose, each with a written reason a reviewer can judge: without one,
   * `plan` refuses an enabled policy that blocks every Global Administrator from the admin portals
   * (`blocksEveryGlobalAdministrator`), every member from every app (`blocksEveryMember`) or every service principal
   * (`blocksEveryServicePrincipal`). Shown in every plan.
   * @default none acknowledged
   */
  readonly acknowledgedRisks?: Partial<Record<WideImpactRisk, { readonly reason: string }>>;
}

export type PolicyState = "enabled" | "reportOnly" | "disabled";

export interface UserScope {
  /** Graph: `includeUsers`. `All`, `None`, or user object IDs. @default [] */
  readonly includeUsers?: readonly string[];
  /** Graph: `includeGroups`. Group object IDs. @default [] */
  readonly includeGroups?: readonly string[];
  /** Graph: `includeRoles`. Role names (e.g. "Global Administrator") or role template IDs. @default [] */
  readonly includeRoles?: readonly string[];
  /** Graph: `includeGuestsOrExternalUsers.guestOrExternalUserTypes`. @default not configured */
  readonly includeGuestsOrExternalUsers?: readonly GuestOrExternalUserType[];
  /** Graph: `excludeUsers`. Added to the tenant's sync and break-glass users. @default [] (the built-in exclusions only) */
  readonly excludeUsers?: readonly string[];
  /** Graph: `excludeGroups`. Added to the tenant's break-glass groups. @default [] (the built-in exclusions only) */
  readonly excludeGroups?: readonly string[];
  /** Graph: `excludeRoles`. Added to the directory-sync roles. @default [] (the built-in exclusions only) */
  readonly excludeRoles?: readonly string[];
}

export interface ApplicationScope {
  /** Graph: `includeApplications`. `All`, `Office365`, `MicrosoftAdminPortals`, a well-known app name, or an app ID. @default [] */
  readonly include?: readonly string[];
  /** Graph: `excludeApplications`. @default [] */
  readonly exclude?: readonly string[];
  /** Graph: `includeUserActions`. @default [] */
  readonly userActions?: readonly UserAction[];
}

export interface GrantControls {
  /** Portal: "Require all / one of the selected controls". Graph: `operator`. @default "OR" */
  readonly operator?: "AND" | "OR";
  /** Graph: `builtInControls`. `block` must stand alone. @default [] */
  readonly controls?: readonly GrantControl[];
  /** Graph: `termsOfUse`: agreement IDs, typically a `TermsOfUse` component's `agreementId`. @default [] */
  readonly termsOfUse?: readonly pulumi.Input<string>[];
  /** Graph: `authenticationStrength.id`. The built-in MFA strength is `00000000-0000-0000-0000-000000000002`. @default none */
  readonly authenticationStrengthId?: string;
}

export interface SessionControls {
  /** Portal: "Use Conditional Access App Control". Graph: `cloudAppSecurity.cloudAppSecurityType`. Browser sessions only. @default off */
  readonly cloudAppSecurity?: CloudAppSecurityType;
  /** Portal: "Use app enforced restrictions". Graph: `applicationEnforcedRestrictions.isEnabled`. @default off */
  readonly applicationEnforcedRestrictions?: boolean;
  /** Portal: "Sign-in frequency". Graph: `signInFrequency`. @default not configured (Entra's default rolling window) */
  readonly signInFrequency?: { readonly value: number; readonly unit: "hours" | "days" } | "everyTime";
  /** Portal: "Persistent browser session". Graph: `persistentBrowser.mode`. @default not configured */
  readonly persistentBrowser?: "always" | "never";
}

export interface ExclusionOptOut {
  /** Lets this policy apply to the directory-sync roles and accounts. @default none: they are excluded */
  readonly directorySync?: { readonly reason: string };
  /** Lets this policy apply to the break-glass users and groups. @default none: they are excluded */
  readonly breakGlass?: { readonly reason: string };
  /**
   * Lets this policy apply to the Teams Rooms accounts group (tenant setting `rooms.accountsGroup`): for the policies
   * written for the rooms, with device-based controls. Unlike the other two it may stay on an enabled policy: the
   * lockout gate refuses one that asks the rooms for anything a device cannot do (MFA, terms of use).
   * @default none: the room accounts are excluded
   */
  readonly roomAccounts?: { readonly reason: string };
}

/** The built-in exclusions a policy can opt out of. */
export const EXCLUSION_KINDS = ["directorySync", "breakGlass", "roomAccounts"] as const;
export type ExclusionKind = (typeof EXCLUSION_KINDS)[number];

export const CLIENT_APP_TYPES = ["all", "browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"] as const;
export type ClientAppType = (typeof CLIENT_APP_TYPES)[number];

export const DEVICE_PLATFORMS = ["all", "android", "iOS", "windows", "windowsPhone", "macOS", "linux"] as const;
export type DevicePlatform = (typeof DEVICE_PLATFORMS)[number];

export const RISK_LEVELS = ["low", "medium", "high", "hidden", "none"] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** Graph's `conditionalAccessGrantControl` enum without `unknownFutureValue`. */
export const GRANT_CONTROLS = [
  "block",
  "mfa",
  "compliantDevice",
  "domainJoinedDevice",
  "approvedApplication",
  "compliantApplication",
  "passwordChange",
  "riskRemediation",
] as const;
export type GrantControl = (typeof GRANT_CONTROLS)[number];

export const CLOUD_APP_SECURITY_TYPES = ["monitorOnly", "blockDownloads", "mcasConfigured"] as const;
export type CloudAppSecurityType = (typeof CLOUD_APP_SECURITY_TYPES)[number];

export { GUEST_OR_EXTERNAL_USER_TYPES, GuestOrExternalUserType };

export const USER_ACTIONS = ["urn:user:registersecurityinfo", "urn:user:registerdevice"] as const;
export type UserAction = (typeof USER_ACTIONS)[number];

/** Maps the author-facing state to Graph's `conditionalAccessPolicyState`. */
export const GRAPH_STATE: Readonly<Record<PolicyState, string>> = {
  enabled: "enabled",
  reportOnly: "enabledForReportingButNotEnforced",
  disabled: "disabled",
};

/** A named location declared once per tenant and referenced from policies by its logical name. */
export interface NamedLocationDefinition {
  /** Logical name (Pulumi resource name), referenced from `PolicyDefinition.locations`. */
  readonly name: string;
  /** Portal: "Name". Graph: `displayName`. @default the logical `name` */
  readonly displayName?: string;
  /** Portal: "IP ranges location". Graph: `ipNamedLocation.ipRanges` (CIDR). @default none: a country location */
  readonly ipRanges?: readonly string[];
  /** Portal: "Mark as trusted location". Graph: `ipNamedLocation.isTrusted`. @default false */
  readonly trusted?: boolean;
  /** Portal: "Countries location". Graph: `countryNamedLocation.countriesAndRegions` (ISO 3166-1 alpha-2). @default none: an IP location */
  readonly countries?: readonly string[];
  /** Graph: `countryNamedLocation.includeUnknownCountriesAndRegions`. @default false */
  readonly includeUnknownCountries?: boolean;
}
