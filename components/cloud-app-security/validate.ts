import { validatePolicy } from "../conditional-access";
import type { PolicyDefinition } from "../conditional-access";
import { resolveApplication, WELL_KNOWN_APPLICATIONS } from "../../lib/entra/well-known";
import { isCidr } from "../../lib/net";
import { checkKnownKeys, findDuplicates, LOGICAL_NAME, ProblemList } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";
import {
  BLOCKABLE_ACTIVITIES,
  DEVICE_TAGS,
  FILTER_OPERATORS,
  IP_CATEGORIES,
  MAX_BLOCK_MESSAGE_LENGTH,
  SESSION_CONTROL_TYPES,
  SESSION_POLICY_CATEGORIES,
  SESSION_POLICY_SEVERITIES,
  SessionPolicyDefinition,
  UNINSPECTABLE_FILE_HANDLING,
  IpRangeDefinition,
  DEFENDER_COMPLIANCE_PLATFORMS,
  DefenderCompliancePlatform,
  DefenderIntegrationsDefinition,
  MACHINE_RISK_SCORES,
  MachineRiskScore,
} from "./definition";

const FILE_CONTROL_TYPES: readonly string[] = ["controlFileDownload", "controlFileUpload"];
/** App values that make no sense as a session-policy app filter (they are conditional-access scoping keywords). */
const NOT_SESSION_APPS = ["All", "None", "MicrosoftAdminPortals"];
/** Members of the `Office365` app group that Conditional Access App Control can proxy. */
const OFFICE365_MEMBERS = ["Exchange Online", "SharePoint Online", "Microsoft Teams"].map((n) => WELL_KNOWN_APPLICATIONS[n]);
/** Application enforced restrictions are honoured by these apps only (Entra docs, "Session controls"). */
const APP_ENFORCED_RESTRICTION_APPS = ["Office365", WELL_KNOWN_APPLICATIONS["Exchange Online"], WELL_KNOWN_APPLICATIONS["SharePoint Online"]];

export function sessionPolicyPath(tenant: Pick<TenantSettings, "stack">, name: string): string[] {
  return [`tenant ${tenant.stack}`, `session policy ${name}`];
}

/** Checks one session policy against the portal's rules. */
export function validateSessionPolicy(def: SessionPolicyDefinition, tenant: TenantSettings, problems: ProblemList): void {
  const p = problems.under(...sessionPolicyPath(tenant, def.name || "(unnamed)"));
  if (!LOGICAL_NAME.test(def.name ?? "")) {
    p.add("name", `"${def.name ?? ""}" is not a usable logical name`, "1-100 letters, digits, '.', '_' or '-', starting with a letter or digit");
  }
  if (def.displayName !== undefined && def.displayName.trim() === "")
    p.add("displayName", "is blank", "the policy name the portal shows, or leave it out to use the logical name");
  checkOne(p, "severity", def.severity, SESSION_POLICY_SEVERITIES);
  if (def.category !== undefined) checkOne(p, "category", def.category, SESSION_POLICY_CATEGORIES);
  if (!checkOne(p, "controlType", def.controlType, SESSION_CONTROL_TYPES)) return;
  validateActivities(def, p);
  validateFiles(def, p);
  validateAction(def, p);
  validateAlerts(def, p);
}

