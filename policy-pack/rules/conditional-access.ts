import type { PolicyConfigSchema, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { CA_POLICY_TYPE } from "./tokens";

/** Conditional access: no policy may reach the directory-sync or break-glass accounts. */

/** Role template IDs Entra Connect / Cloud Sync accounts hold (Microsoft Entra built-in roles reference). */
export const DIRECTORY_SYNC_ROLE_IDS = [
  "d29b2b05-8046-44ba-8758-1e26182fcf32", // Directory Synchronization Accounts
  "a92aed5d-d78a-4d16-b381-09adb37eb3b0", // On Premises Directory Sync Account
];

/** Per-tenant config, given with `--policy-pack-config`; object IDs are the tenant's own. */
export interface ExclusionConfig {
  /** Role template IDs that must be excluded from every policy. @default DIRECTORY_SYNC_ROLE_IDS */
  directorySyncRoleIds?: string[];
  /** `Sync_*` / "On-Premises Directory Synchronization Service Account" user object IDs. @default [] */
  directorySyncUserIds?: string[];
  /** Entra Connect service principals, excluded from workload-identity policies. @default [] */
  directorySyncServicePrincipalIds?: string[];
  /** Break-glass user object IDs: each must be excluded, unless a break-glass group is. @default [] */
  breakGlassUserIds?: string[];
  /** Break-glass group object IDs: excluding any one of them protects the break-glass accounts. @default [] */
  breakGlassGroupIds?: string[];
}

const guidList = { type: "array" as const, items: { type: "string" as const, pattern: "^[0-9a-fA-F-]{36}$" } };
const exclusionConfigSchema: PolicyConfigSchema = {
  properties: {
    directorySyncRoleIds: { ...guidList, default: DIRECTORY_SYNC_ROLE_IDS },
    directorySyncUserIds: { ...guidList, default: [] },
    directorySyncServicePrincipalIds: { ...guidList, default: [] },
    breakGlassUserIds: { ...guidList, default: [] },
    breakGlassGroupIds: { ...guidList, default: [] },
  },
};

interface CaUsers {
  includedUsers?: string[];
  excludedUsers?: string[];
  excludedGroups?: string[];
  excludedRoles?: string[];
}

interface CaProps {
  displayName?: string;
  state?: string;
  conditions?: {
    users?: CaUsers;
    clientApplications?: { includedServicePrincipals?: string[]; excludedServicePrincipals?: string[] };
  };
  grantControls?: { builtInControls?: string[]; termsOfUses?: string[]; authenticationStrengthPolicyId?: string };
}

/** What a policy fails to exclude, in words; empty when it protects everyone the config names. */
export function missingExclusions(props: CaProps, config: ExclusionConfig): string[] {
  const lower = (values: string[] | undefined): Set<string> => new Set((values ?? []).map((v) => v.toLowerCase()));
  const users = props.conditions?.users ?? {};
  const excludedUsers = lower(users.excludedUsers);
  const excludedGroups = lower(users.excludedGroups);
  const excludedRoles = lower(users.excludedRoles);
  const missing: string[] = [];

  const sp = props.conditions?.clientApplications;
  if (sp?.includedServicePrincipals?.length) {
    // Workload-identity policies apply to service principals only; users cannot be caught by them.
    const excludedSps = lower(sp.excludedServicePrincipals);
    const absent = (config.directorySyncServicePrincipalIds ?? []).filter((id) => !excludedSps.has(id.toLowerCase()));
    if (absent.length) missing.push(`directory-sync service principals ${absent.join(", ")} (excludedServicePrincipals)`);
    return missing;
  }

  const roles = (config.directorySyncRoleIds ?? DIRECTORY_SYNC_ROLE_IDS).filter((id) => !excludedRoles.has(id.toLowerCase()));
  if (roles.length) missing.push(`directory-sync roles ${roles.join(", ")} (excludedRoles)`);
  const syncUsers = (config.directorySyncUserIds ?? []).filter((id) => !excludedUsers.has(id.toLowerCase()));
  if (syncUsers.length) missing.push(`directory-sync accounts ${syncUsers.join(", ")} (excludedUsers)`);
  const groups = config.breakGlassGroupIds ?? [];
  const groupExcluded = groups.some((id) => excludedGroups.has(id.toLowerCase()));
  const breakGlassUsers = (config.breakGlassUserIds ?? []).filter((id) => !excludedUsers.has(id.toLowerCase()));
  if (!groupExcluded && breakGlassUsers.length) missing.push(`break-glass accounts ${breakGlassUsers.join(", ")} (excludedUsers)`);
  if (!groupExcluded && groups.length && !(config.breakGlassUserIds ?? []).length) {
    missing.push(`a break-glass group (one of ${groups.join(", ")}) (excludedGroups)`);
  }
  return missing;
}

function label(args: ResourceValidationArgs): string {
  const name = (args.props as CaProps).displayName;
  return name && name !== args.name ? `"${name}" (${args.name})` : `"${args.name}"`;
}

function exclusionRule(name: string, enforcementLevel: "mandatory" | "advisory", states: (state: string) => boolean, why: string): ResourceValidationPolicy {
  return {
    name,
    description: why,
    enforcementLevel,
    configSchema: exclusionConfigSchema,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (args.type !== CA_POLICY_TYPE) return;
      const props = args.props as CaProps;
      if (!states(props.state ?? "")) return;
      const missing = missingExclusions(props, args.getConfig<ExclusionConfig>());
      if (missing.length) {
        reportViolation(`conditional-access policy ${label(args)} (state ${props.state}) does not exclude ${missing.join("; ")}. ${why}`, args.urn);
      }
    },
  };
}

