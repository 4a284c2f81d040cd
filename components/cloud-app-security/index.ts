export * from "./session-policy";
export { canonicalSessionPolicy, canonicalSessionPolicies, CanonicalSessionPolicy } from "./canonical";
export { validateSessionPolicy, validateSessionControl, SessionControlDeclaration } from "./validate";
export { renderSessionPolicyRunbook, renderRunbook, fingerprint, SESSION_POLICY_TYPE } from "./runbook";
export { IpRangeDefinition, IP_CATEGORY_IDS, subnetRule, validateIpRanges } from "./ip-range";
export { ipRangeProvider, IpRangeInputs, IP_RANGE_PROVIDER_VERSION, DEFENDER_FOR_CLOUD_APPS_APP_ID } from "./ip-range-provider";
export { DefenderIpRange } from "./ip-range-resource";
export { DefenderSessionPolicy, DefenderSessionPolicyArgs } from "./session-policy-component";
export { CloudAppSecuritySession, CloudAppSecuritySessionArgs } from "./session";
