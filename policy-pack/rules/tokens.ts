/**
 * The type tokens the rules match (never URN patterns). The pack is installed on its own, next to programs that
 * may not depend on m365-baseline, so it spells the library's tokens out; tests/policy-pack/rules.test.ts checks
 * they equal lib/managed/tokens.ts.
 */
export const CA_POLICY_TYPE = "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy";
export const AZUREAD_USER_TYPE = "azuread:index/user:User";
export const MANAGED_TOKENS = {
  agreement: "pulumi-nodejs:dynamic/m365-baseline:TermsOfUseAgreement",
  roomAccount: "pulumi-nodejs:dynamic/m365-baseline:RoomAccount",
} as const;
