import { isCidr } from "../../lib/net";
import { findDuplicates, LOGICAL_NAME, ProblemList } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";
import { IP_CATEGORIES, IpCategory } from "./session-policy";

/**
 * An IP address range in Defender for Cloud Apps (portal: Settings › Cloud Apps › IP address ranges), managed
 * through the documented data-enrichment API. Session-policy filters such as "IP address › Category equals
 * Corporate" depend on these.
 */
export interface IpRangeDefinition {
  /**
   * Logical name: the Pulumi resource's identity (`ip-range-<name>`), e.g. `contoso-offices`. Renaming `displayName`
   * updates the range in place; renaming `name` replaces it.
   */
  readonly name: string;
  /** Portal: "Name". API: `name`; unique per tenant (the API requires unique names). @default the logical `name` */
  readonly displayName?: string;
  /** Portal: "Category". API: `category` (1 Corporate … 6 Other). @default "corporate" */
  readonly category?: IpCategory;
  /** Portal: "IP address ranges". API: `subnets` (CIDR, IPv4 or IPv6). */
  readonly subnets: readonly string[];
  /** Portal: "Override registered ISP". API: `organization`. @default not overridden */
  readonly organization?: string;
  /** Portal: "Tags". API: `tags` (names of new or existing tags). @default none */
  readonly tags?: readonly string[];
}

/** The data-enrichment API's category numbers (Defender for Cloud Apps API, "Create IP address range"). */
export const IP_CATEGORY_IDS: Readonly<Record<IpCategory, number>> = {
  corporate: 1,
  administrative: 2,
  risky: 3,
  vpn: 4,
  cloudProvider: 5,
  other: 6,
};

/** Exactly what `create_rule/` and `update_rule/` receive. `update_rule/` is not partial, so every field is sent. */
export interface SubnetRule {
  readonly name: string;
  readonly category: number;
  readonly subnets: readonly string[];
  /** @default not sent (update_rule then clears it) */
  readonly organization?: string;
  /** @default not sent (update_rule then clears them) */
  readonly tags?: readonly string[];
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

/** Pure: the request body for a validated range. Lists are de-duplicated and sorted so re-declaring changes nothing. */
export function subnetRule(def: IpRangeDefinition): SubnetRule {
  const tags = [...new Set((def.tags ?? []).map((t) => t.trim()))].sort();
  return {
    name: (def.displayName ?? def.name).trim(),
    category: IP_CATEGORY_IDS[def.category ?? "corporate"],
    subnets: [...new Set(def.subnets.map((s) => s.trim().toLowerCase()))].sort(),
    ...(def.organization ? { organization: def.organization.trim() } : {}),
    ...(tags.length > 0 ? { tags } : {}),
  };
}
