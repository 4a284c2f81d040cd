import type * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { Principal, syncRoleIds, TenantSettings } from "../../lib/tenant-settings";
import { EXCLUSION_KINDS, ExclusionKind, GRAPH_STATE, NamedLocationDefinition, PolicyDefinition, PolicyState } from "./definition";
import { resolveApplication, resolveRole } from "../../lib/entra/well-known";

/** What a reviewer must see about a policy besides its Graph payload: who is protected and who opted out. */
export interface PolicyReview {
  readonly name: string;
  readonly displayName: string;
  readonly state: PolicyState;
  readonly description?: string;
  /** Exclusions the library added from the tenant settings. */
  readonly builtInExclusions: {
    readonly roles: readonly string[];
    readonly users: readonly Principal[];
    readonly groups: readonly Principal[];
    readonly servicePrincipals: readonly Principal[];
    /** The Teams Rooms accounts group, when excluded (it is in `groups` too). */
    readonly roomAccounts?: Principal;
  };
  /** Built-in exclusions removed for this policy, each with its written reason. */
  readonly optOuts: readonly { readonly kind: ExclusionKind; readonly reason: string }[];
  /** Wide-impact risks acknowledged on purpose, each with its reason (present only when there is one). */
  readonly acknowledgedRisks?: readonly { readonly risk: string; readonly reason: string }[];
}

export interface PolicyPayload {
  /** Exactly what `azuread.ConditionalAccessPolicy` receives. */
  readonly args: azuread.ConditionalAccessPolicyArgs;
  readonly review: PolicyReview;
}

/** Resolves a location value (keyword, ID, or logical name of a declared named location) to what Graph expects. */
export type LocationResolver = (value: pulumi.Input<string>) => pulumi.Input<string>;

const AUTH_STRENGTH_PREFIX = "/policies/authenticationStrengthPolicies/";

/**
 * Turns a *validated* definition into the payload for one policy. Pure: no resources, no I/O.
 * Built-in exclusions are added here, in one place, so no code path can declare a policy without them.
 * Every list is de-duplicated and sorted so that declaring the same thing twice never shows a change.
 */
export function buildPolicyPayload(def: PolicyDefinition, tenant: TenantSettings, resolveLocation: LocationResolver = (v) => v): PolicyPayload {
  const state: PolicyState = def.state ?? "reportOnly";
  const keepSync = !def.exclusionOptOut?.directorySync;
  const keepBreakGlass = !def.exclusionOptOut?.breakGlass;
  const sync = keepSync ? tenant.directorySync : { accounts: [], servicePrincipals: [] };
  const breakGlass = keepBreakGlass ? tenant.breakGlass : { users: [], groups: [] };
  // Teams Rooms accounts cannot answer MFA or accept terms: excluded like break-glass, unless this is a room policy.
  const roomGroups = tenant.rooms && !def.exclusionOptOut?.roomAccounts ? [tenant.rooms.accountsGroup] : [];
  const builtInRoles = keepSync ? syncRoleIds(tenant) : [];
  const u = def.users;
  const a = def.applications;

  const args: azuread.ConditionalAccessPolicyArgs = {
    displayName: def.displayName ?? def.name,
    state: GRAPH_STATE[state],
    conditions: {
      users: compact({
        includedUsers: sorted(u.includeUsers),
        includedGroups: sorted(u.includeGroups),
        includedRoles: sorted(u.includeRoles?.map(roleId)),
        includedGuestsOrExternalUsers: u.includeGuestsOrExternalUsers?.length
          ? [{ guestOrExternalUserTypes: sorted(u.includeGuestsOrExternalUsers)!, externalTenants: [{ membershipKind: "all" }] }]
          : undefined,
        excludedUsers: sorted([...(u.excludeUsers ?? []), ...ids(sync.accounts), ...ids(breakGlass.users)]),
        excludedGroups: sorted([...(u.excludeGroups ?? []), ...ids(breakGlass.groups), ...ids(roomGroups)]),
        excludedRoles: sorted([...(u.excludeRoles?.map(roleId) ?? []), ...builtInRoles]),
      }),
      applications: compact({
        includedApplications: sorted(a.include?.map(appId)),
        excludedApplications: sorted(a.exclude?.map(appId)),
        includedUserActions: sorted(a.userActions),
      }),
      clientApplications: def.servicePrincipals
        ? compact({
            includedServicePrincipals: sorted(def.servicePrincipals.include),
            excludedServicePrincipals: sorted([...(def.servicePrincipals.exclude ?? []), ...ids(sync.servicePrincipals)]),
          })
        : undefined,
      clientAppTypes: sorted(def.clientAppTypes) ?? ["all"],
      platforms: def.platforms ? compact({ includedPlatforms: sorted(def.platforms.include)!, excludedPlatforms: sorted(def.platforms.exclude) }) : undefined,
      locations: def.locations
        ? compact({
            includedLocations: sortedInputs(def.locations.include.map(resolveLocation))!,
            excludedLocations: sortedInputs(def.locations.exclude?.map(resolveLocation)),
          })
        : undefined,
      devices: def.deviceFilter ? { filter: { mode: def.deviceFilter.mode, rule: def.deviceFilter.rule } } : undefined,
      signInRiskLevels: sorted(def.signInRiskLevels),
      userRiskLevels: sorted(def.userRiskLevels),
    },
    grantControls: def.grant
      ? compact({
          operator: def.grant.operator ?? "OR",
          builtInControls: sorted(def.grant.controls),
          termsOfUses: sortedInputs(def.grant.termsOfUse),
          authenticationStrengthPolicyId: def.grant.authenticationStrengthId
            ? AUTH_STRENGTH_PREFIX + def.grant.authenticationStrengthId.toLowerCase()
            : undefined,
        })
      : undefined,
    sessionControls: def.session ? sessionArgs(def.session) : undefined,
  };

  const optOuts = EXCLUSION_KINDS.filter((kind) => def.exclusionOptOut?.[kind]).map((kind) => ({ kind, reason: def.exclusionOptOut![kind]!.reason.trim() }));

  const acknowledgedRisks = Object.entries(def.acknowledgedRisks ?? {})
    .filter((entry): entry is [string, { reason: string }] => entry[1] !== undefined)
    .map(([risk, a]) => ({ risk, reason: a.reason.trim() }))
    .sort((a, b) => a.risk.localeCompare(b.risk));

  return {
    args: dropUndefined(args),
    review: {
      name: def.name,
      displayName: def.displayName ?? def.name,
      state,
      description: def.description,
      builtInExclusions: {
        roles: [...builtInRoles].sort(),
        users: byObjectId([...sync.accounts, ...breakGlass.users]),
        groups: byObjectId([...breakGlass.groups, ...roomGroups]),
        servicePrincipals: def.servicePrincipals ? byObjectId(sync.servicePrincipals) : [],
        ...(roomGroups.length > 0 ? { roomAccounts: roomGroups[0] } : {}),
      },
      optOuts,
      ...(acknowledgedRisks.length > 0 ? { acknowledgedRisks } : {}),
    },
  };
}

