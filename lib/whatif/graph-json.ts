import type * as Graph from "@microsoft/microsoft-graph-types";
import { NOT_EVALUABLE } from "./coverage";
import type { CaPolicy, PolicyArgs } from "./model";
import { namedLocationModel, PolicySource } from "./sources";

/**
 * Policies and named locations as Microsoft Graph v1.0 returns them (`GET /identity/conditionalAccess/policies`,
 * `GET /identity/conditionalAccess/namedLocations`; the shape public baselines publish), mapped onto the evaluator's
 * model. A property the evaluator does not decide is carried in `notEvaluable` (coverage.ts), never dropped.
 * Accepts a bare array, or a Graph page `{ value: [...] }`.
 */
export function fromGraphJson(policiesJson: unknown, locationsJson: unknown = []): PolicySource {
  const policies = items<Graph.ConditionalAccessPolicy>(policiesJson, "policies").map(policyFromGraph);
  const namedLocations = items<Graph.NamedLocation & Graph.IpNamedLocation & Graph.CountryNamedLocation>(locationsJson, "named locations").map((l) =>
    namedLocationModel([l.id ?? "", ...(l.displayName ? [l.displayName] : [])].filter(Boolean), {
      displayName: l.displayName ?? undefined,
      ...(l.ipRanges
        ? { ip: { ipRanges: l.ipRanges.map((r) => (r as { cidrAddress?: string }).cidrAddress ?? "").filter(Boolean), trusted: l.isTrusted ?? false } }
        : {}),
      ...(l.countriesAndRegions
        ? { country: { countriesAndRegions: l.countriesAndRegions, includeUnknownCountriesAndRegions: l.includeUnknownCountriesAndRegions ?? false } }
        : {}),
    }),
  );
  return { policies, namedLocations };
}

function items<T>(json: unknown, what: string): T[] {
  if (Array.isArray(json)) return json as T[];
  if (json && typeof json === "object" && Array.isArray((json as { value?: unknown }).value)) return (json as { value: T[] }).value;
  throw new Error(`${what}: expected a JSON array or a Graph page { "value": [...] }`);
}