function validateActivities(def: SessionPolicyDefinition, p: ProblemList): void {
  const a = def.activities ?? {};
  const filter = <T>(field: string, f: { operator: string } | undefined, values: readonly T[] | undefined, check: (v: T, i: number) => void): void => {
    if (!f) return;
    checkOne(p, `activities.${field}.operator`, f.operator, FILTER_OPERATORS);
    if (!values || values.length === 0) p.add(`activities.${field}`, "is empty", "at least one value, or leave the filter out");
    (values ?? []).forEach(check);
  };
  filter("deviceTags", a.deviceTags, a.deviceTags?.tags, (t, i) => checkOne(p, `activities.deviceTags.tags[${i}]`, t, DEVICE_TAGS));
  filter("ipCategories", a.ipCategories, a.ipCategories?.categories, (c, i) => checkOne(p, `activities.ipCategories.categories[${i}]`, c, IP_CATEGORIES));
  filter("ipRanges", a.ipRanges, a.ipRanges?.cidrs, (r, i) => {
    if (!isCidr(r)) p.add(`activities.ipRanges.cidrs[${i}]`, `"${r}" is not a CIDR range`, "IPv4 or IPv6 CIDR such as 203.0.113.0/24");
  });
  filter("locations", a.locations, a.locations?.countries, (c, i) => {
    if (!/^[A-Z]{2}$/.test(c))
      p.add(`activities.locations.countries[${i}]`, `"${c}" is not a country code`, "ISO 3166-1 alpha-2 codes in capitals, e.g. NL, US");
  });
  filter("isps", a.isps, a.isps?.names, (n, i) => {
    if (n.trim() === "") p.add(`activities.isps.names[${i}]`, "is blank", "the ISP name as the portal lists it");
  });
  filter("userGroups", a.userGroups, a.userGroups?.groups, (g, i) => {
    if (g.trim() === "") p.add(`activities.userGroups.groups[${i}]`, "is blank", "a group name as the portal lists it");
  });
  (a.apps ?? []).forEach((app, i) => {
    const r = resolveApplication(app);
    if (!r.ok || NOT_SESSION_APPS.includes(app)) {
      p.add(
        `activities.apps[${i}]`,
        `"${app}" is not an app Conditional Access App Control can proxy`,
        "Office365, Exchange Online, SharePoint Online, Microsoft Teams, or an application (client) ID; leave apps out for every routed app",
      );
    }
  });
  if (a.apps && a.apps.length === 0) p.add("activities.apps", "is empty", "app names or IDs, or leave apps out for every routed app");
  const blocksActivities = def.controlType === "blockActivities";
  if (blocksActivities && (a.activityTypes?.length ?? 0) === 0) {
    p.add("activities.activityTypes", 'the "Block activities" control type needs the activities to block', BLOCKABLE_ACTIVITIES.join(", "));
  }
  if (!blocksActivities && a.activityTypes !== undefined) {
    p.add(
      "activities.activityTypes",
      `the portal offers the Activity type filter only with "Block activities", not with ${def.controlType}`,
      'controlType "blockActivities", or leave activityTypes out',
    );
  }
  (a.activityTypes ?? []).forEach((t, i) => checkOne(p, `activities.activityTypes[${i}]`, t, BLOCKABLE_ACTIVITIES));
}

function validateFiles(def: SessionPolicyDefinition, p: ProblemList): void {
  const fileControl = FILE_CONTROL_TYPES.includes(def.controlType);
  if (!fileControl && def.files)
    p.add(
      "files",
      `file filters apply only to file download and file upload control, not to ${def.controlType}`,
      'controlType "controlFileDownload" or "controlFileUpload", or leave files out',
    );
  if (!fileControl && def.contentInspection)
    p.add(
      "contentInspection",
      `content inspection applies only to file download and file upload control, not to ${def.controlType}`,
      'controlType "controlFileDownload" or "controlFileUpload", or leave contentInspection out',
    );
  const f = def.files;
  if (f?.sensitivityLabels) {
    checkOne(p, "files.sensitivityLabels.operator", f.sensitivityLabels.operator, FILTER_OPERATORS);
    if (f.sensitivityLabels.labels.length === 0) p.add("files.sensitivityLabels.labels", "is empty", "label names, or leave the filter out");
  }
  if (f?.extensions) {
    checkOne(p, "files.extensions.operator", f.extensions.operator, FILTER_OPERATORS);
    if (f.extensions.extensions.length === 0) p.add("files.extensions.extensions", "is empty", "extensions such as docx, or leave the filter out");
    f.extensions.extensions.forEach((e, i) => {
      if (!/^[A-Za-z0-9]{1,16}$/.test(e))
        p.add(`files.extensions.extensions[${i}]`, `"${e}" is not a file extension`, "letters and digits without the dot, e.g. docx");
    });
  }
  if (f?.nameContains && f.nameContains.some((n) => n.trim() === "")) p.add("files.nameContains", "contains a blank entry", "non-blank parts of file names");
  const c = def.contentInspection;
  if (!c) return;
  if (c.method === "dataClassificationService") {
    if ((c.sensitiveInformationTypes ?? []).length === 0)
      p.add(
        "contentInspection.sensitiveInformationTypes",
        "Data Classification Service needs at least one sensitive information type",
        'names such as "Credit Card Number"',
      );
  } else if (c.method === "customExpression") {
    if (!c.expression || c.expression.trim() === "") p.add("contentInspection.expression", "is blank", 'the words to match, e.g. "Project X-Ray"');
  } else if (c.method !== "malwareDetection") {
    p.add(
      "contentInspection.method",
      `"${(c as { method: string }).method}" is not an inspection method`,
      "dataClassificationService, customExpression, malwareDetection",
    );
    return;
  }
  if ("uninspectableFiles" in c && c.uninspectableFiles !== undefined)
    checkOne(p, "contentInspection.uninspectableFiles", c.uninspectableFiles, UNINSPECTABLE_FILE_HANDLING);
}

