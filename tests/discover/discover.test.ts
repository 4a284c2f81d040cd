import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { runCli } from "../../cli/main";
import { discoverTenant } from "../../lib/discover/discover";
import { createGraphClient } from "../../lib/graph";
import { TOKENS } from "../../lib/managed/tokens";
import { renderPlanMarkdown } from "../../lib/plan/markdown";
import { readStackConfig, recordPlan } from "../../lib/plan/record";
import { diffPlans } from "../../lib/plan/diff";
import { defaultDescribers } from "../../lib/plan/registry";
import { readPlanFile } from "../../lib/plan/schema";
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

// Contoso's break-glass accounts and group, as its stack names them (Pulumi.contoso-hybrid.yaml).
const BREAK_GLASS = [
  { id: "f5d1338a-d90b-4b58-b7d2-fc8eb8b1350b", displayName: "Break glass 01", userPrincipalName: "breakglass01@contoso.onmicrosoft.com" },
  { id: "6feb4686-f39f-4090-a88c-184077d0ff40", displayName: "Break glass 02", userPrincipalName: "breakglass02@contoso.onmicrosoft.com" },
];
const BREAK_GLASS_GROUP = { id: "b86b60e2-a6b9-48dd-921d-327cb3e35306", displayName: "SG-EmergencyAccess" };
const ADELE = { id: "9a9a0000-0000-4000-8000-000000000004", displayName: "Adele Vance", userPrincipalName: "adele@contoso.com" };
const policyId = (i: number): string => `0c0a0000-0000-4000-8000-00000000000${i}`;

