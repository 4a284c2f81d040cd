// The library's public face (package.json `main`). Each area is also its own entry point
// (`m365-baseline/conditional-access`, `/terms-of-use`, `/cloud-app-security`, `/rooms`, `/mail-protection`, `/whatif`,
// `/plan`).
// The Pulumi program of this repository's example stacks is program.ts, not this file.
export * as conditionalAccess from "./components/conditional-access";
export * as termsOfUse from "./components/terms-of-use";
export * as cloudAppSecurity from "./components/cloud-app-security";
export * as rooms from "./components/rooms";
export * as mailProtection from "./components/mail-protection";
export * as whatif from "./lib/whatif";
export * as plan from "./lib/plan";
export { ConditionalAccessPolicy, ConditionalAccessPolicySet, PolicyDefinition } from "./components/conditional-access";
export { TermsOfUse } from "./components/terms-of-use";
export { CloudAppSecuritySession, DefenderIntegrations, DefenderIpRange, DefenderSessionPolicy } from "./components/cloud-app-security";
export { RoomMailbox, RoomList, RoomSet, declareRooms } from "./components/rooms";
export { MailProtection, MailProtectionArgs } from "./components/mail-protection";
export { parseTenantSettings, tenantSettingsSchema, TenantSettings, TenantSettingsInput, SettingsSource } from "./lib/tenant-settings";
