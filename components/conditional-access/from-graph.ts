import type * as Graph from "@microsoft/microsoft-graph-types";
import { LOGICAL_NAME } from "../../lib/problems";
import { syncRoleIds, TenantSettings } from "../../lib/tenant-settings";
import type {
  ClientAppType,
  CloudAppSecurityType,
  DevicePlatform,
  GrantControl,
  GuestOrExternalUserType,
  NamedLocationDefinition,
  PolicyDefinition,
  PolicyState,
  RiskLevel,
  UserAction,
} from "./definition";

/** A tenant's existing policy as this library would declare it, and what the declaration cannot say. */
export interface DiscoveredPolicy {
  readonly definition: PolicyDefinition;
  /** In a reviewer's words: conditions the definition type cannot express, and built-in exclusions the policy lacks. */
  readonly notes: readonly string[];
}

const STATE: Readonly<Record<string, PolicyState>> = { enabled: "enabled", enabledForReportingButNotEnforced: "reportOnly", disabled: "disabled" };

/**
 * The reverse of `buildPolicyPayload`: a Graph v1.0 `conditionalAccessPolicy` (as `GET
 * /identity/conditionalAccess/policies` returns it, https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy)
 * as a `PolicyDefinition`. The tenant's built-in exclusions are taken out (the payload adds them back to every
 * policy); a policy that lacked them says so in `notes`, as does every condition the definition cannot express, so
 * nothing is dropped silently.
 */
export function definitionFromGraph(
  policy: Graph.ConditionalAccessPolicy,
  tenant: TenantSettings,
  name: string = logicalNameOf(policy.displayName ?? policy.id ?? "policy"),
): DiscoveredPolicy {
  const notes: string[] = [];
  const c = policy.conditions ?? {};
  const u = c.users ?? {};
  const builtIn = builtInIds(tenant);
  const strip = (ids: readonly string[] | null | undefined): string[] | undefined => nonEmpty((ids ?? []).filter((id) => !builtIn.has(id.toLowerCase())));
  const lacks = (kind: string, ids: readonly string[], present: readonly string[]): void => {
    const have = new Set(present.map((id) => id.toLowerCase()));
    if (ids.length > 0 && !ids.some((id) => have.has(id.toLowerCase()))) notes.push(`does not exclude the ${kind} today; the declaration excludes them`);
  };
  const excludedPrincipals = [...(u.excludeUsers ?? []), ...(u.excludeGroups ?? [])];
  lacks(
    "break-glass accounts",
    [...tenant.breakGlass.users, ...tenant.breakGlass.groups].map((p) => p.objectId),
    excludedPrincipals,
  );
  lacks(
    "directory-sync accounts",
    tenant.directorySync.accounts.map((p) => p.objectId),
    u.excludeUsers ?? [],
  );

  const guests = u.includeGuestsOrExternalUsers?.guestOrExternalUserTypes;
  const apps = c.applications ?? {};
  const grant = policy.grantControls;
  const definition: PolicyDefinition = {
    name,
    displayName: policy.displayName ?? name,
    state: STATE[policy.state ?? "disabled"] ?? "disabled",
    users: compact({
      includeUsers: nonEmpty(u.includeUsers),
      includeGroups: nonEmpty(u.includeGroups),
      includeRoles: nonEmpty(u.includeRoles),
      includeGuestsOrExternalUsers: guests ? (guests.split(",").map((t) => t.trim()) as GuestOrExternalUserType[]) : undefined,
      excludeUsers: strip(u.excludeUsers),
      excludeGroups: strip(u.excludeGroups),
      excludeRoles: strip(u.excludeRoles),
    }),
    applications: compact({
      include: nonEmpty(apps.includeApplications),
      exclude: nonEmpty(apps.excludeApplications),
      userActions: nonEmpty(apps.includeUserActions) as UserAction[] | undefined,
    }),
    ...optional(
      "servicePrincipals",
      c.clientApplications?.includeServicePrincipals?.length
        ? { include: c.clientApplications.includeServicePrincipals, ...optional("exclude", strip(c.clientApplications.excludeServicePrincipals)) }
        : undefined,
    ),
    ...optional("clientAppTypes", nonEmpty(c.clientAppTypes) as ClientAppType[] | undefined),
    ...optional(
      "platforms",
      c.platforms?.includePlatforms?.length
        ? {
            include: c.platforms.includePlatforms as DevicePlatform[],
            ...optional("exclude", nonEmpty(c.platforms.excludePlatforms) as DevicePlatform[] | undefined),
          }
        : undefined,
    ),
    ...optional(
      "locations",
      c.locations?.includeLocations?.length
        ? { include: c.locations.includeLocations, ...optional("exclude", nonEmpty(c.locations.excludeLocations)) }
        : undefined,
    ),
    ...optional(
      "deviceFilter",
      c.devices?.deviceFilter?.rule ? { mode: c.devices.deviceFilter.mode ?? "include", rule: c.devices.deviceFilter.rule } : undefined,
    ),
    ...optional("signInRiskLevels", nonEmpty(c.signInRiskLevels) as RiskLevel[] | undefined),
    ...optional("userRiskLevels", nonEmpty(c.userRiskLevels) as RiskLevel[] | undefined),
    ...optional(
      "grant",
      grant
        ? compact({
            operator: grant.operator === "AND" ? ("AND" as const) : ("OR" as const),
            controls: nonEmpty(grant.builtInControls) as GrantControl[] | undefined,
            termsOfUse: nonEmpty(grant.termsOfUse),
            authenticationStrengthId: grant.authenticationStrength?.id ?? undefined,
          })
        : undefined,
    ),
    ...optional("session", sessionOf(policy.sessionControls, notes)),
  };
  unsupported(policy, notes);
  return { definition, notes };
}