function validateAction(def: SessionPolicyDefinition, p: ProblemList): void {
  const action = def.action ?? { kind: "test" };
  if (!checkOne(p, "action.kind", action.kind, ["test", "block", "protect"])) return;
  if (def.controlType === "monitorOnly" && action.kind !== "test") {
    p.add(
      "action",
      `"Monitor only" has no actions, so it cannot ${action.kind}`,
      'action "test" (or leave it out), or a control type that can act, e.g. "controlFileDownload"',
    );
  }
  if (action.kind === "protect") {
    if (def.controlType !== "controlFileDownload") {
      p.add(
        "action",
        `"Protect" applies a sensitivity label on download, so it needs "Control file download (with inspection)", not ${def.controlType}`,
        'controlType "controlFileDownload", or action "block" / "test"',
      );
    }
    if (!action.sensitivityLabel || action.sensitivityLabel.trim() === "") {
      p.add(
        "action.sensitivityLabel",
        '"Protect" needs the sensitivity label to apply',
        "the name of a Purview sensitivity label configured to apply encryption",
      );
    }
  }
  if ((action.kind === "block" || action.kind === "protect") && action.customBlockMessage !== undefined) {
    const message = action.customBlockMessage;
    if (message.trim() === "")
      p.add(
        "action.customBlockMessage",
        "is blank",
        "a sentence telling the user what happened and what to do, or leave it out for the portal's default message",
      );
    else if (message.length > MAX_BLOCK_MESSAGE_LENGTH)
      p.add("action.customBlockMessage", `is ${message.length} characters long`, `at most ${MAX_BLOCK_MESSAGE_LENGTH} characters`);
  }
  if (action.kind === "protect" && action.blockUnprotectableFiles === false && action.customBlockMessage !== undefined) {
    p.add(
      "action.customBlockMessage",
      "is never shown: files that cannot be protected are allowed (blockUnprotectableFiles is false)",
      "blockUnprotectableFiles true, or leave the message out",
    );
  }
}

function validateAlerts(def: SessionPolicyDefinition, p: ProblemList): void {
  const a = def.alerts;
  if (!a) return;
  if (a.dailyLimit !== undefined && (!Number.isInteger(a.dailyLimit) || a.dailyLimit < 1))
    p.add("alerts.dailyLimit", `${a.dailyLimit} is not a daily alert limit`, "a whole number of at least 1");
  if (!a.enabled && (a.dailyLimit !== undefined || (a.emailRecipients?.length ?? 0) > 0)) {
    p.add("alerts.enabled", "alert settings are given but alerts are off", "enabled: true, or leave the other alert settings out");
  }
  (a.emailRecipients ?? []).forEach((r, i) => {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(r)) p.add(`alerts.emailRecipients[${i}]`, `"${r}" is not an email address`, "addresses such as soc@contoso.com");
  });
}

