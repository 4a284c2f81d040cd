import type { PolicyConfigSchema, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";

/**
 * CrossGuard rules for any Pulumi program that manages Entra ID conditional access, whether or not it uses the
 * m365-baseline components. Kept apart from index.ts (which calls `new PolicyPack` and so starts a gRPC server)
 * so tests can drive each rule with fake validation arguments. Self-contained on purpose: the pack is installed
 * on its own, next to programs that never depend on m365-baseline.
 */

export const CA_POLICY_TYPE = "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy";
export const AZUREAD_USER_TYPE = "azuread:index/user:User";
/** Before managed objects had their own tokens, every dynamic resource was this (stacks not yet updated still are). */
const LEGACY_DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";
/**
 * The library's managed-object tokens. The pack is installed on its own, so it spells them out;
 * tests/policy-pack/rules.test.ts checks they equal lib/managed/tokens.ts.
 */
export const MANAGED_TOKENS = {
  agreement: "pulumi-nodejs:dynamic/m365-baseline:TermsOfUseAgreement",
  roomAccount: "pulumi-nodejs:dynamic/m365-baseline:RoomAccount",
} as const;
const TERMS_OF_USE_COMPONENT = "m365-baseline:termsofuse:TermsOfUse";

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

/** The agreement is a dynamic resource under the TermsOfUse component: its URN's type chain names the component. */
function isTermsOfUseAgreement(args: ResourceValidationArgs): boolean {
  const typeChain = args.urn.split("::")[2] ?? "";
  return args.type === MANAGED_TOKENS.agreement || (args.type === LEGACY_DYNAMIC_TYPE && typeChain.split("$").includes(TERMS_OF_USE_COMPONENT));
}

/**
 * Mandatory: deleting an agreement deletes every user's acceptance record, which cannot be restored. CrossGuard
 * sees `protect` but not `retainOnDelete`, so an agreement passes when it is protected or when it declares
 * `allowDeletion: false` (the m365-baseline component then sets `retainOnDelete` and its provider refuses deletes).
 */
export const termsOfUseProtectedFromDeletion: ResourceValidationPolicy = {
  name: "terms-of-use-protected-from-deletion",
  description: "Terms-of-use agreements must be protected from deletion: deleting one deletes every acceptance record.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!isTermsOfUseAgreement(args)) return;
    if (args.opts.protect || args.props.allowDeletion === false) return;
    reportViolation(
      `terms-of-use agreement "${args.name}" can be deleted (allowDeletion is ${String(args.props.allowDeletion)} and protect is off); deleting it deletes every acceptance record. Set allowDeletion: false or protect: true.`,
      args.urn,
    );
  },
};

/**
 * Mandatory: room (resource) account passwords must be Pulumi secrets. CrossGuard hands validations plain values
 * (secrets already unwrapped), so what can be checked is that the resource declares `password` a secret output;
 * `azuread.User` does this itself, a hand-written resource or a dynamic provider must say so.
 */
export const roomAccountPasswordsAreSecrets: ResourceValidationPolicy = {
  name: "room-account-passwords-are-secrets",
  description: "Passwords of room and other user accounts must be stored as Pulumi secrets.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const isAccount =
      args.type === AZUREAD_USER_TYPE || args.type === MANAGED_TOKENS.roomAccount || (args.type === LEGACY_DYNAMIC_TYPE && /:rooms:/i.test(args.urn));
    if (!isAccount || args.props.password === undefined) return;
    if ((args.opts.additionalSecretOutputs ?? []).includes("password")) return;
    reportViolation(
      `account "${args.name}" (${args.type}) has a password that is not declared secret; add "password" to additionalSecretOutputs and pass it as pulumi.secret(...), so state and plans never hold it in plain text.`,
      args.urn,
    );
  },
};

export const POLICIES: ResourceValidationPolicy[] = [
  enabledPoliciesExcludeSyncAndBreakGlass,
  otherPoliciesExcludeSyncAndBreakGlass,
  allUsersPoliciesNameExclusions,
  termsOfUseProtectedFromDeletion,
  roomAccountPasswordsAreSecrets,
];
