import type * as azuread from "@pulumi/azuread";
import type * as pulumi from "@pulumi/pulumi";

/**
 * The evaluator's one model of a policy: the `azuread.ConditionalAccessPolicy` arguments, unwrapped. Plans record
 * exactly this shape, definitions become it through the payload builder, and live policies are mapped onto it, so
 * the evaluator never has to know where a policy came from.
 */
export type PolicyArgs = pulumi.Unwrap<azuread.ConditionalAccessPolicyArgs>;

export interface CaPolicy {
  /** Logical name (plan) or object ID (live): what messages name besides the display name. */
  readonly name: string;
  readonly args: PolicyArgs;
  /**
   * Authentication context class references the policy targets instead of apps (Graph
   * `applications.includeAuthenticationContextClassReferences`; not in `azuread`'s arguments, so only Graph JSON has it).
   */
  readonly authenticationContexts?: readonly string[];
  /**
   * What the evaluator cannot decide for this policy, in a reviewer's words (a Graph property it does not model, an ID
   * known only after apply). Such a policy is "not evaluable": when its other conditions match, it *may* apply, which
   * the what-if shows and the lockout gate treats as applying.
   */
  readonly notEvaluable?: readonly string[];
  /** Wide-impact risks the stack acknowledged for this policy, each with its written reason (see wide-impact.ts). */
  readonly acknowledgedRisks?: Readonly<Record<string, string>>;
}

/** A named location as the evaluator needs it; `ids` are every value a policy may use to reference it. */
export interface NamedLocationModel {
  readonly ids: readonly string[];
  readonly displayName: string;
  readonly trusted: boolean;
  readonly ipRanges: readonly string[];
  readonly countries: readonly string[];
  readonly includeUnknownCountries: boolean;
}

export type ClientApp = "browser" | "mobileAppsAndDesktopClients" | "exchangeActiveSync" | "other";
export const CLIENT_APPS: readonly ClientApp[] = ["browser", "mobileAppsAndDesktopClients", "exchangeActiveSync", "other"];

export type Platform = "android" | "iOS" | "windows" | "windowsPhone" | "macOS" | "linux" | "unknown";
export const PLATFORMS: readonly Platform[] = ["windows", "macOS", "iOS", "android", "linux", "windowsPhone", "unknown"];

export type Risk = "low" | "medium" | "high" | "hidden" | "none";

/** Device properties a filter rule can read (Entra "filter for devices"); a missing device means unregistered. */
export type DeviceProperties = Readonly<Record<string, string | boolean | readonly string[] | undefined>>;

export interface SignInUser {
  readonly kind: "user";
  readonly id: string;
  /** Object IDs of groups the user belongs to (transitively, as Entra evaluates them). */
  readonly groups?: readonly string[];
  /** Role template IDs the user holds. */
  readonly roles?: readonly string[];
  /** Set for guests and external users (Graph `conditionalAccessGuestOrExternalUserTypes`). */
  readonly guestType?: string;
  /** The guest's home tenant, matched against `externalTenants.members`. */
  readonly externalTenantId?: string;
}

export interface SignInServicePrincipal {
  readonly kind: "servicePrincipal";
  readonly id: string;
}

/** One sign-in to evaluate. Conditions left out take the value that is least surprising to a reviewer. */
export interface SignIn {
  readonly identity: SignInUser | SignInServicePrincipal;
  /** An application (client) ID, or a user action such as `urn:user:registersecurityinfo`. */
  readonly target: { readonly app: string } | { readonly userAction: string };
  /** @default "browser" */
  readonly clientApp?: ClientApp;
  /** @default "unknown" */
  readonly platform?: Platform;
  /** Source IP address; matched against IP named locations. */
  readonly ip?: string;
  /** ISO 3166-1 alpha-2 country code; matched against country named locations. */
  readonly country?: string;
  /** The registered device; leave out for an unregistered device (every property null, as Entra treats it). */
  readonly device?: DeviceProperties;
  /** @default "none" */
  readonly signInRisk?: Risk;
  /** @default "none" */
  readonly userRisk?: Risk;
  /** Graph `authenticationFlows.transferMethods`: how authentication was handed over. @default none (an ordinary sign-in) */
  readonly authenticationFlow?: "deviceCodeFlow" | "authenticationTransfer";
  /** Purview insider risk (Graph `insiderRiskLevels`). @default none */
  readonly insiderRisk?: "minor" | "moderate" | "elevated";
  /** A workload identity's risk (Graph `servicePrincipalRiskLevels`). @default "none" */
  readonly servicePrincipalRisk?: Risk;
  /** Authentication contexts the app asked for (`c1` … `c99`). @default none */
  readonly authenticationContexts?: readonly string[];
}
