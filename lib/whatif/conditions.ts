import { BlockList, isIPv4, isIPv6 } from "node:net";
import { appSetMatcher, canonicalApp } from "./apps";
import { compileDeviceFilter } from "./device-filter";
import type { CaPolicy, NamedLocationModel, SignIn } from "./model";

/**
 * One policy's assignments and conditions compiled into a predicate. Each condition the policy does not configure
 * is left out, so it matches every sign-in (Entra: "a condition that isn't configured doesn't restrict").
 */
export type Condition = (signIn: PreparedSignIn) => boolean;

/**
 * A sign-in with everything policies compare already normalised (lower-cased IDs, resolved location), done once
 * per sign-in instead of once per policy: the difference between 2 s and well under 1 s for 200 policies.
 */
export interface PreparedSignIn {
  readonly raw: SignIn;
  readonly userId?: string;
  readonly servicePrincipalId?: string;
  readonly groups: readonly string[];
  readonly roles: readonly string[];
  readonly guestType?: string;
  readonly externalTenantId: string;
  readonly app?: string;
  readonly userAction?: string;
  readonly where: ResolvedLocation;
}

export function prepareSignIn(s: SignIn, where: ResolvedLocation): PreparedSignIn {
  const who = s.identity;
  const isUser = who.kind === "user";
  return {
    raw: s,
    userId: isUser ? who.id.toLowerCase() : undefined,
    servicePrincipalId: isUser ? undefined : who.id.toLowerCase(),
    groups: isUser ? (who.groups ?? []).map(lower) : [],
    roles: isUser ? (who.roles ?? []).map(lower) : [],
    guestType: isUser ? who.guestType : undefined,
    externalTenantId: isUser ? lower(who.externalTenantId ?? "") : "",
    app: "app" in s.target ? canonicalApp(s.target.app) : undefined,
    userAction: "userAction" in s.target ? s.target.userAction : undefined,
    where,
  };
}

/** Where a sign-in comes from, resolved once per sign-in rather than once per policy. */
export interface ResolvedLocation {
  readonly ids: ReadonlySet<string>;
  readonly trusted: boolean;
}

export function compileConditions(policy: CaPolicy): Condition[] {
  const c = policy.args.conditions;
  const checks: Condition[] = [identityCondition(policy), targetCondition(policy)];
  // Graph's enum values are compared case-insensitively: a policy written `All` means `all`, never nothing.
  const clientApps = lowerSet(c.clientAppTypes ?? ["all"]);
  if (!clientApps.has("all")) checks.push((s) => clientApps.has((s.raw.clientApp ?? "browser").toLowerCase()));
  if (c.platforms) {
    const include = lowerSet(c.platforms.includedPlatforms);
    const exclude = lowerSet(c.platforms.excludedPlatforms ?? []);
    checks.push((s) => {
      const p = (s.raw.platform ?? "unknown").toLowerCase();
      // "all" covers platforms Entra cannot identify; a named list does not.
      const included = include.has("all") || include.has(p);
      return included && !exclude.has(p);
    });
  }
  if (c.locations) {
    const include = c.locations.includedLocations.map(lower);
    const exclude = (c.locations.excludedLocations ?? []).map(lower);
    const hit = (values: string[], where: ResolvedLocation): boolean =>
      values.some((v) => v === "all" || (v === "alltrusted" && where.trusted) || where.ids.has(v));
    checks.push((s) => hit(include, s.where) && !hit(exclude, s.where));
  }
  const filter = c.devices?.filter;
  if (filter) {
    const predicate = compileDeviceFilter(filter.rule);
    checks.push(filter.mode === "exclude" ? (s) => !predicate(s.raw.device) : (s) => predicate(s.raw.device));
  }
  if (c.signInRiskLevels && c.signInRiskLevels.length > 0) {
    const levels = lowerSet(c.signInRiskLevels);
    checks.push((s) => levels.has(s.raw.signInRisk ?? "none"));
  }
  if (c.userRiskLevels && c.userRiskLevels.length > 0) {
    const levels = lowerSet(c.userRiskLevels);
    checks.push((s) => levels.has(s.raw.userRisk ?? "none"));
  }
  // Graph `authenticationFlows.transferMethods` (device code flow, authentication transfer): the policy applies only
  // to sign-ins made that way (Microsoft Entra, "Authentication flows" condition).
  if (c.authenticationFlowTransferMethods && c.authenticationFlowTransferMethods.length > 0) {
    const methods = lowerSet(c.authenticationFlowTransferMethods.flatMap((m) => m.split(",")).map((m) => m.trim()));
    checks.push((s) => s.raw.authenticationFlow !== undefined && methods.has(s.raw.authenticationFlow.toLowerCase()));
  }
  // Graph `insiderRiskLevels` (a flags enum: "minor,moderate,elevated"): applies only at those insider-risk levels.
  if (c.insiderRiskLevels) {
    const levels = lowerSet(c.insiderRiskLevels.split(",").map((l) => l.trim()));
    checks.push((s) => s.raw.insiderRisk !== undefined && levels.has(s.raw.insiderRisk));
  }
  // Graph `servicePrincipalRiskLevels`: workload identities at those risk levels only.
  if (c.servicePrincipalRiskLevels && c.servicePrincipalRiskLevels.length > 0) {
    const levels = lowerSet(c.servicePrincipalRiskLevels);
    checks.push((s) => s.servicePrincipalId !== undefined && levels.has(s.raw.servicePrincipalRisk ?? "none"));
  }
  return checks;
}

function lowerSet(values: readonly string[]): Set<string> {
  return new Set(values.map((v) => v.toLowerCase()));
}

type Guests = NonNullable<NonNullable<CaPolicy["args"]["conditions"]["users"]>["includedGuestsOrExternalUsers"]>;

