import { expect } from "chai";
import { definitionFromGraph, logicalNameOf } from "../../components/conditional-access";
import type { TenantSettings } from "../../lib/tenant-settings";

const BREAK_GLASS = "f5d1338a-d90b-4b58-b7d2-fc8eb8b1350b";
const SYNC = "0bf1d06d-384d-46b7-bdda-c4970ade530e";
const SYNC_ROLE = "d29b2b05-8046-44ba-8758-1e26182fcf32";
const tenant: TenantSettings = {
  stack: "t",
  displayName: "T",
  tenantId: "e009f16d-210b-47fd-82d7-ca168b105268",
  directorySync: { accounts: [{ objectId: SYNC, displayName: "sync" }], servicePrincipals: [] },
  breakGlass: { users: [{ objectId: BREAK_GLASS, displayName: "bg" }], groups: [] },
  graph: { cloud: "global", credential: "azureCli" },
};

/** Graph v1.0 conditionalAccessPolicy (https://learn.microsoft.com/graph/api/resources/conditionalaccesspolicy) → PolicyDefinition. */
describe("conditional access: a tenant's existing policy as a definition", () => {
  it("carries every condition, grant and session control the definition has, without the built-in exclusions", () => {
    const { definition, notes } = definitionFromGraph(
      {
        id: "0c0a0000-0000-4000-8000-000000000001",
        displayName: "Admins: MFA from outside the office",
        state: "enabledForReportingButNotEnforced",
        conditions: {
          users: { includeRoles: ["62e90394-69f5-4237-9190-012177145e10"], excludeUsers: [BREAK_GLASS, SYNC], excludeRoles: [SYNC_ROLE] },
          applications: { includeApplications: ["All"] },
          clientAppTypes: ["browser", "mobileAppsAndDesktopClients"],
          platforms: { includePlatforms: ["all"], excludePlatforms: ["iOS"] },
          locations: { includeLocations: ["All"], excludeLocations: ["AllTrusted"] },
          signInRiskLevels: ["high"],
        },
        grantControls: { operator: "AND", builtInControls: ["mfa", "compliantDevice"] },
        sessionControls: {
          signInFrequency: { isEnabled: true, value: 4, type: "hours", frequencyInterval: "timeBased" },
          persistentBrowser: { isEnabled: true, mode: "never" },
        },
      },
      tenant,
    );
    expect(definition).to.deep.equal({
      name: "Admins-MFA-from-outside-the-office",
      displayName: "Admins: MFA from outside the office",
      state: "reportOnly",
      users: { includeRoles: ["62e90394-69f5-4237-9190-012177145e10"] },
      applications: { include: ["All"] },
      clientAppTypes: ["browser", "mobileAppsAndDesktopClients"],
      platforms: { include: ["all"], exclude: ["iOS"] },
      locations: { include: ["All"], exclude: ["AllTrusted"] },
      signInRiskLevels: ["high"],
      grant: { operator: "AND", controls: ["mfa", "compliantDevice"] },
      session: { signInFrequency: { value: 4, unit: "hours" }, persistentBrowser: "never" },
    });
    expect(notes).to.deep.equal([]);
  });

  it("says when the policy lacks the tenant's protections or uses conditions the definition cannot carry", () => {
    const { notes } = definitionFromGraph(
      {
        displayName: "Block device code",
        state: "enabled",
        conditions: {
          users: { includeUsers: ["All"] },
          applications: { includeApplications: ["All"] },
          authenticationFlows: { transferMethods: "deviceCodeFlow" },
        } as never,
        grantControls: { operator: "OR", builtInControls: ["block"] },
      },
      tenant,
    );
    expect(notes).to.deep.equal([
      "does not exclude the break-glass accounts today; the declaration excludes them",
      "does not exclude the directory-sync accounts today; the declaration excludes them",
      "condition authenticationFlows is not expressible in a PolicyDefinition yet: the declaration leaves it out",
    ]);
  });

  it("makes a usable logical name from any portal display name", () => {
    expect(logicalNameOf("Block legacy auth!")).to.equal("Block-legacy-auth");
    expect(logicalNameOf("???")).to.equal("imported");
  });
});
