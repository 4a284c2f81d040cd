import {
  blockLegacyAuthentication,
  CatalogOverrides,
  PolicyDefinition,
  requireCompliantOrHybridJoinedDevice,
  requireMfaForAdmins,
  requireMfaForAllUsers,
} from "../components/conditional-access";

/**
 * The baseline every tenant starts from. A change here shows up in every tenant's plan. Tenants pass overrides
 * keyed by logical name (e.g. to enable a policy after its report-only period) and add their own policies.
 */
export interface BaselineOptions {
  /** Per-policy overrides by logical name, e.g. `{ "CA004-Global-AllApps-RequireMFA": { state: "enabled" } }`. */
  readonly overrides?: Readonly<Record<string, CatalogOverrides>>;
  /** Logical names of baseline policies this tenant does not take (shown in its plan by their absence). */
  readonly omit?: readonly string[];
}

export function baselinePolicies(options: BaselineOptions = {}): PolicyDefinition[] {
  const o = options.overrides ?? {};
  const all = [
    blockLegacyAuthentication({ state: "enabled", ...o["CA002-Global-AllApps-BlockLegacyAuthentication"] }),
    requireMfaForAdmins({ state: "enabled", ...o["CA003-Admins-AllApps-RequireMFA"] }),
    requireMfaForAllUsers(o["CA004-Global-AllApps-RequireMFA"]),
    requireCompliantOrHybridJoinedDevice(o["CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice"]),
  ];
  const unknown = Object.keys(o).filter((name) => !all.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new Error(`baseline overrides name unknown policies: ${unknown.join(", ")}; baseline policies are ${all.map((p) => p.name).join(", ")}`);
  }
  return all.filter((p) => !(options.omit ?? []).includes(p.name));
}
