import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../../cli/main";
import { Finding, runPreflight } from "../../lib/preflight/checks";
import { Plan, readStackConfig, recordPlan } from "../../lib/plan/record";
import { tenantSettingsFromConfig } from "../../lib/stack-config";
import type { TenantSettings } from "../../lib/tenant-settings";
import { captureIo } from "../cli/temp-project";
import { localConnection } from "../support/connection";
import { DirectoryFixture, registerDirectoryRoutes } from "../support/graph-routes/directory";
import { registerExchangeRoutes } from "../support/graph-routes/exchange";
import { MailState, registerMailCmdlets } from "../support/graph-routes/exchange-mail";
import { registerMcasSubnetRoutes } from "../support/graph-routes/mcas-subnets";
import { GraphServer, startGraphServer } from "../support/graph-server";
import { BUILT_IN_ROLES, builtInRoleDefinitions } from "../support/built-in-roles";

const ROOT = path.resolve(__dirname, "..", "..");

// From the example stacks' settings (Pulumi.contoso-hybrid.yaml) and Microsoft's built-in roles reference.
const CONTOSO = "e009f16d-210b-47fd-82d7-ca168b105268";
const SYNC_USER = "0bf1d06d-384d-46b7-bdda-c4970ade530e";
const BREAK_GLASS_1 = "f5d1338a-d90b-4b58-b7d2-fc8eb8b1350b";
const BREAK_GLASS_2 = "6feb4686-f39f-4090-a88c-184077d0ff40";
const BREAK_GLASS_GROUP = "b86b60e2-a6b9-48dd-921d-327cb3e35306";
const ROOM_ACCOUNTS_GROUP = "3c5e7a9b-2d4f-4e6a-9b8c-7d1e2f3a4b5c";
const SYNC_ROLE = "d29b2b05-8046-44ba-8758-1e26182fcf32";
const UNVERIFIED_SYNC_ROLE = "a92aed5d-d78a-4d16-b381-09adb37eb3b0";
const INTUNE_ENROLLMENT_APP = "d4ebce55-015a-49b5-a083-c84d1797ae8c";
const EXCHANGE_ONLINE_APP = "00000002-0000-0ff1-ce00-000000000000";

/** Contoso as it should be: everything the stack names exists, licences to spare. */
function contosoDirectory(): DirectoryFixture {
  return {
    organization: { id: CONTOSO, displayName: "Contoso Ltd" },
    users: [
      {
        id: SYNC_USER,
        displayName: "On-Premises Directory Synchronization Service Account",
        userPrincipalName: "Sync_CONTOSO-DC01_5f2a9c1b7e4d@contoso.onmicrosoft.com",
        accountEnabled: true,
      },
      { id: BREAK_GLASS_1, displayName: "Break glass 01", userPrincipalName: "breakglass01@contoso.onmicrosoft.com", accountEnabled: true },
      { id: BREAK_GLASS_2, displayName: "Break glass 02", userPrincipalName: "breakglass02@contoso.onmicrosoft.com", accountEnabled: true },
    ],
    groups: [
      { id: BREAK_GLASS_GROUP, displayName: "SG-EmergencyAccess" },
      { id: ROOM_ACCOUNTS_GROUP, displayName: "SG-TeamsRoomsAccounts" },
    ],
    servicePrincipals: [
      { id: "5b2e0000-0000-4000-8000-00000000000a", appId: INTUNE_ENROLLMENT_APP, displayName: "Microsoft Intune Enrollment" },
      // First-party: every tenant with Exchange Online has its service principal. CA006 routes its browser sessions.
      { id: "5b2e0000-0000-4000-8000-00000000000b", appId: EXCHANGE_ONLINE_APP, displayName: "Office 365 Exchange Online" },
    ],
    roleDefinitions: [...builtInRoleDefinitions(), { id: UNVERIFIED_SYNC_ROLE, displayName: "On Premises Directory Sync Account", isBuiltIn: true }],
    roleAssignments: [{ id: "ra-1", principalId: SYNC_USER, roleDefinitionId: SYNC_ROLE, directoryScopeId: "/" }],
    subscribedSkus: [
      { skuId: "sku-pro", skuPartNumber: "Microsoft_Teams_Rooms_Pro", consumedUnits: 3, prepaidUnits: { enabled: 10, suspended: 0, warning: 0 } },
      { skuId: "sku-basic", skuPartNumber: "Microsoft_Teams_Rooms_Basic", consumedUnits: 0, prepaidUnits: { enabled: 5, suspended: 0, warning: 0 } },
      { skuId: "sku-pstn", skuPartNumber: "MCOPSTN1", consumedUnits: 0, prepaidUnits: { enabled: 2, suspended: 0, warning: 0 } },
    ],
    namedLocations: [],
    policies: [{ id: "pol-1", displayName: "An existing policy" }],
    agreements: [],
  };
}

