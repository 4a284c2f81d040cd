import type { CaPolicy } from "./model";

/**
 * What the evaluator does with each property of Graph v1.0's conditional-access policy: every property is either
 * EVALUATED (following Microsoft's documentation) or NOT_EVALUABLE (a policy using it may apply; the what-if shows it
 * and the lockout gate treats it as applying). `tests/whatif/coverage.test.ts` walks the v1.0 schema and fails on a
 * property in neither list, so nothing is ignored silently. Paths are Graph's (`conditions.users.includeUsers`).
 */
export const EVALUATED: readonly string[] = [
  "state",
  "displayName",
  "conditions.users.includeUsers",
  "conditions.users.excludeUsers",
  "conditions.users.includeGroups",
  "conditions.users.excludeGroups",
  "conditions.users.includeRoles",
  "conditions.users.excludeRoles",
  "conditions.users.includeGuestsOrExternalUsers",
  "conditions.users.excludeGuestsOrExternalUsers",
  "conditions.applications.includeApplications",
  "conditions.applications.excludeApplications",
  "conditions.applications.includeUserActions",
  "conditions.applications.includeAuthenticationContextClassReferences",
  "conditions.clientApplications.includeServicePrincipals",
  "conditions.clientApplications.excludeServicePrincipals",
  "conditions.clientAppTypes",
  "conditions.platforms.includePlatforms",
  "conditions.platforms.excludePlatforms",
  "conditions.locations.includeLocations",
  "conditions.locations.excludeLocations",
  "conditions.devices.deviceFilter",
  "conditions.signInRiskLevels",
  "conditions.userRiskLevels",
  "conditions.servicePrincipalRiskLevels",
  "conditions.insiderRiskLevels",
  "conditions.authenticationFlows",
  "grantControls.operator",
  "grantControls.builtInControls",
  "grantControls.termsOfUse",
  "grantControls.authenticationStrength",
  "sessionControls.cloudAppSecurity",
  "sessionControls.signInFrequency",
  "sessionControls.persistentBrowser",
  "sessionControls.applicationEnforcedRestrictions",
];

/** Properties with no effect on who is asked for what, or that the offline model cannot decide. */
export const NOT_EVALUABLE: Readonly<Record<string, string>> = {
  "conditions.applications.applicationFilter": "the app's custom security attributes are not known offline",
  "conditions.clientApplications.servicePrincipalFilter": "the service principal's custom security attributes are not known offline",
  "grantControls.customAuthenticationFactors": "custom controls are answered by a third party",
  "sessionControls.disableResilienceDefaults": "changes behaviour only during an Entra outage",
  "sessionControls.secureSignInSession": "token binding is enforced by the client",
};

/** Metadata and read-only properties: they never change who a policy applies to or what it asks. */
export const NOT_A_CONDITION: readonly string[] = ["id", "createdDateTime", "modifiedDateTime", "description", "templateId", "@odata.type"];

const UNKNOWN_MARKERS = new Set(["(known after apply)"]);

/**
 * Values known only after apply (an ID from a data source, a resource not created yet): the recorder writes them as
 * null or the unknown marker. The policy cannot be decided for a persona such a value might name.
 */
export function unknownValues(policy: CaPolicy): string[] {
  const found: string[] = [];
  const walk = (value: unknown, path: string, inList = false): void => {
    // A null list entry is an unknown ID; a null condition (`platforms: null`) is just an unset one.
    if ((inList && value === null) || (typeof value === "string" && UNKNOWN_MARKERS.has(value))) {
      found.push(`${path} is known only after apply`);
      return;
    }
    if (Array.isArray(value)) value.forEach((v) => walk(v, path, true));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
  };
  walk(policy.args.conditions, "conditions");
  walk(policy.args.grantControls, "grantControls");
  return [...new Set(found)];
}