function checkOne(p: ProblemList, field: string, value: string, allowed: readonly string[]): boolean {
  if (allowed.includes(value)) return true;
  p.add(field, `"${value}" is not accepted by the portal`, allowed.join(", "));
  return false;
}

/** What the session-control chain is made of: the conditional-access policies that route sessions, and the session policies. */
export interface SessionControlDeclaration {
  /** Conditional-access policies that route sessions (cloudAppSecurity) or fall back (applicationEnforcedRestrictions). */
  readonly conditionalAccess: readonly PolicyDefinition[];
  readonly sessionPolicies: readonly SessionPolicyDefinition[];
}

/**
 * Checks the whole chain before anything is declared: each policy on its own, unique names, and that what the
 * conditional-access side promises the session side delivers (a "Use custom policy" route needs a session policy).
 */
export function validateSessionControl(declaration: SessionControlDeclaration, tenant: TenantSettings, problems: ProblemList): void {
  const { conditionalAccess, sessionPolicies } = declaration;
  conditionalAccess.forEach((def) => validatePolicy(def, tenant, problems));
  sessionPolicies.forEach((def) => validateSessionPolicy(def, tenant, problems));
  const tenantPath = `tenant ${tenant.stack}`;
  findDuplicates(sessionPolicies.map((s) => s.name)).forEach((n) =>
    problems.add([tenantPath, `session policy ${n}`, "name"], "is declared more than once", "one session policy per logical name"),
  );
  findDuplicates(sessionPolicies.map((s) => (s.displayName ?? s.name).trim().toLowerCase())).forEach((n) =>
    problems.add(
      [tenantPath, `session policy display name "${n}"`],
      "is used by more than one session policy; the portal requires unique policy names",
      "a unique displayName per session policy",
    ),
  );

  const routes = conditionalAccess.filter((d) => d.session?.cloudAppSecurity !== undefined);
  if (sessionPolicies.length > 0 && routes.length === 0) {
    problems.add(
      [tenantPath, "session policies"],
      "no conditional-access policy routes sessions to Conditional Access App Control, so these session policies would never apply",
      "a policy from routeUnmanagedBrowserSessionsToDefender (session.cloudAppSecurity) in conditionalAccess",
    );
  }
  for (const route of routes.filter((d) => d.session?.cloudAppSecurity === "mcasConfigured")) {
    for (const app of route.applications.include ?? []) {
      const routed = resolveApplication(app);
      if (!routed.ok) continue; // validatePolicy already reported it
      if (!sessionPolicies.some((s) => covers(s, routed.id))) {
        problems.add(
          [tenantPath, `policy ${route.name}`, "session.cloudAppSecurity"],
          `"mcasConfigured" (Use custom policy) routes ${app} to Defender for Cloud Apps, but no declared session policy covers ${app}, so its sessions would only be proxied, never controlled`,
          `a session policy whose activities.apps includes ${app}${OFFICE365_MEMBERS.includes(routed.id) ? " or Office365" : ""} (or has no app filter), or "monitorOnly" / "blockDownloads"`,
        );
      }
    }
  }
  for (const def of conditionalAccess.filter((d) => d.session?.applicationEnforcedRestrictions)) {
    (def.applications.include ?? []).forEach((app, i) => {
      const r = resolveApplication(app);
      if (r.ok && !APP_ENFORCED_RESTRICTION_APPS.includes(r.id)) {
        problems.add(
          [tenantPath, `policy ${def.name}`, `applications.include[${i}]`],
          `app enforced restrictions are honoured only by Exchange Online and SharePoint Online; ${app} would ignore them`,
          "Exchange Online, SharePoint Online, or Office365",
        );
      }
    });
  }
}

