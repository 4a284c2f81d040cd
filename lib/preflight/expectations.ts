import { ROLE_TEMPLATES } from "../entra/well-known";
import { presetRuleName } from "../exchange/presets";
import { TOKENS } from "../managed/tokens";
import type { Plan, PlannedResource } from "../plan/record";
import { GUID_PATTERN } from "../problems";
import { syncRoleIds, TenantSettings } from "../tenant-settings";

/**
 * What a stack takes for granted about its tenant, read from the stack's offline plan and its tenant settings: every
 * object ID it names, every licence its rooms need, every API it will call. Pure: `preflight` checks each one live.
 */
export type ExpectationKind =
  | "tenant"
  | "user"
  | "group"
  | "servicePrincipal"
  | "role"
  | "application"
  | "namedLocation"
  | "licence"
  | "access"
  | "acceptedDomain"
  | "presetRule"
  | "spfRecord";

export interface Expectation {
  readonly kind: ExpectationKind;
  /** Object ID, role template ID, app ID, SKU part number, or the service name for `access`. */
  readonly id: string;
  /** The name the stack gives it, if it gives one (settings `displayName`, a role's name). */
  readonly expectedName?: string;
  /** Where the stack names it, e.g. "tenant settings › breakGlass.users", "policy CA004-… › excludedRoles". */
  readonly sources: readonly string[];
  /** A user the settings call a directory-sync account: it must hold a directory-sync role. */
  readonly holdsSyncRole?: boolean;
  /** Licences: how many the rooms need. */
  readonly count?: number;
}

/** The services a managed object calls, each probed with the credential the tenant gives it. */
export type AccessProbe = "conditionalAccess" | "termsOfUse" | "rooms" | "defenderForCloudApps" | "mailProtection";

type Collector = (kind: ExpectationKind, id: string, source: string, extra?: Partial<Expectation>) => void;

/** Every expectation, de-duplicated by kind and ID (sources merged), in a stable order. */
export function expectationsOf(plan: Plan, tenant: TenantSettings): Expectation[] {
  const byKey = new Map<string, Expectation>();
  const add: Collector = (kind, id, source, extra = {}) => {
    const key = `${kind}:${id.toLowerCase()}`;
    const known = byKey.get(key);
    byKey.set(key, {
      kind,
      id,
      ...known,
      ...extra,
      sources: [...new Set([...(known?.sources ?? []), source])],
      ...(known?.count !== undefined || extra.count !== undefined ? { count: (known?.count ?? 0) + (extra.count ?? 0) } : {}),
      ...(known?.holdsSyncRole || extra.holdsSyncRole ? { holdsSyncRole: true } : {}),
    });
  };

  add("tenant", tenant.tenantId, "tenant settings › tenantId", { expectedName: tenant.displayName });
  fromSettings(tenant, add);
  for (const resource of plan.resources) {
    if (resource.type === TOKENS.conditionalAccessPolicy) fromPolicy(resource, add);
    if (resource.type === TOKENS.roomAccount) fromRoomAccount(resource, add);
    if (resource.type === TOKENS.mailDomain) fromMailDomain(resource, add);
    if (resource.type === TOKENS.presetSecurityPolicy) fromPreset(resource, add);
  }
  for (const probe of accessProbes(plan)) add("access", probe, "the stack's managed objects");
  const order: ExpectationKind[] = [
    "tenant",
    "access",
    "user",
    "group",
    "servicePrincipal",
    "role",
    "application",
    "namedLocation",
    "licence",
    "acceptedDomain",
    "spfRecord",
    "presetRule",
  ];
  return [...byKey.values()].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || a.id.localeCompare(b.id));
}

function fromSettings(tenant: TenantSettings, add: Collector): void {
  const settings = "tenant settings";
  for (const u of tenant.breakGlass.users) add("user", u.objectId, `${settings} › breakGlass.users`, { expectedName: u.displayName });
  for (const g of tenant.breakGlass.groups) add("group", g.objectId, `${settings} › breakGlass.groups`, { expectedName: g.displayName });
  if (tenant.rooms)
    add("group", tenant.rooms.accountsGroup.objectId, `${settings} › rooms.accountsGroup`, { expectedName: tenant.rooms.accountsGroup.displayName });
  for (const a of tenant.directorySync.accounts) {
    add("user", a.objectId, `${settings} › directorySync.accounts`, { expectedName: a.displayName, holdsSyncRole: true });
  }
  for (const sp of tenant.directorySync.servicePrincipals) {
    add("servicePrincipal", sp.objectId, `${settings} › directorySync.servicePrincipals`, { expectedName: sp.displayName });
  }
  for (const role of syncRoleIds(tenant)) add("role", role, `${settings} › directorySync.roles (excluded from every policy)`, { ...roleName(role) });
}

