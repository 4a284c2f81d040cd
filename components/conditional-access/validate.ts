import * as pulumi from "@pulumi/pulumi";
import { closest } from "fastest-levenshtein";
import { TENANT_CONFIG_KEY } from "../../lib/stack-config";
import { WIDE_IMPACT_RISKS } from "../../lib/whatif/wide-impact";
import { isCidr } from "../../lib/net";
import { findDuplicates, isGuid, LOGICAL_NAME, MIN_REASON_LENGTH, ProblemList } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";
import {
  CLIENT_APP_TYPES,
  CLOUD_APP_SECURITY_TYPES,
  DEVICE_PLATFORMS,
  EXCLUSION_KINDS,
  GRANT_CONTROLS,
  GUEST_OR_EXTERNAL_USER_TYPES,
  NamedLocationDefinition,
  PolicyDefinition,
  RISK_LEVELS,
  USER_ACTIONS,
} from "./definition";
import { resolveApplication, resolveRole } from "../../lib/entra/well-known";

const USER_KEYWORDS = ["All", "None", "GuestsOrExternalUsers"];
const LOCATION_KEYWORDS = ["All", "AllTrusted"];

/** Path prefix used in every message about a policy. */
export function policyPath(tenant: Pick<TenantSettings, "stack">, name: string): string[] {
  return [`tenant ${tenant.stack}`, `policy ${name}`];
}

/**
 * Checks one policy definition against Graph's rules and the library's safety rules.
 * `knownLocations` are the logical names of named locations declared in the same set.
 */
export function validatePolicy(def: PolicyDefinition, tenant: TenantSettings, problems: ProblemList, knownLocations: ReadonlySet<string> = new Set()): void {
  const p = problems.under(...policyPath(tenant, def.name || "(unnamed)"));

  if (!LOGICAL_NAME.test(def.name ?? "")) {
    p.add(
      "name",
      `"${def.name ?? ""}" is not a usable logical name`,
      "1-100 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. CA001-Global-AllApps-RequireMFA",
    );
  }
  const displayName = def.displayName ?? def.name;
  if (displayName !== undefined && (displayName.trim() === "" || displayName.length > 256)) {
    p.add("displayName", "must be 1-256 characters and not blank", "a name like the portal shows, up to 256 characters");
  }
  if (def.state !== undefined && !["enabled", "reportOnly", "disabled"].includes(def.state)) {
    p.add("state", `"${def.state}" is not a policy state`, "enabled, reportOnly, disabled");
  }

  validateUsers(def, p);
  validateApplications(def, p);
  validateConditions(def, p, knownLocations);
  validateGrant(def, p);
  validateSession(def, p);
  validateSafety(def, tenant, p);
}

function validateUsers(def: PolicyDefinition, p: ProblemList): void {
  const u = def.users ?? {};
  const includeCount =
    (u.includeUsers?.length ?? 0) + (u.includeGroups?.length ?? 0) + (u.includeRoles?.length ?? 0) + (u.includeGuestsOrExternalUsers?.length ?? 0);
  if (includeCount === 0) {
    p.add("users", "includes nobody", "at least one of includeUsers (All, None or object IDs), includeGroups, includeRoles, includeGuestsOrExternalUsers");
  }
  for (const key of ["includeUsers", "excludeUsers"] as const) {
    (u[key] ?? []).forEach((v, i) => {
      if (!isGuid(v) && !USER_KEYWORDS.includes(v))
        p.add(`users.${key}[${i}]`, `"${v}" is not a user object ID`, `${USER_KEYWORDS.join(", ")}, or a user object ID (GUID)`);
    });
  }
  for (const key of ["includeGroups", "excludeGroups"] as const) {
    (u[key] ?? []).forEach((v, i) => {
      if (!isGuid(v)) p.add(`users.${key}[${i}]`, `"${v}" is not a group object ID`, "a group object ID (GUID)");
    });
  }
  for (const key of ["includeRoles", "excludeRoles"] as const) {
    (u[key] ?? []).forEach((v, i) => {
      const r = resolveRole(v);
      if (!r.ok) p.add(`users.${key}[${i}]`, `unknown role "${v}"`, r.known);
    });
  }
  (u.includeGuestsOrExternalUsers ?? []).forEach((v, i) => {
    if (!(GUEST_OR_EXTERNAL_USER_TYPES as readonly string[]).includes(v)) {
      p.add(`users.includeGuestsOrExternalUsers[${i}]`, `"${v}" is not a guest or external user type`, GUEST_OR_EXTERNAL_USER_TYPES.join(", "));
    }
  });
}

