import { expect } from "chai";
import * as path from "node:path";
import { parse } from "yaml";
import { runCli } from "../../cli/main";
import { discoverTenant } from "../../lib/discover/discover";
import { createGraphClient } from "../../lib/graph";
import { recordPlan } from "../../lib/plan/record";
import { captureIo } from "../cli/temp-project";
import { localConnection, TEST_TENANT_ID } from "../support/connection";
import { DiscoverTenant, registerDiscoverRoutes } from "../support/graph-routes/discover";
import { GraphServer, startGraphServer } from "../support/graph-server";

const ROOT = path.resolve(__dirname, "..", "..");
const SYNC_ROLE = "d29b2b05-8046-44ba-8758-1e26182fcf32";
const SYNC_USER = {
  id: "0bf1d06d-384d-46b7-bdda-c4970ade530e",
  displayName: "On-Premises Directory Synchronization Service Account",
  userPrincipalName: "Sync_CONTOSO-DC01_5f2a9c1b7e4d@contoso.onmicrosoft.com",
};
const OLD_SYNC_USER = {
  id: "5e7a1c3d-0000-4000-8000-000000000002",
  displayName: "On-Premises Directory Synchronization Service Account",
  userPrincipalName: "aadsync@contoso.onmicrosoft.com",
};
const SYNC_SP = { "@odata.type": "#microsoft.graph.servicePrincipal", id: "7c1e0000-0000-4000-8000-000000000003", displayName: "ConnectSyncProvisioning_DC01" };

function contosoTenant(): DiscoverTenant {
  return {
    organization: {
      id: TEST_TENANT_ID,
      displayName: "Contoso Ltd",
      verifiedDomains: [
        { name: "contoso.com", isInitial: false },
        { name: "contoso.onmicrosoft.com", isInitial: true },
      ],
    },
    users: [SYNC_USER, OLD_SYNC_USER, { id: "9a9a0000-0000-4000-8000-000000000004", displayName: "Adele Vance", userPrincipalName: "adele@contoso.com" }],
    roleHolders: { [SYNC_ROLE]: [{ "@odata.type": "#microsoft.graph.user", ...SYNC_USER }, SYNC_SP] },
    // Five policies with a page size of 2: three pages.
    policies: [
      "CA004-Global-AllApps-RequireMFA",
      "Portal policy A",
      "Portal policy B",
      "Portal policy C",
      "CA002-Global-AllApps-BlockLegacyAuthentication",
    ].map((displayName, i) => ({ id: `pol-${i}`, displayName, state: "enabled" })),
    namedLocations: [{ "@odata.type": "#microsoft.graph.ipNamedLocation", id: "loc-1", displayName: "Contoso offices" }],
    agreements: [{ id: "agr-1", displayName: "Contoso terms of use" }],
  };
}

describe("discover against the local Graph server", () => {
  let server: GraphServer;
  let local: ReturnType<typeof localConnection>;
  beforeEach(async () => {
    server = await startGraphServer();
    registerDiscoverRoutes(server, contosoTenant());
    local = localConnection(server);
  });
  afterEach(async () => {
    local.restore();
    await server.close();
  });

  it("finds the tenant, sync accounts by role and by name, and every page of existing objects", async () => {
    const d = await discoverTenant(createGraphClient(local.connection));
    expect(d.tenantId).to.equal(TEST_TENANT_ID);
    expect(d.primaryDomain).to.equal("contoso.onmicrosoft.com");
    expect(d.syncAccounts.map((a) => a.objectId)).to.have.members([SYNC_USER.id, OLD_SYNC_USER.id]);
    const sync = d.syncAccounts.find((a) => a.objectId === SYNC_USER.id)!;
    expect(sync.displayName).to.equal(SYNC_USER.userPrincipalName);
    expect(sync.evidence).to.include("holds role Directory Synchronization Accounts").and.include("named Sync_*");
    expect(d.syncServicePrincipals.map((p) => p.objectId)).to.deep.equal([SYNC_SP.id]);
    expect(d.policies).to.have.length(5);
    expect(server.requestsTo("GET", "/v1.0/identity/conditionalAccess/policies")).to.have.length(3);
    expect(server.requestsTo("GET", "/v1.0/users").every((r) => r.query["$filter"] !== undefined)).to.equal(true);
  });

  it("waits out throttling (429 with Retry-After) and still reads everything", async () => {
    server.failNext({ method: "GET", path: "/v1.0/identity/conditionalAccess/policies", status: 429, retryAfter: 0, times: 2 });
    const d = await discoverTenant(createGraphClient(local.connection));
    expect(d.policies).to.have.length(5);
    const calls = server.requestsTo("GET", "/v1.0/identity/conditionalAccess/policies").map((r) => r.status);
    expect(calls).to.deep.equal([429, 429, 200, 200, 200]);
  });

  it("names the step and the missing permission when Graph refuses", async () => {
    server.failNext({ path: "/v1.0/identityGovernance/termsOfUse/agreements", status: 403, message: "Insufficient privileges to complete the operation." });
    const err = await discoverTenant(createGraphClient(local.connection)).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.contain("listing terms-of-use agreements").and.contain("HTTP 403").and.contain("Agreement.Read.All");
  });

  it("prints a settings snippet and import commands that use the stack's logical names; nothing secret", async () => {
    const { io, stdout } = captureIo();
    const argv = [
      "discover",
      "--tenant",
      TEST_TENANT_ID,
      "--credential",
      "environment",
      "--stack",
      "contoso-hybrid",
      "--root",
      ROOT,
      "--graph-url",
      server.url,
      "--authority-host",
      server.url,
    ];
    expect(await runCli(argv, io)).to.equal(0);
    const out = stdout();
    const settings = parse(out.split("\n# Existing objects")[0]).config["m365-baseline:tenant"];
    expect(settings.tenantId).to.equal(TEST_TENANT_ID);
    expect(settings.directorySync.accounts.map((a: { objectId: string }) => a.objectId)).to.have.members([SYNC_USER.id, OLD_SYNC_USER.id]);
    expect(settings.breakGlass.users[0].objectId).to.match(/^<fill in: /);

    const contoso = await recordPlan({ root: ROOT, stack: "contoso-hybrid" });
    const declared = contoso.resources.find((r) => r.name === "CA004-Global-AllApps-RequireMFA" && r.type.startsWith("azuread:"))!;
    expect(out).to.contain(
      `pulumi import --stack contoso-hybrid azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy CA004-Global-AllApps-RequireMFA pol-0 --parent 'parent=${declared.parent}'`,
    );
    expect(out).to.match(/pulumi import .* Portal-policy-A pol-1 .*# not declared by this stack/);
    expect(out).to.contain('existingAgreementId: "agr-1"');
    expect(out).not.to.contain("local-test-secret-not-real").and.not.to.contain("local-token-");
  });
});