/**
 * Users and workload identities. A policy that names service principals applies only to them; a user-targeted
 * policy never applies to a service principal. Exclusion always beats inclusion.
 */
function identityCondition(policy: CaPolicy): Condition {
  const c = policy.args.conditions;
  const sp = c.clientApplications;
  if (sp?.includedServicePrincipals?.length) {
    const include = new Set(sp.includedServicePrincipals.map(lower));
    const exclude = new Set((sp.excludedServicePrincipals ?? []).map(lower));
    const anyInTenant = include.has("serviceprincipalsinmytenant");
    return (s) => {
      const id = s.servicePrincipalId;
      if (id === undefined) return false;
      return (anyInTenant || include.has(id)) && !exclude.has(id);
    };
  }
  const u = c.users ?? {};
  const includeUsers = new Set((u.includedUsers ?? []).map(lower));
  const excludeUsers = new Set((u.excludedUsers ?? []).map(lower));
  const includeGroups = new Set((u.includedGroups ?? []).map(lower));
  const excludeGroups = new Set((u.excludedGroups ?? []).map(lower));
  const includeRoles = new Set((u.includedRoles ?? []).map(lower));
  const excludeRoles = new Set((u.excludedRoles ?? []).map(lower));
  const includeGuests = guestMatcher(u.includedGuestsOrExternalUsers, includeUsers.has("guestsorexternalusers"));
  const excludeGuests = guestMatcher(u.excludedGuestsOrExternalUsers, excludeUsers.has("guestsorexternalusers"));

  const allUsers = includeUsers.has("all");
  // Plain loops, no closures: this runs for every policy on every sign-in.
  const anyOf = (values: readonly string[], set: ReadonlySet<string>): boolean => {
    if (set.size === 0) return false;
    for (const v of values) if (set.has(v)) return true;
    return false;
  };
  return (s) => {
    const id = s.userId;
    if (id === undefined) return false;
    if (excludeUsers.has(id) || anyOf(s.groups, excludeGroups) || anyOf(s.roles, excludeRoles) || excludeGuests(s.guestType, s.externalTenantId)) {
      return false;
    }
    return allUsers || includeUsers.has(id) || anyOf(s.groups, includeGroups) || anyOf(s.roles, includeRoles) || includeGuests(s.guestType, s.externalTenantId);
  };
}

/** Guests match by type and, when the policy enumerates tenants, by home tenant. */
function guestMatcher(spec: Guests | undefined, anyGuest: boolean): (type: string | undefined, tenant: string | undefined) => boolean {
  const entries = (spec ?? []).map((g) => ({
    types: new Set<string>(g.guestOrExternalUserTypes),
    tenants: (g.externalTenants ?? []).flatMap((t) => (t.membershipKind === "enumerated" ? [new Set((t.members ?? []).map(lower))] : [])),
  }));
  return (type, tenant) => {
    if (!type) return false;
    if (anyGuest) return true;
    return entries.some((e) => e.types.has(type) && (e.tenants.length === 0 || e.tenants.some((set) => set.has(tenant ?? ""))));
  };
}

/** Cloud apps or user actions. A user-action policy applies only to that action; an app policy only to apps. */
function targetCondition(policy: CaPolicy): Condition {
  const a = policy.args.conditions.applications ?? {};
  const actions = lowerSet(a.includedUserActions ?? []);
  // A policy on authentication contexts applies when the app asks for one of them, whatever the app.
  if (policy.authenticationContexts && policy.authenticationContexts.length > 0) {
    const contexts = lowerSet(policy.authenticationContexts);
    return (s) => (s.raw.authenticationContexts ?? []).some((c) => contexts.has(c.toLowerCase()));
  }
  const include = appSetMatcher(a.includedApplications ?? []);
  const exclude = appSetMatcher(a.excludedApplications ?? []);
  return (s) => {
    if (s.userAction !== undefined) return actions.has(s.userAction.toLowerCase());
    return include(s.app!) && !exclude(s.app!);
  };
}

/** Resolves a sign-in's IP and country against the tenant's named locations. */
export function locationResolver(locations: readonly NamedLocationModel[]): (signIn: SignIn) => ResolvedLocation {
  const compiled = locations.map((l) => ({ ...l, ids: l.ids.map(lower), ranges: blockList(l.ipRanges), countries: new Set(l.countries) }));
  const none: ResolvedLocation = { ids: new Set(), trusted: false };
  const cache = new Map<string, ResolvedLocation>();
  return (s) => {
    if (!s.ip && !s.country) return none;
    const key = `${s.ip ?? ""}|${s.country ?? ""}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const ids = new Set<string>();
    let trusted = false;
    const family = s.ip && isIPv4(s.ip) ? "ipv4" : s.ip && isIPv6(s.ip) ? "ipv6" : undefined;
    for (const l of compiled) {
      const byIp = family !== undefined && l.ranges.check(s.ip!, family);
      const byCountry = s.country ? l.countries.has(s.country.toUpperCase()) : l.includeUnknownCountries && l.countries.size > 0;
      if (byIp || byCountry) {
        l.ids.forEach((id) => ids.add(id));
        trusted ||= l.trusted;
      }
    }
    const resolved = { ids, trusted };
    cache.set(key, resolved);
    return resolved;
  };
}

function blockList(ranges: readonly string[]): BlockList {
  const list = new BlockList();
  for (const r of ranges) {
    const [address, prefix] = r.split("/");
    list.addSubnet(address, Number(prefix), isIPv6(address) ? "ipv6" : "ipv4");
  }
  return list;
}

/** IDs known only after apply arrive as null (or the unknown marker): they match nothing, and `unknownValues` names them. */
function lower(v: string | null | undefined): string {
  return typeof v === "string" ? v.toLowerCase() : "";
}