function validateApplications(def: PolicyDefinition, p: ProblemList): void {
  const a = def.applications ?? {};
  if ((a.include?.length ?? 0) + (a.userActions?.length ?? 0) === 0) {
    p.add("applications", "targets no application or user action", "include (All, Office365, an app name or ID) or userActions");
  }
  if ((a.include?.length ?? 0) > 0 && (a.userActions?.length ?? 0) > 0) {
    p.add("applications", "mixes applications and user actions, which Graph does not accept in one policy", "either include or userActions");
  }
  for (const key of ["include", "exclude"] as const) {
    (a[key] ?? []).forEach((v, i) => {
      const r = resolveApplication(v);
      if (!r.ok) p.add(`applications.${key}[${i}]`, `unknown application "${v}"`, r.known);
    });
  }
  (a.userActions ?? []).forEach((v, i) => {
    if (!(USER_ACTIONS as readonly string[]).includes(v)) p.add(`applications.userActions[${i}]`, `"${v}" is not a user action`, USER_ACTIONS.join(", "));
  });
  (def.servicePrincipals?.include ?? []).concat(def.servicePrincipals?.exclude ?? []).forEach((v) => {
    if (!isGuid(v) && v !== "ServicePrincipalsInMyTenant") {
      p.add("servicePrincipals", `"${v}" is not a service principal ID`, "ServicePrincipalsInMyTenant or a service principal object ID");
    }
  });
}

function validateConditions(def: PolicyDefinition, p: ProblemList, knownLocations: ReadonlySet<string>): void {
  checkEnum(p, "clientAppTypes", def.clientAppTypes, CLIENT_APP_TYPES);
  if (def.clientAppTypes?.includes("all") && def.clientAppTypes.length > 1) {
    p.add("clientAppTypes", '"all" cannot be combined with other client app types', 'either ["all"] or a list of specific types');
  }
  checkEnum(p, "platforms.include", def.platforms?.include, DEVICE_PLATFORMS);
  checkEnum(p, "platforms.exclude", def.platforms?.exclude, DEVICE_PLATFORMS);
  if (def.platforms && def.platforms.include.length === 0) p.add("platforms.include", "is empty", "at least one platform, or leave platforms out");
  checkEnum(p, "signInRiskLevels", def.signInRiskLevels, RISK_LEVELS);
  checkEnum(p, "userRiskLevels", def.userRiskLevels, RISK_LEVELS);
  if (def.locations) {
    if (def.locations.include.length === 0) p.add("locations.include", "is empty", "All, AllTrusted, or named locations");
    for (const key of ["include", "exclude"] as const) {
      (def.locations[key] ?? []).forEach((v, i) => {
        if (pulumi.Output.isInstance(v) || typeof v !== "string") return; // a resource's ID, known only at deploy time
        if (!LOCATION_KEYWORDS.includes(v) && !isGuid(v) && !knownLocations.has(v)) {
          const declared = [...knownLocations].sort();
          p.add(
            `locations.${key}[${i}]`,
            `"${v}" is neither a keyword, a named-location ID nor a declared named location`,
            [...LOCATION_KEYWORDS, ...declared].join(", ") + ", or a named-location ID",
          );
        }
      });
    }
  }
  if (def.deviceFilter) {
    if (!["include", "exclude"].includes(def.deviceFilter.mode))
      p.add("deviceFilter.mode", `"${def.deviceFilter.mode}" is not a filter mode`, "include, exclude");
    if (!def.deviceFilter.rule || def.deviceFilter.rule.trim() === "")
      p.add("deviceFilter.rule", "is empty", "a device filter rule such as device.isCompliant -eq True");
  }
}

function validateGrant(def: PolicyDefinition, p: ProblemList): void {
  const g = def.grant;
  if (!g && !def.session) {
    p.add("grant", "the policy neither grants nor restricts anything", "grant controls, session controls, or both");
    return;
  }
  if (!g) return;
  if (g.operator !== undefined && g.operator !== "AND" && g.operator !== "OR") p.add("grant.operator", `"${g.operator}" is not an operator`, "AND, OR");
  checkEnum(p, "grant.controls", g.controls, GRANT_CONTROLS);
  const controls = g.controls ?? [];
  const total = controls.length + (g.termsOfUse?.length ?? 0) + (g.authenticationStrengthId ? 1 : 0);
  if (total === 0) p.add("grant", "grants nothing", "at least one of controls, termsOfUse or authenticationStrengthId");
  if (controls.includes("block") && total > 1) {
    p.add("grant.controls", "block cannot be combined with other grant controls", "block alone, or the controls without block");
  }
  if (controls.includes("mfa") && g.authenticationStrengthId) {
    p.add("grant", "mfa and an authentication strength cannot both be required", "one of them");
  }
  if (g.authenticationStrengthId !== undefined && !isGuid(g.authenticationStrengthId)) {
    p.add(
      "grant.authenticationStrengthId",
      `"${g.authenticationStrengthId}" is not an authentication strength ID`,
      "a GUID such as 00000000-0000-0000-0000-000000000002 (built-in MFA strength)",
    );
  }
  (g.termsOfUse ?? []).forEach((v, i) => {
    if (typeof v === "string" && !isGuid(v))
      p.add(`grant.termsOfUse[${i}]`, `"${v}" is not an agreement ID`, "a TermsOfUse component's agreementId, or an agreement ID (GUID)");
  });
}

