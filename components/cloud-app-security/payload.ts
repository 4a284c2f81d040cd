import { resolveApplication } from "../../lib/entra/well-known";
import type {
  ContentInspection,
  FilterOperator,
  SessionControlType,
  SessionPolicyAction,
  SessionPolicyCategory,
  SessionPolicyDefinition,
  SessionPolicySeverity,
  IpRangeDefinition,
  DefenderCompliancePlatform,
  DefenderIntegrationsDefinition,
  MachineRiskScore,
} from "./definition";
import { DEFENDER_COMPLIANCE_PLATFORMS, IP_CATEGORY_IDS } from "./definition";

/** A filter with its values de-duplicated and sorted. */
export interface CanonicalFilter {
  readonly operator: FilterOperator;
  readonly values: readonly string[];
}

/**
 * The stable JSON form of a session policy: every default filled in, every list de-duplicated and sorted, app names
 * resolved to IDs, keys in a fixed order. It is what plans record and diffs compare, and what the runbook reads,
 * so two declarations that mean the same thing always produce the same JSON.
 */
export interface CanonicalSessionPolicy {
  readonly name: string;
  readonly displayName: string;
  readonly description?: string;
  readonly severity: SessionPolicySeverity;
  readonly category: SessionPolicyCategory;
  readonly controlType: SessionControlType;
  readonly activities: {
    readonly deviceTags?: CanonicalFilter;
    readonly ipCategories?: CanonicalFilter;
    readonly ipRanges?: CanonicalFilter;
    readonly locations?: CanonicalFilter;
    readonly isps?: CanonicalFilter;
    readonly userGroups?: CanonicalFilter;
    /** Resolved app IDs (or `Office365`); absent means every routed app. */
    readonly apps?: readonly string[];
    readonly activityTypes?: readonly string[];
  };
  readonly files?: {
    readonly sensitivityLabels?: CanonicalFilter;
    readonly extensions?: CanonicalFilter;
    readonly nameContains?: readonly string[];
  };
  readonly contentInspection?: ContentInspection;
  readonly action: SessionPolicyAction;
  readonly alerts: { readonly enabled: boolean; readonly dailyLimit?: number; readonly emailRecipients?: readonly string[] };
}

/** Pure: turns a *validated* definition into its canonical form. */
export function canonicalSessionPolicy(def: SessionPolicyDefinition): CanonicalSessionPolicy {
  const a = def.activities ?? {};
  const f = def.files;
  const canonical: CanonicalSessionPolicy = {
    name: def.name,
    displayName: (def.displayName ?? def.name).trim(),
    description: def.description?.trim() || undefined,
    severity: def.severity,
    category: def.category ?? "dlp",
    controlType: def.controlType,
    activities: dropUndefined({
      deviceTags: filter(a.deviceTags?.operator, a.deviceTags?.tags),
      ipCategories: filter(a.ipCategories?.operator, a.ipCategories?.categories),
      ipRanges: filter(
        a.ipRanges?.operator,
        a.ipRanges?.cidrs?.map((c) => c.toLowerCase()),
      ),
      locations: filter(a.locations?.operator, a.locations?.countries),
      isps: filter(
        a.isps?.operator,
        a.isps?.names?.map((n) => n.trim()),
      ),
      userGroups: filter(
        a.userGroups?.operator,
        a.userGroups?.groups?.map((g) => g.trim()),
      ),
      apps: sortedOrUndefined(a.apps?.map(appId)),
      activityTypes: sortedOrUndefined(a.activityTypes),
    }),
    files: f
      ? dropUndefined({
          sensitivityLabels: filter(
            f.sensitivityLabels?.operator,
            f.sensitivityLabels?.labels?.map((l) => l.trim()),
          ),
          extensions: filter(
            f.extensions?.operator,
            f.extensions?.extensions?.map((e) => e.toLowerCase()),
          ),
          nameContains: sortedOrUndefined(f.nameContains?.map((n) => n.trim())),
        })
      : undefined,
    contentInspection: inspection(def.contentInspection),
    action: action(def.action ?? { kind: "test" }),
    alerts: def.alerts?.enabled
      ? dropUndefined({
          enabled: true,
          dailyLimit: def.alerts.dailyLimit ?? 5,
          emailRecipients: sortedOrUndefined(def.alerts.emailRecipients?.map((r) => r.toLowerCase())),
        })
      : { enabled: false },
  };
  return dropUndefined(canonical);
}

