import type { ResourceValidationPolicy } from "@pulumi/policy";
import { allUsersPoliciesNameExclusions, enabledPoliciesExcludeSyncAndBreakGlass, otherPoliciesExcludeSyncAndBreakGlass } from "./conditional-access";
import { roomAccountPasswordsAreSecrets } from "./rooms";
import { termsOfUseProtectedFromDeletion } from "./terms-of-use";

/**
 * CrossGuard rules for any Pulumi program that manages Entra ID conditional access, whether or not it uses the
 * m365-baseline components: one named rule object each, grouped by area, each matching resources by type token.
 * Kept apart from ../index.ts (which calls `new PolicyPack` and so starts a gRPC server) so tests can drive each
 * rule with fake validation arguments.
 */
export * from "./conditional-access";
export * from "./rooms";
export * from "./terms-of-use";
export * from "./tokens";

/** Every rule, by area. */
export const POLICIES_BY_AREA: Readonly<Record<string, readonly ResourceValidationPolicy[]>> = {
  "conditional-access": [enabledPoliciesExcludeSyncAndBreakGlass, otherPoliciesExcludeSyncAndBreakGlass, allUsersPoliciesNameExclusions],
  "terms-of-use": [termsOfUseProtectedFromDeletion],
  rooms: [roomAccountPasswordsAreSecrets],
};

export const POLICIES: ResourceValidationPolicy[] = Object.values(POLICIES_BY_AREA).flat();