function sessionArgs(s: NonNullable<PolicyDefinition["session"]>): azuread.types.input.ConditionalAccessPolicySessionControls {
  const f = s.signInFrequency;
  return compact({
    cloudAppSecurityPolicy: s.cloudAppSecurity,
    applicationEnforcedRestrictionsEnabled: s.applicationEnforcedRestrictions,
    persistentBrowserMode: s.persistentBrowser,
    signInFrequency: f && f !== "everyTime" ? f.value : undefined,
    signInFrequencyPeriod: f && f !== "everyTime" ? f.unit : undefined,
    signInFrequencyInterval: f === undefined ? undefined : f === "everyTime" ? "everyTime" : "timeBased",
    signInFrequencyAuthenticationType: f === undefined ? undefined : "primaryAndSecondaryAuthentication",
  });
}

function roleId(v: string): string {
  const r = resolveRole(v);
  if (!r.ok) throw new Error(`unvalidated role "${v}" reached the payload builder`);
  return r.id;
}

function appId(v: string): string {
  const r = resolveApplication(v);
  if (!r.ok) throw new Error(`unvalidated application "${v}" reached the payload builder`);
  return r.id;
}

/** Reordering accounts in the tenant settings must not change the plan. */
function byObjectId(principals: readonly Principal[]): Principal[] {
  return [...principals].sort((a, b) => a.objectId.toLowerCase().localeCompare(b.objectId.toLowerCase()));
}

function ids(principals: readonly Principal[]): string[] {
  return principals.map((x) => x.objectId.toLowerCase());
}

/** De-duplicated, sorted copy; `undefined` for an empty or missing list so the payload omits it. */
function sorted<T extends string>(values: readonly T[] | undefined): T[] | undefined {
  if (!values || values.length === 0) return undefined;
  return [...new Set(values.map((v) => (isGuidLike(v) ? (v.toLowerCase() as T) : v)))].sort();
}

/**
 * Like `sorted`, for lists that may hold resource outputs (a named location's or an agreement's ID): once any value
 * is an output, the whole list is de-duplicated and sorted when the IDs are known, so the order an author wrote
 * references in never shows up as a change either.
 */
function sortedInputs(values: readonly pulumi.Input<string>[] | undefined): pulumi.Input<pulumi.Input<string>[]> | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.every((v): v is string => typeof v === "string")) return sorted(values);
  return pulumi.all([...values]).apply((ids: string[]) => sorted(ids) ?? []);
}

function isGuidLike(v: string): boolean {
  return /^[0-9a-f-]{36}$/i.test(v);
}

function compact<T extends object>(o: T): T {
  return dropUndefined(o);
}

/** Removes keys whose value is undefined, recursively, so payloads compare equal however they were built. */
function dropUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map(dropUndefined) as T;
  if (value && typeof value === "object" && !pulumi.Output.isInstance(value) && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, dropUndefined(v)]),
    ) as T;
  }
  return value;
}

/** Payload for `azuread.NamedLocation` from a validated definition. Pure. */
export function buildNamedLocationArgs(l: NamedLocationDefinition): azuread.NamedLocationArgs {
  const displayName = l.displayName ?? l.name;
  if (l.ipRanges && l.ipRanges.length > 0) {
    return { displayName, ip: { ipRanges: [...new Set(l.ipRanges)].sort(), trusted: l.trusted ?? false } };
  }
  return {
    displayName,
    country: {
      countriesAndRegions: [...new Set(l.countries ?? [])].sort(),
      includeUnknownCountriesAndRegions: l.includeUnknownCountries ?? false,
    },
  };
}
