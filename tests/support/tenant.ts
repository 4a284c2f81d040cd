import { parseTenantSettings, TenantSettings, TenantSettingsInput } from "../../lib/tenant-settings";

/** Principals of the test tenant, named so assertions read like the rule they check. */
export const SYNC_ACCOUNT = { objectId: "aaaaaaaa-0000-4000-8000-000000000001", displayName: "Sync_DC01_0123456789ab" };
export const SYNC_SERVICE_PRINCIPAL = { objectId: "aaaaaaaa-0000-4000-8000-000000000009", displayName: "ConnectSyncProvisioning_DC01" };
export const BREAK_GLASS_USER = { objectId: "bbbbbbbb-0000-4000-8000-000000000001", displayName: "breakglass01@test.onmicrosoft.com" };
export const BREAK_GLASS_GROUP = { objectId: "bbbbbbbb-0000-4000-8000-0000000000f0", displayName: "SG-BreakGlass" };
export const DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE = "d29b2b05-8046-44ba-8758-1e26182fcf32";
export const ON_PREMISES_DIRECTORY_SYNC_ACCOUNT_ROLE = "a92aed5d-d78a-4d16-b381-09adb37eb3b0";

export function testTenantInput(overrides: Partial<TenantSettingsInput> = {}): TenantSettingsInput {
  return {
    displayName: "Test Tenant",
    tenantId: "cccccccc-0000-4000-8000-000000000001",
    directorySync: { accounts: [SYNC_ACCOUNT], servicePrincipals: [SYNC_SERVICE_PRINCIPAL] },
    breakGlass: { users: [BREAK_GLASS_USER], groups: [BREAK_GLASS_GROUP] },
    // Terms of use are delegated-only: an administrator signs in for them (lib/graph/sign-in.ts).
    credentials: { termsOfUse: "deviceCode" },
    ...overrides,
  };
}

export function testTenant(overrides: Partial<TenantSettingsInput> = {}): TenantSettings {
  return parseTenantSettings(testTenantInput(overrides), { stack: "test-tenant", file: "Pulumi.test-tenant.yaml", key: "m365-baseline:tenant" });
}