function contosoTenant(): DiscoverTenant {
  // Policies as Graph returns them. Every one excludes the break-glass accounts and group (and the sync account).
  const graphPolicy = (displayName: string, i: number, shape: { state?: string; controls?: string[]; clientAppTypes?: string[]; extra?: object } = {}) => ({
    id: policyId(i),
    displayName,
    state: shape.state ?? "enabledForReportingButNotEnforced",
    conditions: {
      users: {
        includeUsers: ["All"],
        excludeUsers: [...BREAK_GLASS.map((u) => u.id), SYNC_USER.id, ...(i === 1 ? [ADELE.id] : [])],
        includeGroups: [],
        excludeGroups: [BREAK_GLASS_GROUP.id],
        includeRoles: [],
        excludeRoles: [],
      },
      applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [] },
      clientAppTypes: shape.clientAppTypes ?? ["all"],
      platforms: null,
      locations: null,
      signInRiskLevels: [],
      userRiskLevels: [],
      ...shape.extra,
    },
    grantControls: { operator: "OR", builtInControls: shape.controls ?? ["mfa"], customAuthenticationFactors: [], termsOfUse: [] },
    sessionControls: null,
  });
  return {
    organization: {
      id: TEST_TENANT_ID,
      displayName: "Contoso Ltd",
      verifiedDomains: [
        { name: "contoso.com", isInitial: false },
        { name: "contoso.onmicrosoft.com", isInitial: true },
      ],
    },
    users: [SYNC_USER, OLD_SYNC_USER, ADELE, ...BREAK_GLASS],
    groups: [BREAK_GLASS_GROUP],
    roleHolders: { [SYNC_ROLE]: [{ "@odata.type": "#microsoft.graph.user", ...SYNC_USER }, SYNC_SP] },
    // Five policies with a page size of 2: three pages.
    policies: [
      "CA004-Global-AllApps-RequireMFA",
      "Portal policy A",
      "Portal policy B",
      "Portal policy C",
      "CA002-Global-AllApps-BlockLegacyAuthentication",
    ].map((displayName, i) =>
      i === 4
        ? graphPolicy(displayName, i, { state: "enabled", controls: ["block"], clientAppTypes: ["exchangeActiveSync", "other"] })
        : i === 3
          ? graphPolicy(displayName, i, { controls: ["block"], extra: { authenticationFlows: { transferMethods: "deviceCodeFlow" } } })
          : graphPolicy(displayName, i, { state: i === 0 ? "enabled" : undefined }),
    ),
    namedLocations: [
      {
        "@odata.type": "#microsoft.graph.ipNamedLocation",
        id: "10c00000-0000-4000-8000-000000000001",
        displayName: "Contoso offices",
        isTrusted: true,
        ipRanges: [
          { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "203.0.113.0/24" },
          { "@odata.type": "#microsoft.graph.iPv4CidrRange", cidrAddress: "198.51.100.16/28" },
        ],
      },
    ],
    agreements: [{ id: "a9000000-0000-4000-8000-000000000001", displayName: "Contoso acceptable use" }],
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

  it("proposes as break-glass only the accounts every policy excludes, named as the directory names them", async () => {
    const d = await discoverTenant(createGraphClient(local.connection));
    expect(d.breakGlassCandidates.users.map((u) => u.displayName)).to.deep.equal([
      "breakglass01@contoso.onmicrosoft.com",
      "breakglass02@contoso.onmicrosoft.com",
    ]);
    expect(d.breakGlassCandidates.groups.map((g) => g.displayName)).to.deep.equal(["SG-EmergencyAccess"]);
    expect(d.breakGlassCandidates.users[0].evidence).to.deep.equal(["excluded from all 5 existing conditional-access policies"]);
  });

  it("writes settings a contoso-shaped tenant plans with, no edits: sync and break-glass accounts, and every declared object adopted by ID", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "discover-"));
    const file = path.join(dir, "Pulumi.contoso-hybrid.yaml");
    const { io, stdout, stderr } = captureIo();
    const argv = ["discover", "--tenant", TEST_TENANT_ID, "--credential", "environment", "--stack", "contoso-hybrid", "--root", ROOT, "--config", file];
    expect(await runCli([...argv, "--graph-url", server.url, "--authority-host", server.url], io)).to.equal(0);
    expect(stderr(), "the stack planned with the discovered settings, so objects could be matched").to.equal("");
    const config = parse(fs.readFileSync(file, "utf8")).config;
    const settings = config["m365-baseline:tenant"];
    expect(settings.tenantId).to.equal(TEST_TENANT_ID);
    expect(settings.directorySync.accounts.map((a: { objectId: string }) => a.objectId)).to.have.members([SYNC_USER.id, OLD_SYNC_USER.id]);
    expect(settings.breakGlass).to.deep.equal({
      users: BREAK_GLASS.map((u) => ({ objectId: u.id, displayName: u.userPrincipalName })),
      groups: [{ objectId: BREAK_GLASS_GROUP.id, displayName: BREAK_GLASS_GROUP.displayName }],
    });
    // The example stack declares CA002 and CA004 (the baseline), the named location and the agreement by these names.
    expect(settings.adopt).to.deep.equal({
      conditionalAccessPolicies: { "CA002-Global-AllApps-BlockLegacyAuthentication": policyId(4), "CA004-Global-AllApps-RequireMFA": policyId(0) },
      namedLocations: { "contoso-offices": "10c00000-0000-4000-8000-000000000001" },
      termsOfUse: { "contoso-terms-of-use": "a9000000-0000-4000-8000-000000000001" },
    });
    const text = fs.readFileSync(file, "utf8");
    expect(text).to.contain(`# Exists, not declared by this stack (left alone): conditional-access policy "Portal policy A" (${policyId(1)})`);
    expect(stdout()).to.not.contain("pulumi import");

    // It plans as written, and the plan says what the first `up` takes over.
    const plan = await recordPlan({ root: ROOT, stack: "contoso-hybrid", config });
    const adopted = Object.fromEntries(plan.resources.filter((r) => r.adopts).map((r) => [r.name, r.adopts]));
    expect(adopted).to.deep.equal({
      "CA002-Global-AllApps-BlockLegacyAuthentication": policyId(4),
      "CA004-Global-AllApps-RequireMFA": policyId(0),
      "contoso-offices": "10c00000-0000-4000-8000-000000000001",
    });
    const agreement = plan.resources.find((r) => r.name === "contoso-terms-of-use" && r.type === TOKENS.agreement)!;
    expect(agreement.inputs.adoptAgreementId).to.equal("a9000000-0000-4000-8000-000000000001");
    expect(renderPlanMarkdown(plan)).to.contain(`**adopts the existing object:** ${policyId(0)}`);
    expect(text + stdout())
      .not.to.contain("local-test-secret-not-real")
      .and.not.to.contain("local-token-");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("--current-plan: the tenant's policies today, planned with the stack's names, so `diff` shows what the stack changes", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "discover-"));
    const current = path.join(dir, "current.json");
    const { io, stdout } = captureIo();
    const argv = ["discover", "--tenant", TEST_TENANT_ID, "--credential", "environment", "--stack", "contoso-hybrid", "--root", ROOT];
    expect(await runCli([...argv, "--current-plan", current, "--graph-url", server.url, "--authority-host", server.url], io)).to.equal(0);
    const config = parse(stdout().split("\n# Existing objects")[0]).config;
    const head = await recordPlan({ root: ROOT, stack: "contoso-hybrid", config });
    const d = diffPlans(readPlanFile(current), head, defaultDescribers());
    // Today: CA004 enforced, CA002 as the baseline has it, three portal policies. The stack: CA004 report-only (the
    // baseline default), no portal policies, and the rest of the baseline added. The named location is unchanged.
    expect(d.changed.map((c) => [c.name, c.fields.map((f) => f.text)])).to.deep.equal([["CA004-Global-AllApps-RequireMFA", ["state: enabled → report-only"]]]);
    expect(d.removed.map((c) => c.name).sort()).to.deep.equal(["Portal-policy-A", "Portal-policy-B", "Portal-policy-C"]);
    expect(d.added.map((c) => c.name)).to.include.members(["CA001-Global-AllApps-RequireTermsOfUse", "CA003-Admins-AllApps-RequireMFA"]);
    expect(d.added.map((c) => c.name)).to.not.include("contoso-offices");
    // What the declaration cannot carry is said, not dropped: Portal policy C applies to the device-code flow only.
    expect(stdout()).to.contain("Portal-policy-C: condition authenticationFlows is not expressible in a PolicyDefinition yet");
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("two existing policies with a declared display name: neither is adopted, and the file says which IDs to choose from", async () => {
    await server.close();
    server = await startGraphServer();
    const tenant = contosoTenant();
    tenant.policies = [...tenant.policies, { ...tenant.policies[0], id: "0c0a0000-0000-4000-8000-0000000000f0" }];
    registerDiscoverRoutes(server, tenant);
    local.restore();
    local = localConnection(server);
    const { io, stdout } = captureIo();
    const argv = ["discover", "--tenant", TEST_TENANT_ID, "--credential", "environment", "--stack", "contoso-hybrid", "--root", ROOT];
    expect(await runCli([...argv, "--graph-url", server.url, "--authority-host", server.url], io)).to.equal(0);
    const out = stdout();
    const settings = parse(out.split("\n# Existing objects")[0]).config["m365-baseline:tenant"];
    expect(settings.adopt.conditionalAccessPolicies).to.not.have.property("CA004-Global-AllApps-RequireMFA");
    expect(settings.adopt.conditionalAccessPolicies).to.have.property("CA002-Global-AllApps-BlockLegacyAuthentication");
    expect(out).to.contain(
      `# NOT adopted, several exist with its display name: conditional-access policy CA004-Global-AllApps-RequireMFA could be ${policyId(0)} or 0c0a0000-0000-4000-8000-0000000000f0`,
    );
  });

  it("a tenant whose policies exclude nobody in common: break-glass stays a placeholder that plan refuses", async () => {
    server.close();
    server = await startGraphServer();
    const tenant = contosoTenant();
    tenant.policies = tenant.policies.map((p, i) => ({ ...p, conditions: { users: { excludeUsers: i === 0 ? [BREAK_GLASS[0].id] : [], excludeGroups: [] } } }));
    registerDiscoverRoutes(server, tenant);
    local.restore();
    local = localConnection(server);
    const { io, stdout } = captureIo();
    const argv = ["discover", "--tenant", TEST_TENANT_ID, "--credential", "environment", "--graph-url", server.url, "--authority-host", server.url];
    expect(await runCli(argv, io)).to.equal(0);
    const settings = parse(stdout().split("\n# Existing objects")[0]).config["m365-baseline:tenant"];
    expect(settings.breakGlass.users[0].objectId).to.match(/^<fill in: /);
  });

  it("an adopt entry naming nothing the stack declares is refused, naming the closest declared name", async () => {
    const config = readStackConfig(ROOT, "contoso-hybrid");
    const tenant = { ...(config["m365-baseline:tenant"] as object), adopt: { conditionalAccessPolicies: { "CA004-Global-AllApps-RequireMfa": policyId(0) } } };
    const refused = await recordPlan({ root: ROOT, stack: "contoso-hybrid", config: { ...config, "m365-baseline:tenant": tenant } }).then(
      () => "",
      (err: Error) => err.message,
    );
    expect(refused).to.contain("m365-baseline:tenant.adopt › conditionalAccessPolicies.CA004-Global-AllApps-RequireMfa: names no policy this stack declares");
    expect(refused).to.contain("did you mean CA004-Global-AllApps-RequireMFA?");
  });
});