/** Whether a session policy's app filter reaches an app routed by conditional access. */
function covers(policy: SessionPolicyDefinition, routedId: string): boolean {
  const apps = policy.activities?.apps;
  if (!apps || apps.length === 0) return true;
  const ids = apps
    .map((a) => resolveApplication(a))
    .filter((r) => r.ok)
    .map((r) => (r as { id: string }).id);
  if (ids.includes(routedId)) return true;
  return ids.includes("Office365") && OFFICE365_MEMBERS.includes(routedId);
}

/** Checks one IP range; `path` prefixes every problem (tenant › IP range name). */
export function validateIpRange(def: IpRangeDefinition, problems: ProblemList): void {
  if (!LOGICAL_NAME.test(def.name ?? ""))
    problems.add(
      "name",
      `"${def.name ?? ""}" is not a usable logical name`,
      "1-100 letters, digits, '.', '_' or '-', e.g. contoso-offices (put the portal's name in displayName)",
    );
  const portalName = def.displayName ?? def.name ?? "";
  if (portalName.trim() === "" || portalName.length > 256)
    problems.add("displayName", "must be 1-256 characters and not blank", "a name like the portal shows, e.g. Contoso offices");
  if (def.category !== undefined && !IP_CATEGORIES.includes(def.category))
    problems.add("category", `"${def.category}" is not an IP range category`, IP_CATEGORIES.join(", "));
  if (!def.subnets || def.subnets.length === 0) problems.add("subnets", "is empty", "at least one CIDR range such as 203.0.113.0/24");
  (def.subnets ?? []).forEach((s, i) => {
    if (!isCidr(s)) problems.add(`subnets[${i}]`, `"${s}" is not a CIDR range`, "IPv4 or IPv6 CIDR such as 203.0.113.0/24 or 2001:db8::/48");
  });
  if (def.organization !== undefined && def.organization.trim() === "") problems.add("organization", "is blank", "the ISP name to show, or leave it out");
  (def.tags ?? []).forEach((t, i) => {
    if (t.trim() === "") problems.add(`tags[${i}]`, "is blank", "tag names");
  });
}

/** Validates a tenant's IP ranges, including unique names, and that the tenant says where its API is. */
export function validateIpRanges(defs: readonly IpRangeDefinition[], tenant: TenantSettings, problems: ProblemList): void {
  if (defs.length === 0) return;
  const tenantPath = `tenant ${tenant.stack}`;
  if (!tenant.defenderForCloudApps) {
    problems.add(
      [tenantPath, "defenderForCloudApps.apiUrl"],
      "IP ranges are declared but the tenant settings do not say where its Defender for Cloud Apps API is",
      "m365-baseline:tenant.defenderForCloudApps.apiUrl, from Settings › Cloud Apps › About › API URL",
    );
  }
  defs.forEach((d) => validateIpRange(d, problems.under(tenantPath, `IP range ${d.name || "(unnamed)"}`)));
  findDuplicates(defs.map((d) => (d.displayName ?? d.name).trim().toLowerCase())).forEach((name) =>
    problems.add([tenantPath, `IP range ${name}`, "displayName"], "is declared more than once; the API requires unique names", "one IP range per name"),
  );
  findDuplicates(defs.map((d) => d.name)).forEach((name) =>
    problems.add([tenantPath, `IP range ${name}`, "name"], "is declared more than once", "one IP range per logical name"),
  );
}

/**
 * Checks a `DefenderIntegrations` declaration: every problem at once, each under
 * "tenant <stack> › Defender integrations <name> › <field>". Misspelt keys are reported too (a stack planned from
 * source is transpiled, not type-checked).
 */