/** Mandatory: an enforced policy that catches the sync account breaks synchronisation; one that catches break-glass defeats it. */
export const enabledPoliciesExcludeSyncAndBreakGlass = exclusionRule(
  "ca-enabled-excludes-sync-and-break-glass",
  "mandatory",
  (s) => s === "enabled",
  "Enabled policies must exclude the directory-sync roles and accounts and the break-glass accounts or group, or they can lock the tenant out.",
);

/** Advisory: report-only and disabled policies enforce nothing yet, but enabling them as written would lock the tenant out. */
export const otherPoliciesExcludeSyncAndBreakGlass = exclusionRule(
  "ca-report-only-excludes-sync-and-break-glass",
  "advisory",
  (s) => s !== "enabled",
  "Report-only and disabled policies enforce nothing, but enabling one as written would lock the tenant out; add the exclusions before enabling it.",
);

/**
 * Mandatory: an enabled policy that blocks, or demands MFA / terms of use / an authentication strength, from All
 * users must list who it spares. Holds even without per-tenant config, which the exclusion rules need.
 */
export const allUsersPoliciesNameExclusions: ResourceValidationPolicy = {
  name: "ca-all-users-names-exclusions",
  description: "Enabled policies that block or challenge All users must exclude named users or groups (the break-glass accounts).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== CA_POLICY_TYPE) return;
    const props = args.props as CaProps;
    if (props.state !== "enabled" || !(props.conditions?.users?.includedUsers ?? []).includes("All")) return;
    const g = props.grantControls ?? {};
    const challenges = [
      ...(g.builtInControls ?? []).filter((c) => c === "block" || c === "mfa"),
      ...((g.termsOfUses ?? []).length ? ["terms of use"] : []),
      ...(g.authenticationStrengthPolicyId ? ["an authentication strength"] : []),
    ];
    if (!challenges.length) return;
    const users = props.conditions?.users ?? {};
    if ((users.excludedUsers ?? []).length + (users.excludedGroups ?? []).length > 0) return;
    reportViolation(
      `conditional-access policy ${label(args)} is enabled and applies ${challenges.join(", ")} to All users, but excludes no user or group. Exclude the break-glass accounts (excludedUsers) or their group (excludedGroups).`,
      args.urn,
    );
  },
};