/** Canonical forms of a tenant's session policies, ordered by logical name. */
export function canonicalSessionPolicies(defs: readonly SessionPolicyDefinition[]): CanonicalSessionPolicy[] {
  return defs.map(canonicalSessionPolicy).sort((x, y) => x.name.localeCompare(y.name));
}

function inspection(c: ContentInspection | undefined): ContentInspection | undefined {
  if (!c) return undefined;
  switch (c.method) {
    case "dataClassificationService":
      return {
        method: c.method,
        sensitiveInformationTypes: sorted(c.sensitiveInformationTypes.map((t) => t.trim())),
        uninspectableFiles: c.uninspectableFiles ?? "allow",
      };
    case "customExpression":
      return { method: c.method, expression: c.expression.trim(), uninspectableFiles: c.uninspectableFiles ?? "allow" };
    case "malwareDetection":
      return { method: c.method };
  }
}

function action(a: SessionPolicyAction): SessionPolicyAction {
  switch (a.kind) {
    case "test":
      return { kind: "test" };
    case "block":
      return dropUndefined({ kind: "block", customBlockMessage: a.customBlockMessage?.trim() });
    case "protect":
      return dropUndefined({
        kind: "protect",
        sensitivityLabel: a.sensitivityLabel.trim(),
        blockUnprotectableFiles: a.blockUnprotectableFiles ?? true,
        customBlockMessage: a.customBlockMessage?.trim(),
      });
  }
}

function filter(operator: FilterOperator | undefined, values: readonly string[] | undefined): CanonicalFilter | undefined {
  return operator && values ? { operator, values: sorted(values) } : undefined;
}

function appId(app: string): string {
  const r = resolveApplication(app);
  if (!r.ok) throw new Error(`unvalidated app "${app}" reached the session-policy canonicaliser`);
  return r.id;
}

function sorted(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function sortedOrUndefined(values: readonly string[] | undefined): string[] | undefined {
  return values && values.length > 0 ? sorted(values) : undefined;
}

/** Removes keys whose value is undefined (one level), so equal meanings serialise to equal JSON. */
function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

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

/**
 * The stable JSON form of a `DefenderIntegrations` declaration, as plans record it: platforms de-duplicated and in
 * the fixed order of DEFENDER_COMPLIANCE_PLATFORMS, undeclared settings left out.
 */
export interface CanonicalDefenderIntegrations {
  readonly defenderForIdentity?: { readonly inDefenderForCloudApps: true };
  readonly defenderForEndpoint?:
    | {
        readonly intuneConnection: true;
        readonly compliancePlatforms: readonly DefenderCompliancePlatform[];
        readonly maximumMachineRiskScore: MachineRiskScore;
        readonly partnerUnresponsiveAfterDays?: number;
      }
    | { readonly intuneConnection: false };
}

/** The canonical form of a validated integrations declaration. */
export function canonicalDefenderIntegrations(def: DefenderIntegrationsDefinition): CanonicalDefenderIntegrations {
  const endpoint = def.defenderForEndpoint;
  return {
    ...(def.defenderForIdentity ? { defenderForIdentity: { inDefenderForCloudApps: true as const } } : {}),
    ...(endpoint
      ? {
          defenderForEndpoint: endpoint.intuneConnection
            ? {
                intuneConnection: true as const,
                compliancePlatforms: DEFENDER_COMPLIANCE_PLATFORMS.filter((p) => endpoint.compliancePlatforms.includes(p)),
                maximumMachineRiskScore: endpoint.maximumMachineRiskScore,
                ...(endpoint.partnerUnresponsiveAfterDays !== undefined ? { partnerUnresponsiveAfterDays: endpoint.partnerUnresponsiveAfterDays } : {}),
              }
            : { intuneConnection: false as const },
        }
      : {}),
  };
}