/** A named location as `GET /identity/conditionalAccess/namedLocations` returns it (IP or country). */
export function namedLocationFromGraph(
  location: Graph.NamedLocation & Graph.IpNamedLocation & Graph.CountryNamedLocation,
  name: string,
): NamedLocationDefinition {
  const ranges = (location.ipRanges ?? []).map((r) => (r as { cidrAddress?: string }).cidrAddress).filter((r): r is string => !!r);
  if (ranges.length > 0) return { name, displayName: location.displayName ?? name, ipRanges: ranges, trusted: location.isTrusted ?? false };
  return {
    name,
    displayName: location.displayName ?? name,
    countries: location.countriesAndRegions ?? [],
    includeUnknownCountries: location.includeUnknownCountriesAndRegions ?? false,
  };
}

/** "Block legacy auth!" → "Block-legacy-auth": a usable logical name from a portal display name. */
export function logicalNameOf(displayName: string): string {
  const name = displayName
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 100);
  return LOGICAL_NAME.test(name) ? name : "imported";
}

function sessionOf(s: Graph.ConditionalAccessSessionControls | null | undefined, notes: string[]): PolicyDefinition["session"] {
  if (!s) return undefined;
  const frequency = s.signInFrequency?.isEnabled
    ? s.signInFrequency.frequencyInterval === "everyTime"
      ? ("everyTime" as const)
      : s.signInFrequency.value && (s.signInFrequency.type === "hours" || s.signInFrequency.type === "days")
        ? { value: s.signInFrequency.value, unit: s.signInFrequency.type }
        : undefined
    : undefined;
  if (s.disableResilienceDefaults) notes.push("session control disableResilienceDefaults is not declared by this library");
  return compact({
    cloudAppSecurity: s.cloudAppSecurity?.isEnabled ? ((s.cloudAppSecurity.cloudAppSecurityType ?? "mcasConfigured") as CloudAppSecurityType) : undefined,
    applicationEnforcedRestrictions: s.applicationEnforcedRestrictions?.isEnabled ? true : undefined,
    signInFrequency: frequency,
    persistentBrowser:
      s.persistentBrowser?.isEnabled && (s.persistentBrowser.mode === "always" || s.persistentBrowser.mode === "never") ? s.persistentBrowser.mode : undefined,
  });
}

/** Conditions of the v1.0 schema the definition type does not carry: named, never dropped silently. */
function unsupported(policy: Graph.ConditionalAccessPolicy, notes: string[]): void {
  const c = (policy.conditions ?? {}) as Record<string, unknown>;
  const s = (policy.sessionControls ?? {}) as Record<string, unknown>;
  const present = (v: unknown): boolean =>
    Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined && !(typeof v === "object" && Object.keys(v).length === 0);
  for (const key of ["insiderRiskLevels", "servicePrincipalRiskLevels", "authenticationFlows", "clientApplications.servicePrincipalFilter"]) {
    const value = key.includes(".") ? (c.clientApplications as Record<string, unknown> | undefined)?.servicePrincipalFilter : c[key];
    if (present(value)) notes.push(`condition ${key} is not expressible in a PolicyDefinition yet: the declaration leaves it out`);
  }
  if (present((policy.conditions?.applications as Record<string, unknown> | undefined)?.includeAuthenticationContextClassReferences)) {
    notes.push("authentication contexts are not expressible in a PolicyDefinition yet: the declaration leaves them out");
  }
  for (const key of ["secureSignInSession", "continuousAccessEvaluation", "tokenProtection"]) {
    if (present(s[key])) notes.push(`session control ${key} is not expressible in a PolicyDefinition yet: the declaration leaves it out`);
  }
}

function builtInIds(tenant: TenantSettings): Set<string> {
  const principals = [
    ...tenant.breakGlass.users,
    ...tenant.breakGlass.groups,
    ...tenant.directorySync.accounts,
    ...tenant.directorySync.servicePrincipals,
    ...(tenant.rooms ? [tenant.rooms.accountsGroup] : []),
  ];
  return new Set([...principals.map((p) => p.objectId), ...syncRoleIds(tenant)].map((id) => id.toLowerCase()));
}

function nonEmpty<T>(values: readonly T[] | null | undefined): T[] | undefined {
  return values && values.length > 0 ? [...values] : undefined;
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Drops undefined fields, so an absent condition stays absent. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