export function policyFromGraph(p: Graph.ConditionalAccessPolicy): CaPolicy {
  const c = p.conditions ?? {};
  const u = c.users ?? {};
  const a = c.applications ?? {};
  const g = p.grantControls;
  const s = p.sessionControls;
  const guests = (spec: Graph.ConditionalAccessGuestsOrExternalUsers | null | undefined) =>
    spec?.guestOrExternalUserTypes
      ? [
          {
            guestOrExternalUserTypes: spec.guestOrExternalUserTypes.split(",").map((t) => t.trim()),
            externalTenants: [
              spec.externalTenants && "members" in spec.externalTenants
                ? { membershipKind: "enumerated", members: (spec.externalTenants as { members?: string[] }).members ?? [] }
                : { membershipKind: "all" },
            ],
          },
        ]
      : undefined;
  const args: PolicyArgs = {
    displayName: p.displayName ?? p.id ?? "policy",
    state: p.state ?? "disabled",
    conditions: {
      clientAppTypes: c.clientAppTypes ?? ["all"],
      users: {
        includedUsers: u.includeUsers ?? undefined,
        excludedUsers: u.excludeUsers ?? undefined,
        includedGroups: u.includeGroups ?? undefined,
        excludedGroups: u.excludeGroups ?? undefined,
        includedRoles: u.includeRoles ?? undefined,
        excludedRoles: u.excludeRoles ?? undefined,
        includedGuestsOrExternalUsers: guests(u.includeGuestsOrExternalUsers),
        excludedGuestsOrExternalUsers: guests(u.excludeGuestsOrExternalUsers),
      },
      applications: {
        // An app filter in include mode targets the apps it matches, which are not known offline: any app may be
        // one, so the policy is evaluated as if it named every app, and flagged as not evaluable (below).
        includedApplications:
          (a as { applicationFilter?: { mode?: string } | null }).applicationFilter?.mode === "include" ? ["All"] : (a.includeApplications ?? undefined),
        excludedApplications: a.excludeApplications ?? undefined,
        includedUserActions: a.includeUserActions ?? undefined,
      },
      clientApplications: c.clientApplications
        ? {
            includedServicePrincipals: c.clientApplications.includeServicePrincipals ?? undefined,
            excludedServicePrincipals: c.clientApplications.excludeServicePrincipals ?? undefined,
          }
        : undefined,
      platforms: c.platforms?.includePlatforms?.length
        ? { includedPlatforms: c.platforms.includePlatforms, excludedPlatforms: c.platforms.excludePlatforms ?? undefined }
        : undefined,
      locations: c.locations?.includeLocations?.length
        ? { includedLocations: c.locations.includeLocations, excludedLocations: c.locations.excludeLocations ?? undefined }
        : undefined,
      devices: c.devices?.deviceFilter?.rule ? { filter: { mode: c.devices.deviceFilter.mode ?? "include", rule: c.devices.deviceFilter.rule } } : undefined,
      signInRiskLevels: c.signInRiskLevels ?? undefined,
      userRiskLevels: c.userRiskLevels ?? undefined,
      servicePrincipalRiskLevels: c.servicePrincipalRiskLevels ?? undefined,
      insiderRiskLevels: (c as { insiderRiskLevels?: string | null }).insiderRiskLevels ?? undefined,
      authenticationFlowTransferMethods: (c as { authenticationFlows?: { transferMethods?: string } | null }).authenticationFlows?.transferMethods
        ?.split(",")
        .map((m) => m.trim()),
    },
    grantControls: g
      ? {
          operator: g.operator ?? "OR",
          builtInControls: g.builtInControls ?? undefined,
          termsOfUses: g.termsOfUse ?? undefined,
          authenticationStrengthPolicyId: g.authenticationStrength?.id ?? undefined,
        }
      : undefined,
    sessionControls: s
      ? {
          cloudAppSecurityPolicy: s.cloudAppSecurity?.isEnabled ? (s.cloudAppSecurity.cloudAppSecurityType ?? undefined) : undefined,
          applicationEnforcedRestrictionsEnabled: s.applicationEnforcedRestrictions?.isEnabled ?? undefined,
          persistentBrowserMode: s.persistentBrowser?.isEnabled ? (s.persistentBrowser.mode ?? undefined) : undefined,
          signInFrequency:
            s.signInFrequency?.isEnabled && s.signInFrequency.frequencyInterval !== "everyTime" ? (s.signInFrequency.value ?? undefined) : undefined,
          signInFrequencyPeriod:
            s.signInFrequency?.isEnabled && s.signInFrequency.frequencyInterval !== "everyTime" ? (s.signInFrequency.type ?? undefined) : undefined,
          signInFrequencyInterval: s.signInFrequency?.isEnabled ? (s.signInFrequency.frequencyInterval ?? undefined) : undefined,
        }
      : undefined,
  };
  const contexts = (a as { includeAuthenticationContextClassReferences?: string[] | null }).includeAuthenticationContextClassReferences ?? [];
  const notEvaluable = Object.entries(NOT_EVALUABLE)
    .filter(([path]) => present(valueAt(p, path)))
    .map(([path, why]) => `${path} is not evaluated offline (${why})`);
  return {
    name: p.id ?? args.displayName,
    args: withoutUndefined(args),
    ...(contexts.length > 0 ? { authenticationContexts: contexts } : {}),
    ...(notEvaluable.length > 0 ? { notEvaluable } : {}),
  };
}

function valueAt(root: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((o, k) => (o && typeof o === "object" ? (o as Record<string, unknown>)[k] : undefined), root);
}

function present(v: unknown): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0 && (v as { isEnabled?: boolean }).isEnabled !== false;
  return true;
}

function withoutUndefined<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