/**
 * The stack's own settings, pointed at the local server: the credentials become kinds that sign in there (an app
 * through the environment, an administrator through the device-code flow) and the Defender API URL its stand-in.
 */
function localConfig(stack: string, server: GraphServer, change: (tenant: Record<string, unknown>) => void = () => undefined): Record<string, unknown> {
  const config = readStackConfig(ROOT, stack);
  const tenant = structuredClone(config["m365-baseline:tenant"]) as Record<string, unknown>;
  tenant.graph = { cloud: "global", credential: "environment" };
  tenant.credentials = { termsOfUse: "deviceCode" };
  if (tenant.defenderForCloudApps) tenant.defenderForCloudApps = { apiUrl: `${server.url}/api` };
  change(tenant);
  return { ...config, "m365-baseline:tenant": tenant };
}

async function preflight(
  stack: string,
  server: GraphServer,
  config: Record<string, unknown>,
): Promise<{ findings: readonly Finding[]; plan: Plan; tenant: TenantSettings }> {
  const tenant = tenantSettingsFromConfig(config, stack);
  const plan = await recordPlan({ root: ROOT, stack, config });
  const endpoints = { graphUrl: server.url, authorityHost: server.url, exchangeUrl: server.url, retry: { maxRetries: 1, delaySeconds: 0 } };
  return { ...(await runPreflight({ tenant, plan, endpoints, resolveTxt: publicDns() })), plan, tenant };
}

/**
 * DNS as the public internet answers for Exchange Online's SPF include (its record includes one more name), offline:
 * `extra` adds or overrides names. A name not listed does not exist (a void lookup).
 */
function publicDns(extra: Record<string, string> = {}): (name: string) => Promise<string[][]> {
  const records: Record<string, string> = {
    "spf.protection.outlook.com": "v=spf1 include:spfd.protection.outlook.com -all",
    "spfd.protection.outlook.com": "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 -all",
    ...extra,
  };
  return async (name) => (records[name] ? [[records[name]]] : []);
}

const find = (findings: readonly Finding[], kind: string, id: string): Finding => {
  const found = findings.find((f) => f.expectation.kind === kind && f.expectation.id.toLowerCase() === id.toLowerCase());
  if (!found) throw new Error(`no ${kind} ${id} among ${findings.map((f) => `${f.expectation.kind} ${f.expectation.id}`).join(", ")}`);
  return found;
};