function validateSession(def: PolicyDefinition, p: ProblemList): void {
  const s = def.session;
  if (!s) return;
  if (s.cloudAppSecurity !== undefined) {
    checkEnum(p, "session.cloudAppSecurity", [s.cloudAppSecurity], CLOUD_APP_SECURITY_TYPES);
    const types = def.clientAppTypes ?? ["all"];
    if (types.some((t) => t !== "browser")) {
      p.add(
        "clientAppTypes",
        'Conditional Access App Control only applies to browser sessions, so a Defender for Cloud Apps session control needs clientAppTypes ["browser"]',
        '["browser"]',
      );
    }
  }
  const f = s.signInFrequency;
  if (f !== undefined && f !== "everyTime") {
    const max = f.unit === "hours" ? 23 : 365;
    if (!["hours", "days"].includes(f.unit)) p.add("session.signInFrequency.unit", `"${f.unit}" is not a unit`, "hours, days");
    else if (!Number.isInteger(f.value) || f.value < 1 || f.value > max) {
      p.add("session.signInFrequency.value", `${f.value} ${f.unit} is outside Graph's range`, `a whole number from 1 to ${max} ${f.unit}`);
    }
  }
  if (s.persistentBrowser !== undefined && !["always", "never"].includes(s.persistentBrowser)) {
    p.add("session.persistentBrowser", `"${s.persistentBrowser}" is not a mode`, "always, never");
  }
}

function validateSafety(def: PolicyDefinition, tenant: Pick<TenantSettings, "rooms">, p: ProblemList): void {
  const enabled = def.state === "enabled";
  for (const [risk, acknowledgement] of Object.entries(def.acknowledgedRisks ?? {})) {
    if (!(WIDE_IMPACT_RISKS as readonly string[]).includes(risk)) {
      p.add(`acknowledgedRisks.${risk}`, "is not a risk the lockout gate knows", WIDE_IMPACT_RISKS.join(", "));
    } else if ((acknowledgement?.reason?.trim() ?? "").length < MIN_REASON_LENGTH) {
      p.add(
        `acknowledgedRisks.${risk}.reason`,
        "an acknowledged risk needs a written reason a reviewer can judge",
        `a sentence of at least ${MIN_REASON_LENGTH} characters`,
      );
    }
  }
  for (const kind of EXCLUSION_KINDS) {
    const optOut = def.exclusionOptOut?.[kind];
    if (!optOut) continue;
    if (kind === "roomAccounts" && !tenant.rooms) {
      p.add(
        "exclusionOptOut.roomAccounts",
        "the tenant settings name no room accounts group, so there is nothing to opt out of",
        "rooms.accountsGroup in Pulumi.<stack>.yaml, or remove the opt-out",
      );
    }
    const reason = optOut.reason?.trim() ?? "";
    if (reason.length < MIN_REASON_LENGTH) {
      p.add(
        `exclusionOptOut.${kind}.reason`,
        "an exclusion opt-out needs a written reason a reviewer can judge",
        `a sentence of at least ${MIN_REASON_LENGTH} characters`,
      );
    }
    // A room policy may be enabled: what it asks of the rooms is for the lockout gate to judge (devices can be compliant).
    if (enabled && kind !== "roomAccounts") {
      const who = kind === "directorySync" ? "the directory-sync accounts" : "the break-glass accounts";
      p.add(
        "state",
        `an enabled policy would apply to ${who} because of exclusionOptOut.${kind}`,
        "reportOnly or disabled while the opt-out stands, or remove the opt-out",
      );
    }
  }
  const blocks = def.grant?.controls?.includes("block") ?? false;
  const allUsers = def.users?.includeUsers?.includes("All") ?? false;
  const allApps = def.applications?.include?.includes("All") ?? false;
  const narrowed =
    (def.clientAppTypes !== undefined && !def.clientAppTypes.includes("all")) ||
    def.platforms !== undefined ||
    def.locations !== undefined ||
    def.deviceFilter !== undefined ||
    (def.signInRiskLevels?.length ?? 0) > 0 ||
    (def.userRiskLevels?.length ?? 0) > 0;
  if (enabled && blocks && allUsers && allApps && !narrowed) {
    p.add(
      "grant.controls",
      "an enabled policy that blocks All users on All apps with no other condition locks the whole tenant out",
      "narrow it with a condition (client apps, locations, platforms, device filter, risk) or keep it reportOnly",
    );
  }
}