/** The policy's own references: GUIDs only (keywords such as All, Office365 or AllTrusted are not objects). */
function fromPolicy(policy: PlannedResource, add: Collector): void {
  const conditions = record(policy.inputs.conditions);
  const users = record(conditions.users);
  const apps = record(conditions.applications);
  const locations = record(conditions.locations);
  const clients = record(conditions.clientApplications);
  const where = (field: string): string => `policy ${String(policy.inputs.displayName ?? policy.name)} › ${field}`;
  const each = (kind: ExpectationKind, field: string, values: unknown, extra: (id: string) => Partial<Expectation> = () => ({})): void => {
    for (const id of guids(values)) add(kind, id, where(field), extra(id));
  };
  each("user", "includedUsers", users.includedUsers);
  each("user", "excludedUsers", users.excludedUsers);
  each("group", "includedGroups", users.includedGroups);
  each("group", "excludedGroups", users.excludedGroups);
  each("role", "includedRoles", users.includedRoles, roleName);
  each("role", "excludedRoles", users.excludedRoles, roleName);
  each("application", "includedApplications", apps.includedApplications);
  each("application", "excludedApplications", apps.excludedApplications);
  // Named locations the stack declares are referenced by their (offline) resource ID, not a GUID: only existing ones are checked.
  each("namedLocation", "includedLocations", locations.includedLocations);
  each("namedLocation", "excludedLocations", locations.excludedLocations);
  each("servicePrincipal", "excludedServicePrincipals", clients.excludedServicePrincipals);
}

function fromRoomAccount(account: PlannedResource, add: Collector): void {
  const room = String(account.inputs.room ?? account.name);
  for (const sku of strings(account.inputs.licences)) add("licence", sku, `room ${room} › licences`, { count: 1 });
}

/**
 * A mail domain: it must be an accepted domain, and the SPF record the stack publishes (`spfRecord`, the record's
 * text as the id) must stay within SPF's DNS-lookup limits once its includes are resolved live.
 */
function fromMailDomain(domain: PlannedResource, add: Collector): void {
  const name = String(domain.inputs.domain);
  add("acceptedDomain", name, `mail domain ${name}`);
  const records = Array.isArray(domain.inputs.records) ? (domain.inputs.records as { type?: string; value?: string }[]) : [];
  const spf = records.find((r) => r.type === "TXT" && /^v=spf1(\s|$)/i.test(r.value ?? ""));
  if (spf?.value) add("spfRecord", spf.value, `mail domain ${name}`, { expectedName: `SPF for ${name}` });
}

/**
 * A preset's rules (`<kind>:<rule name>`): they exist only once the preset was turned on in the Defender portal,
 * which no API does (https://learn.microsoft.com/defender-office-365/preset-security-policies).
 */
function fromPreset(preset: PlannedResource, add: Collector): void {
  const name = presetRuleName(String(preset.inputs.level) === "strict" ? "strict" : "standard");
  for (const kind of preset.inputs.defenderForOffice365 ? ["EOP", "ATP"] : ["EOP"])
    add("presetRule", `${kind}:${name}`, `preset ${String(preset.inputs.level)}`);
}

/** Which services the stack's managed objects call, so each is probed with the credential it will use. */
function accessProbes(plan: Plan): AccessProbe[] {
  const has = (type: string): boolean => plan.resources.some((r) => r.type === type);
  return [
    ...(has(TOKENS.conditionalAccessPolicy) || has(TOKENS.namedLocation) ? (["conditionalAccess"] as const) : []),
    ...(has(TOKENS.agreement) ? (["termsOfUse"] as const) : []),
    ...(has(TOKENS.roomMailbox) || has(TOKENS.roomList) ? (["rooms"] as const) : []),
    ...(has(TOKENS.defenderIpRange) ? (["defenderForCloudApps"] as const) : []),
    ...(has(TOKENS.forwardingDefaults) ? (["mailProtection"] as const) : []),
  ];
}

/** Defender for Cloud Apps API URLs the stack's IP ranges call (one per tenant in practice). */
export function defenderApiUrls(plan: Plan): string[] {
  return [...new Set(plan.resources.filter((r) => r.type === TOKENS.defenderIpRange).map((r) => String(r.inputs.apiUrl)))].sort();
}

const ROLE_NAMES = new Map(Object.entries(ROLE_TEMPLATES).map(([name, id]) => [id.toLowerCase(), name]));

function roleName(id: string): Partial<Expectation> {
  const name = ROLE_NAMES.get(id.toLowerCase());
  return name ? { expectedName: name } : {};
}

function guids(values: unknown): string[] {
  return strings(values).filter((v) => GUID_PATTERN.test(v));
}

function strings(values: unknown): string[] {
  return Array.isArray(values) ? values.filter((v): v is string => typeof v === "string") : [];
}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
}