export function validateDefenderIntegrations(name: string, def: DefenderIntegrationsDefinition, tenant: TenantSettings, problems: ProblemList): void {
  const p = problems.under(`tenant ${tenant.stack}`, `Defender integrations ${name}`);
  checkKnownKeys(def, ["defenderForIdentity", "defenderForEndpoint"], p);
  if (def.defenderForIdentity === undefined && def.defenderForEndpoint === undefined) {
    p.add("defenderForIdentity, defenderForEndpoint", "declares no integration", "at least one of defenderForIdentity, defenderForEndpoint");
  }
  const identity = def.defenderForIdentity as { inDefenderForCloudApps?: unknown } | undefined;
  if (identity !== undefined) {
    checkKnownKeys(identity, ["inDefenderForCloudApps"], p, "defenderForIdentity");
    if (identity.inDefenderForCloudApps !== true) {
      p.add(
        "defenderForIdentity.inDefenderForCloudApps",
        "must be true: since April 2023 Defender for Identity data is part of the Microsoft Defender portal with no switch to turn it off " +
          "(Defender for Cloud Apps release 251–252 removed Settings › Microsoft Defender for Identity)",
        "true, or leave defenderForIdentity out",
      );
    }
  }
  const endpoint = def.defenderForEndpoint as
    { intuneConnection?: unknown; compliancePlatforms?: unknown; maximumMachineRiskScore?: unknown; partnerUnresponsiveAfterDays?: unknown } | undefined;
  if (endpoint === undefined) return;
  const at = "defenderForEndpoint";
  if (endpoint.intuneConnection === false) {
    checkKnownKeys(endpoint, ["intuneConnection"], p, at);
    return;
  }
  checkKnownKeys(endpoint, ["intuneConnection", "compliancePlatforms", "maximumMachineRiskScore", "partnerUnresponsiveAfterDays"], p, at);
  if (endpoint.intuneConnection !== true) {
    p.add(`${at}.intuneConnection`, `${shown(endpoint.intuneConnection)} is not On or Off`, "true (Microsoft Intune connection: On) or false (Off)");
  }
  const platforms = Array.isArray(endpoint.compliancePlatforms) ? (endpoint.compliancePlatforms as unknown[]) : undefined;
  if (!platforms || platforms.length === 0) {
    p.add(
      `${at}.compliancePlatforms`,
      "is empty: with no platform connected, compliance policies never see Defender for Endpoint's risk",
      DEFENDER_COMPLIANCE_PLATFORMS.join(", "),
    );
  }
  (platforms ?? []).forEach((platform, i) => {
    if (DEFENDER_COMPLIANCE_PLATFORMS.includes(platform as DefenderCompliancePlatform)) return;
    const macOS = typeof platform === "string" && platform.toLowerCase() === "macos";
    p.add(
      `${at}.compliancePlatforms[${i}]`,
      macOS
        ? '"macOS" cannot be connected for compliance: Microsoft documents Defender for Endpoint compliance evaluation for Android, iOS/iPadOS and Windows only, and Graph has macEnabled in beta only'
        : `${shown(platform)} is not a platform Intune connects to Defender for Endpoint`,
      DEFENDER_COMPLIANCE_PLATFORMS.join(", "),
    );
  });
  findDuplicates((platforms ?? []).filter((x): x is string => typeof x === "string")).forEach((platform) =>
    p.add(`${at}.compliancePlatforms`, `"${platform}" is listed more than once`, "each platform once"),
  );
  if (!MACHINE_RISK_SCORES.includes(endpoint.maximumMachineRiskScore as MachineRiskScore)) {
    p.add(
      `${at}.maximumMachineRiskScore`,
      `${shown(endpoint.maximumMachineRiskScore)} is not a machine risk score`,
      `${MACHINE_RISK_SCORES.join(", ")} ("secured" is the portal's Clear)`,
    );
  }
  const days = endpoint.partnerUnresponsiveAfterDays;
  if (days !== undefined && !(typeof days === "number" && Number.isInteger(days) && days >= 1 && days <= 2147483647)) {
    p.add(`${at}.partnerUnresponsiveAfterDays`, `${shown(days)} is not a whole number of days`, "a whole number of days, 1 or more, or leave it out");
  }
}

/** A declared value as an author reads it in a message; a missing one says so. */
function shown(value: unknown): string {
  return value === undefined ? "(missing)" : JSON.stringify(value);
}