describe("preflight against the local Graph, Exchange and Defender servers", function () {
  this.timeout(20000);
  let server: GraphServer;
  let restore: () => void;
  let mail: MailState;
  beforeEach(async () => {
    server = await startGraphServer();
    // Contoso's Exchange as the stack expects it: contoso.com accepted, both presets turned on once in the portal.
    mail = registerMailCmdlets(registerExchangeRoutes(server));
    mail.acceptedDomains.push({ DomainName: "contoso.com", DomainType: "Authoritative", Default: false });
    mail.acceptedDomains.push({ DomainName: "fabrikam.com", DomainType: "Authoritative", Default: false });
    mail.defenderForOffice365 = true;
    mail.presetsTurnedOnInPortal.add("Standard");
    mail.presetsTurnedOnInPortal.add("Strict");
    registerMcasSubnetRoutes(server);
    ({ restore } = localConnection(server, { tenantId: CONTOSO }));
  });
  afterEach(async () => {
    restore();
    await server.close();
  });

  it("contoso-hybrid, a tenant as its stack says: every check passes and nothing is written", async () => {
    registerDirectoryRoutes(server, contosoDirectory());
    const { findings } = await preflight("contoso-hybrid", server, localConfig("contoso-hybrid", server));
    expect(findings.filter((f) => f.verdict !== "ok").map((f) => `${f.expectation.kind} ${f.expectation.id}: ${f.found} ${f.why ?? ""}`)).to.deep.equal([]);
    expect(find(findings, "user", SYNC_USER).found).to.contain("holds Directory Synchronization Accounts");
    expect(find(findings, "group", BREAK_GLASS_GROUP).found).to.equal("SG-EmergencyAccess");
    expect(find(findings, "role", BUILT_IN_ROLES["Global Administrator"]).found).to.equal("Global Administrator");
    // Two Teams Rooms devices in the stack: Thames (Pro + a calling plan) and Irwell (Basic).
    expect(find(findings, "licence", "Microsoft_Teams_Rooms_Pro").found).to.equal("7 of 10 free, 1 needed");
    expect(find(findings, "licence", "Microsoft_Teams_Rooms_Basic").found).to.equal("5 of 5 free, 1 needed");
    expect(find(findings, "licence", "MCOPSTN1").found).to.equal("2 of 2 free, 1 needed");
    expect(findings.filter((f) => f.expectation.kind === "access").map((f) => f.expectation.expectedName)).to.have.members([
      "conditional access (graph.credential)",
      "terms of use (credentials.termsOfUse)",
      "rooms: Exchange Online (credentials.rooms)",
      `Defender for Cloud Apps API ${new URL(server.url).host} (credentials.defenderForCloudApps)`,
      "mail protection: Exchange Online (credentials.mailProtection)",
    ]);
    // Read-only: besides signing in, the only POSTs are Exchange Get- cmdlets and the Defender range listing.
    const writes = server.requests.filter((r) => r.method !== "GET" && !r.path.includes("/oauth2/"));
    expect(
      writes.map((r) => (r.path.includes("InvokeCommand") ? (r.body as { CmdletInput: { CmdletName: string } }).CmdletInput.CmdletName : r.path)),
    ).to.have.members([
      "Get-Mailbox",
      "/api/v1/subnet/",
      "Get-HostedOutboundSpamFilterPolicy",
      "Get-AcceptedDomain",
      "Get-EOPProtectionPolicyRule",
      "Get-EOPProtectionPolicyRule",
      "Get-ATPProtectionPolicyRule",
      "Get-ATPProtectionPolicyRule",
    ]);
    expect(find(findings, "acceptedDomain", "contoso.com").found).to.equal("accepted (Authoritative)");
    // contoso.com's SPF: its own include and the one Exchange Online's record makes (RFC 7208 §4.6.4 counts both).
    expect(find(findings, "spfRecord", "v=spf1 ip4:203.0.113.25 include:spf.protection.outlook.com -all").found).to.equal("2 DNS lookups of 10");
  });

  it("a tenant with every kind of problem: each is named, with what to do, and blocks or warns as it should", async () => {
    const directory = contosoDirectory();
    directory.organization = { id: "99999999-8888-4777-8666-555555555555", displayName: "Someone else's tenant" };
    directory.users = directory.users.filter((u) => u.id !== BREAK_GLASS_2).map((u) => (u.id === BREAK_GLASS_1 ? { ...u, accountEnabled: false } : u));
    directory.roleAssignments = [];
    directory.groups = directory.groups.filter((g) => g.id !== ROOM_ACCOUNTS_GROUP);
    // contoso.com never added to Microsoft 365, and the Strict preset never turned on in the Defender portal.
    mail.acceptedDomains.splice(
      mail.acceptedDomains.findIndex((d) => d.DomainName === "contoso.com"),
      1,
    );
    mail.presetsTurnedOnInPortal.delete("Strict");
    directory.roleDefinitions = directory.roleDefinitions.filter((r) => r.id !== UNVERIFIED_SYNC_ROLE);
    directory.servicePrincipals = [];
    directory.subscribedSkus = directory.subscribedSkus
      .filter((s) => s.skuPartNumber !== "Microsoft_Teams_Rooms_Basic")
      .map((s) => (s.skuPartNumber === "Microsoft_Teams_Rooms_Pro" ? { ...s, consumedUnits: 10 } : s));
    registerDirectoryRoutes(server, directory);
    server.failNext({ path: /^\/api\/v1\//, status: 403, code: "Forbidden", message: "missing Settings.manage" });
    const config = localConfig("contoso-hybrid", server);
    const plan = await recordPlan({ root: ROOT, stack: "contoso-hybrid", config });
    // Terms of use signed in as the app: the agreements API refuses app-only tokens. (`plan` refuses such settings
    // before anything runs; preflight is also the check for a token that turns out app-only at run time.)
    const tenant: TenantSettings = { ...tenantSettingsFromConfig(config, "contoso-hybrid"), credentials: { termsOfUse: "environment" } };
    const endpoints = { graphUrl: server.url, authorityHost: server.url, exchangeUrl: server.url, retry: { maxRetries: 0, delaySeconds: 0 } };
    // Exchange Online's include as if it had grown to 11 nested lookups: receivers would answer permerror.
    const crowded = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`n${i}.example.net`, "v=spf1 -all"]));
    const resolveTxt = publicDns({
      ...crowded,
      "spf.protection.outlook.com": `v=spf1 ${Object.keys(crowded)
        .map((n) => `include:${n}`)
        .join(" ")} -all`,
    });
    const { findings } = await runPreflight({ tenant, plan, endpoints, resolveTxt });

    const verdicts = Object.fromEntries(
      findings.filter((f) => f.verdict !== "ok").map((f) => [`${f.expectation.kind} ${f.expectation.expectedName ?? f.expectation.id}`, f.verdict]),
    );
    expect(verdicts).to.deep.equal({
      "tenant Contoso Ltd": "blocking",
      "access terms of use (credentials.termsOfUse)": "blocking",
      [`access Defender for Cloud Apps API ${new URL(server.url).host} (credentials.defenderForCloudApps)`]: "blocking",
      "user Sync_CONTOSO-DC01_5f2a9c1b7e4d": "blocking",
      "user breakglass01@contoso.onmicrosoft.com": "warning",
      "user breakglass02@contoso.onmicrosoft.com": "blocking",
      "role On Premises Directory Sync Account": "blocking",
      [`application ${INTUNE_ENROLLMENT_APP}`]: "warning",
      [`application ${EXCHANGE_ONLINE_APP}`]: "warning",
      "licence Microsoft_Teams_Rooms_Basic": "blocking",
      "licence Microsoft_Teams_Rooms_Pro": "warning",
      "group SG-TeamsRoomsAccounts": "blocking",
      "acceptedDomain contoso.com": "blocking",
      "spfRecord SPF for contoso.com": "blocking",
      "presetRule EOP:Strict Preset Security Policy": "blocking",
      "presetRule ATP:Strict Preset Security Policy": "blocking",
    });
    expect(find(findings, "presetRule", "EOP:Strict Preset Security Policy").why).to.contain("turn the preset on once in the Microsoft Defender portal");
    expect(find(findings, "acceptedDomain", "contoso.com").why).to.contain("Exchange refuses DKIM for a domain it does not have");
    expect(find(findings, "tenant", CONTOSO).found).to.equal("Someone else's tenant (99999999-8888-4777-8666-555555555555)");
    expect(find(findings, "user", BREAK_GLASS_2).found).to.equal("no such user");
    expect(find(findings, "user", SYNC_USER).found).to.contain("holds no directory-sync role");
    expect(find(findings, "role", UNVERIFIED_SYNC_ROLE).why).to.contain(`directorySync.roles: ["${SYNC_ROLE}"]`);
    expect(find(findings, "licence", "Microsoft_Teams_Rooms_Pro").found).to.equal("0 of 10 free, 1 needed");
  });

  it("a tenant without the unverified sync role: after `directorySync.roles` drops it, no policy names it and preflight passes", async () => {
    const directory = contosoDirectory();
    directory.roleDefinitions = directory.roleDefinitions.filter((r) => r.id !== UNVERIFIED_SYNC_ROLE);
    registerDirectoryRoutes(server, directory);
    const { findings, plan } = await preflight(
      "contoso-hybrid",
      server,
      localConfig("contoso-hybrid", server, (t) => {
        (t.directorySync as Record<string, unknown>).roles = [SYNC_ROLE];
      }),
    );
    expect(JSON.stringify(plan.resources)).to.not.contain(UNVERIFIED_SYNC_ROLE);
    expect(JSON.stringify(plan.resources)).to.contain(SYNC_ROLE);
    expect(findings.filter((f) => f.verdict !== "ok")).to.deep.equal([]);
  });

  it("`preflight --stack` from the command line: fabrikam-cloud passes (exit 0); with its break-glass account gone, exit 2 and the table says why", async () => {
    const fabrikam = "fe6c9c0d-894f-462a-b6e2-f8771e971a32";
    const breakGlass = "005d2727-e3b6-4f65-916c-903833df96b9";
    const directory: DirectoryFixture = {
      ...contosoDirectory(),
      organization: { id: fabrikam, displayName: "Fabrikam Inc" },
      users: [{ id: breakGlass, displayName: "Emergency admin", userPrincipalName: "emergency-admin@fabrikam.onmicrosoft.com", accountEnabled: true }],
      groups: [],
      roleAssignments: [],
    };
    registerDirectoryRoutes(server, directory);
    process.env.AZURE_TENANT_ID = fabrikam;
    const argv = [
      "preflight",
      "--stack",
      "fabrikam-cloud",
      "--root",
      ROOT,
      "--graph-url",
      server.url,
      "--authority-host",
      server.url,
      "--exchange-url",
      server.url,
      // This test runs offline: SPF includes are not resolved (the library tests resolve them through a fake).
      "--no-dns",
    ];
    const clean = captureIo();
    expect(await runCli(argv, clean.io), clean.stderr()).to.equal(0);
    expect(clean.stdout()).to.match(/checks: 0 blocking, 0 warnings\./);

    directory.users.length = 0;
    const summary = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "preflight-")), "summary.md");
    const broken = captureIo();
    expect(await runCli([...argv, "--markdown", summary], broken.io)).to.equal(2);
    const markdown = fs.readFileSync(summary, "utf8");
    expect(markdown).to.contain("1 blocking");
    expect(markdown).to.contain(
      `| user \`${breakGlass}\` | emergency-admin@fabrikam.onmicrosoft.com, named in tenant settings › breakGlass.users; policy CA002-Global-AllApps-BlockLegacyAuthentication › excludedUsers and 2 more | no such user | ❌ blocking |`,
    );
    expect(markdown).to.contain("Do not run `pulumi up`");
  });
});