function checkEnum(p: ProblemList, field: string, values: readonly string[] | undefined, allowed: readonly string[]): void {
  (values ?? []).forEach((v, i) => {
    if (!allowed.includes(v)) p.add(`${field}[${i}]`, `"${v}" is not accepted by Graph`, allowed.join(", "));
  });
}

/** Set-level rules: unique logical names and display names, valid named locations. */
export function validatePolicySet(policies: readonly PolicyDefinition[], locations: readonly NamedLocationDefinition[], tenant: TenantSettings): void {
  const problems = new ProblemList();
  const locationNames = new Set(locations.map((l) => l.name));
  locations.forEach((l) => validateNamedLocation(l, tenant, problems));
  policies.forEach((def) => validatePolicy(def, tenant, problems, locationNames));
  findDuplicates(policies.map((d) => d.name)).forEach((n) =>
    problems.add([`tenant ${tenant.stack}`, `policy ${n}`, "name"], "is declared more than once", "one policy per logical name"),
  );
  findDuplicates(policies.map((d) => (d.displayName ?? d.name).trim().toLowerCase())).forEach((n) =>
    problems.add(
      [`tenant ${tenant.stack}`, `display name "${n}"`],
      "is used by more than one policy; Graph allows it but reviewers and the portal cannot tell them apart",
      "a unique displayName per policy",
    ),
  );
  findDuplicates(locations.map((l) => l.name)).forEach((n) =>
    problems.add([`tenant ${tenant.stack}`, `named location ${n}`], "is declared more than once", "one named location per logical name"),
  );
  // An adoption naming nothing declared would silently adopt nothing, and the object would be created twice.
  const adopt = problems.under(`tenant ${tenant.stack}`, `${TENANT_CONFIG_KEY}.adopt`);
  checkAdoptedNames(tenant.adopt?.conditionalAccessPolicies, policies, "conditionalAccessPolicies", "policy", adopt);
  checkAdoptedNames(tenant.adopt?.namedLocations, locations, "namedLocations", "named location", adopt);
  problems.throwIfAny();
}

function checkAdoptedNames(
  adopted: Readonly<Record<string, string>> | undefined,
  declared: readonly { readonly name: string }[],
  field: string,
  noun: string,
  problems: ProblemList,
): void {
  const names = declared.map((d) => d.name);
  for (const name of Object.keys(adopted ?? {}).filter((n) => !names.includes(n))) {
    const hint = names.length > 0 ? `the logical name of a declared ${noun} (did you mean ${closest(name, names)}?)` : `no ${noun} is declared`;
    problems.add(`${field}.${name}`, `names no ${noun} this stack declares`, hint);
  }
}

function validateNamedLocation(l: NamedLocationDefinition, tenant: TenantSettings, problems: ProblemList): void {
  const p = problems.under(`tenant ${tenant.stack}`, `named location ${l.name}`);
  if (!LOGICAL_NAME.test(l.name ?? "")) p.add("name", `"${l.name}" is not a usable logical name`, "letters, digits, '.', '_' or '-'");
  const hasIp = (l.ipRanges?.length ?? 0) > 0;
  const hasCountries = (l.countries?.length ?? 0) > 0;
  if (hasIp === hasCountries)
    p.add("ipRanges/countries", "a named location is either an IP-ranges location or a countries location", "ipRanges, or countries, not both and not neither");
  (l.ipRanges ?? []).forEach((r, i) => {
    if (!isCidr(r)) p.add(`ipRanges[${i}]`, `"${r}" is not a CIDR range`, "IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/48");
  });
  (l.countries ?? []).forEach((c, i) => {
    if (!/^[A-Z]{2}$/.test(c)) p.add(`countries[${i}]`, `"${c}" is not a country code`, "ISO 3166-1 alpha-2 codes in capitals, e.g. NL, US");
  });
  if (l.trusted && hasCountries) p.add("trusted", "only IP-ranges locations can be marked trusted", "trusted with ipRanges");
}
