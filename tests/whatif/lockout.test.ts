import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main";
import { recordPlan } from "../../lib/plan/record";
import { assertNoLockout, findLockouts, lockoutFindings, throwIfLockout } from "../../lib/whatif/lockout";
import { runMatrix } from "../../lib/whatif/matrix";
import { buildPersonas, parseCustomPersonas } from "../../lib/whatif/personas";
import { loadLockoutContext } from "../../lib/whatif/settings";
import { EXAMPLE_STACKS } from "../support/examples";
import { captureIo, tempProject } from "../cli/temp-project";
import { BREAK_GLASS_GROUP, BREAK_GLASS_USER, SYNC_ACCOUNT, testTenant } from "../support/tenant";
import { BLOCK, GLOBAL_ADMIN_ROLE, MFA, policy, SYNC_ROLE } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const CONTOSO_SYNC_ACCOUNT = "Sync_CONTOSO-DC01_5f2a9c1b7e4d";
const LEGACY = "CA002-Global-AllApps-BlockLegacyAuthentication";

describe("whatif lockout check: personas and findings", () => {
  const tenant = testTenant();
  const personas = buildPersonas(tenant);
  const source = (...policies: ReturnType<typeof policy>[]) => ({ policies, namedLocations: [] });

  it("builds the persona matrix from tenant settings: sync and break-glass accounts are protected", () => {
    const protectedLabels = personas.filter((p) => p.protected).map((p) => p.label);
    expect(protectedLabels).to.deep.equal([
      `sync account ${SYNC_ACCOUNT.displayName}`,
      `break-glass account ${BREAK_GLASS_USER.displayName}`,
      `member of break-glass group ${BREAK_GLASS_GROUP.displayName}`,
    ]);
    expect(personas.filter((p) => !p.protected).map((p) => p.kind)).to.deep.equal(["globalAdmin", "member", "guest", "room"]);
  });

  it("a cloud-only tenant still gets a directory-sync role holder, so the role exclusion is checked", () => {
    const cloudOnly = buildPersonas(testTenant({ directorySync: { accounts: [], servicePrincipals: [] } }));
    const sync = cloudOnly.filter((p) => p.kind === "directorySync");
    expect(sync).to.have.length(1);
    expect(sync[0].identity.roles).to.deep.equal([SYNC_ROLE]);
  });

  it("finds an enabled MFA-for-admins policy that forgot the break-glass exclusions, naming persona, policy and effect", () => {
    const findings = findLockouts(
      runMatrix(source(policy("admins-mfa", { users: { includedRoles: [GLOBAL_ADMIN_ROLE], excludedRoles: [SYNC_ROLE] }, grant: MFA })), personas),
    );
    // Modern clients are asked for MFA; legacy clients cannot do MFA, so for them the same policy is a block
    // (Microsoft Entra, "Block legacy authentication with Conditional Access").
    expect(findings.map((f) => [f.persona, f.policy, f.effect, f.where])).to.deep.equal([
      [`break-glass account ${BREAK_GLASS_USER.displayName}`, "admins-mfa", "block", "clients exchangeActiveSync, other"],
      [`break-glass account ${BREAK_GLASS_USER.displayName}`, "admins-mfa", "require mfa", "clients browser, mobileAppsAndDesktopClients"],
      [`member of break-glass group ${BREAK_GLASS_GROUP.displayName}`, "admins-mfa", "block", "clients exchangeActiveSync, other"],
      [`member of break-glass group ${BREAK_GLASS_GROUP.displayName}`, "admins-mfa", "require mfa", "clients browser, mobileAppsAndDesktopClients"],
    ]);
  });

  it("a block of legacy clients without the sync exclusion is a lockout; the error names tenant, policy and persona", () => {
    const findings = findLockouts(
      runMatrix(
        source(
          policy("legacy", {
            users: { includedUsers: ["All"], excludedUsers: [BREAK_GLASS_USER.objectId], excludedGroups: [BREAK_GLASS_GROUP.objectId] },
            conditions: { clientAppTypes: ["exchangeActiveSync", "other"] },
            grant: BLOCK,
          }),
        ),
        personas,
      ),
    );
    expect(findings).to.have.length(1);
    expect(findings[0]).to.include({
      persona: `sync account ${SYNC_ACCOUNT.displayName}`,
      policy: "legacy",
      effect: "block",
      where: "clients exchangeActiveSync, other",
    });
    expect(() => throwIfLockout("test-tenant", findings)).to.throw(
      /tenant test-tenant › policy legacy › sync account Sync_DC01_0123456789ab: this enabled policy would block/,
    );
  });

  it("words the controls a policy demands with its own operator, and sorts findings by persona, then policy", () => {
    const all = { includedUsers: ["All"] };
    const findings = lockoutFindings(
      source(
        policy("z-both", { users: all, grant: { operator: "AND", builtInControls: ["mfa", "compliantDevice"] } }),
        policy("a-either", { users: all, grant: { operator: "OR", builtInControls: ["mfa", "compliantDevice"] } }),
      ),
      personas,
    );
    const forBreakGlass = findings.filter((f) => f.persona === `break-glass account ${BREAK_GLASS_USER.displayName}`);
    // Exchange ActiveSync can still present a compliant device, so "mfa or compliantDevice" stays a requirement there;
    // "mfa and compliantDevice" cannot be met by it, nor anything by other legacy clients: those are blocks.
    expect(forBreakGlass.map((f) => [f.policy, f.effect, f.where])).to.deep.equal([
      ["a-either", "block", "clients other"],
      ["a-either", "require mfa or compliantDevice", "clients browser, mobileAppsAndDesktopClients, exchangeActiveSync"],
      ["z-both", "block", "clients exchangeActiveSync, other"],
      ["z-both", "require mfa and compliantDevice", "clients browser, mobileAppsAndDesktopClients"],
    ]);
    const personaOrder = findings.map((f) => f.persona);
    expect(personaOrder).to.deep.equal([...personaOrder].sort((a, b) => a.localeCompare(b)));
    // Targets are named once each, sorted.
    for (const f of findings) expect(f.targets).to.deep.equal([...new Set(f.targets)].sort());
  });

  it("a policy that cannot be decided offline is treated as applying: an exclusion known only after apply is a finding", () => {
    const findings = lockoutFindings(
      source(policy("lookup", { users: { includedUsers: ["All"], excludedGroups: [null as unknown as string] }, grant: BLOCK })),
      personas,
    );
    const breakGlass = findings.find((f) => f.persona === `break-glass account ${BREAK_GLASS_USER.displayName}`)!;
    expect(breakGlass.effect).to.equal("possibly block (not evaluable offline: conditions.users.excludedGroups is known only after apply)");
    expect(() => throwIfLockout("test-tenant", findings)).to.throw(/policy lookup › .*possibly block/);
  });

  it("report-only and disabled policies never lock anyone out", () => {
    const cells = runMatrix(
      source(policy("r", { state: "enabledForReportingButNotEnforced", grant: BLOCK }), policy("d", { state: "disabled", grant: BLOCK })),
      personas,
    );
    expect(findLockouts(cells)).to.deep.equal([]);
    expect(cells.some((c) => c.persona.protected && c.evaluation.reportOnly.blockedBy.includes("r"))).to.equal(true);
  });

  it("tenants add personas in their stack settings; a protected one is checked like break-glass", () => {
    const room = "dddddddd-0000-4000-8000-000000000001";
    const custom = parseCustomPersonas([{ name: "Teams Rooms console", objectId: room, roles: ["Teams Administrator"], protected: true }], "test-tenant");
    const withRoom = buildPersonas(tenant, custom);
    const findings = findLockouts(
      runMatrix(
        source(
          policy("all-mfa", {
            users: { includedUsers: ["All"], excludedUsers: [SYNC_ACCOUNT.objectId, BREAK_GLASS_USER.objectId], excludedGroups: [BREAK_GLASS_GROUP.objectId] },
            grant: MFA,
          }),
        ),
        withRoom,
      ),
    );
    expect([...new Set(findings.map((f) => f.persona))]).to.deep.equal(["Teams Rooms console"]);
  });

  it("rejects custom personas with unknown fields or roles, naming stack, file, key and what is allowed", () => {
    expect(() => parseCustomPersonas([{ name: "x", role: "admin" }], "contoso")).to.throw(
      /stack contoso › Pulumi\.contoso\.yaml › m365-baseline:whatifPersonas\.0: Unrecognized key/,
    );
    expect(() => parseCustomPersonas([{ name: "x", roles: ["Boss"] }], "contoso")).to.throw(
      /m365-baseline:whatifPersonas\.0\.roles\.0: unknown role "Boss"\. Allowed: Global Administrator/,
    );
    expect(() => parseCustomPersonas([{ name: "x", objectId: "nope" }], "contoso")).to.throw(/whatifPersonas\.0\.objectId: must be a GUID/);
  });
});

describe("whatif and plan on the example stacks", () => {
  for (const stack of EXAMPLE_STACKS) {
    it(`${stack}: no enabled policy blocks or challenges a sync or break-glass account`, async () => {
      const plan = await recordPlan({ root: ROOT, stack });
      expect(() => assertNoLockout(plan, loadLockoutContext(ROOT, stack))).not.to.throw();
    });
  }

  it("whatif prints the persona table for enforced and report-only policies separately and exits 0", async () => {
    const { io, stdout } = captureIo();
    expect(await runCli(["whatif", "--stack", "contoso-hybrid", "--root", ROOT], io)).to.equal(0);
    const md = stdout();
    const enforced = md.slice(md.indexOf("## Enforced"), md.indexOf("## Report-only"));
    const reportOnly = md.slice(md.indexOf("## Report-only"));
    expect(enforced).to.contain(`| sync account ${CONTOSO_SYNC_ACCOUNT} 🔒 | every target tried`);
    expect(enforced).to.match(/\| a standard member \| .*BLOCK \(CA002-Global-AllApps-BlockLegacyAuthentication\) — clients exchangeActiveSync, other/);
    expect(enforced).not.to.contain("CA004-Global-AllApps-RequireMFA");
    expect(reportOnly).to.match(/\| a standard member \| .*mfa \(CA004-Global-AllApps-RequireMFA\)/);
  });
});

describe("a copy of a stack without the sync exclusion", function () {
  let project: ReturnType<typeof tempProject>;
  before(() => {
    project = tempProject();
    // The copy's mistake: CA002 hand-written as a raw azuread resource, its directory-sync exclusions dropped.
    fs.writeFileSync(
      path.join(project.root, "stacks", "contoso-hybrid", "index.ts"),
      `import * as azuread from "@pulumi/azuread";
import { buildPolicyPayload, ConditionalAccessPolicySet } from "../../components/conditional-access";
import type { TenantSettings } from "../../lib/tenant-settings";
import { baselinePolicies } from "../baseline";

export function contosoHybrid(tenant: TenantSettings): void {
  const policies = baselinePolicies({ overrides: { "CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice": { state: "reportOnly" } } });
  const legacy = policies.find((p) => p.name === "${LEGACY}")!;
  new ConditionalAccessPolicySet("conditional-access", { tenant, policies: policies.filter((p) => p !== legacy) });
  const noSync = buildPolicyPayload({ ...legacy, exclusionOptOut: { directorySync: { reason: "copied by hand from the portal" } } }, tenant);
  new azuread.ConditionalAccessPolicy(legacy.name, noSync.args);
}
`,
    );
  });
  after(() => project.remove());

  it("whatif exits non-zero naming the sync account and the policy", async () => {
    const { io, stderr, stdout } = captureIo();
    expect(await runCli(["whatif", "--stack", "contoso-hybrid", "--root", project.root], io)).to.equal(2);
    expect(stdout()).to.contain(`## ⛔ Lockout: 1 finding(s)`).and.contain(`- **sync account ${CONTOSO_SYNC_ACCOUNT}**: \`${LEGACY}\` would block`);
    expect(stderr()).to.contain(`policy ${LEGACY} › sync account ${CONTOSO_SYNC_ACCOUNT}: this enabled policy would block`);
    expect(stderr()).not.to.contain("breakglass01");
  });

  it("plan fails with the same message and writes no plan", async () => {
    const json = path.join(project.root, "plan.json");
    const { io, stderr } = captureIo();
    expect(await runCli(["plan", "--stack", "contoso-hybrid", "--root", project.root, "--json", json], io)).to.equal(2);
    expect(stderr()).to.contain(`policy ${LEGACY} › sync account ${CONTOSO_SYNC_ACCOUNT}`);
    expect(fs.existsSync(json)).to.equal(false);
  });
});

describe("whatif lockout check: risky and located sign-ins", () => {
  const personas = buildPersonas(testTenant());
  const excludesSyncOnly = { includedUsers: ["All"], excludedUsers: [SYNC_ACCOUNT.objectId], excludedRoles: [SYNC_ROLE] };

  it("finds a break-glass account blocked only when its sign-in is risky", () => {
    const risky = policy("block-risky", { users: excludesSyncOnly, conditions: { signInRiskLevels: ["high"] }, grant: BLOCK });
    const findings = lockoutFindings({ policies: [risky], namedLocations: [] }, personas);
    expect(findings.map((f) => [f.persona, f.policy, f.effect])).to.deep.include([
      `break-glass account ${BREAK_GLASS_USER.displayName}`,
      "block-risky",
      "block",
    ]);
    expect(findings.find((f) => f.persona.startsWith("break-glass account"))!.where).to.contain("sign-ins high sign-in and user risk");
    // The everyday matrix alone, which the reviewer's table shows, cannot see it.
    expect(findLockouts(runMatrix({ policies: [risky], namedLocations: [] }, personas))).to.deep.equal([]);
  });

  it("finds a break-glass account blocked only from a declared country location", () => {
    const location = { ids: ["loc-nl"], displayName: "Netherlands", trusted: false, ipRanges: [], countries: ["NL"], includeUnknownCountries: false };
    const fromNl = policy("block-nl", { users: excludesSyncOnly, conditions: { locations: { includedLocations: ["loc-nl"] } }, grant: BLOCK });
    const findings = lockoutFindings({ policies: [fromNl], namedLocations: [location] }, personas);
    const breakGlass = findings.find((f) => f.persona === `break-glass account ${BREAK_GLASS_USER.displayName}`);
    expect(breakGlass?.policy).to.equal("block-nl");
    expect(breakGlass?.where).to.contain("sign-ins from Netherlands");
  });

  it("does not flag a risk or location policy that keeps the exclusions", () => {
    const safe = policy("block-risky", {
      users: { ...excludesSyncOnly, excludedUsers: [SYNC_ACCOUNT.objectId, BREAK_GLASS_USER.objectId], excludedGroups: [BREAK_GLASS_GROUP.objectId] },
      conditions: { signInRiskLevels: ["low", "medium", "high"] },
      grant: BLOCK,
    });
    expect(lockoutFindings({ policies: [safe], namedLocations: [] }, personas)).to.deep.equal([]);
  });
});

/** Issue 14, lockout tier two: a policy that blocks everyone of a kind is refused unless acknowledged with a reason. */
describe("whatif lockout check: wide-impact policies", () => {
  const tenant = testTenant();
  const personas = buildPersonas(tenant);
  const protections = {
    excludedUsers: [SYNC_ACCOUNT.objectId, BREAK_GLASS_USER.objectId],
    excludedGroups: [BREAK_GLASS_GROUP.objectId],
    excludedRoles: [SYNC_ROLE],
  };
  const source = (...policies: ReturnType<typeof policy>[]) => ({ policies, namedLocations: [] });
  const adminPortalsBlock = policy("block-admin-portals", {
    users: { includedRoles: [GLOBAL_ADMIN_ROLE], ...protections },
    applications: { includedApplications: ["MicrosoftAdminPortals"] },
    grant: BLOCK,
  });

  it("an enabled policy that blocks every Global Administrator from the admin portals is refused, naming the acknowledgement", () => {
    const findings = lockoutFindings(source(adminPortalsBlock), personas);
    expect(findings.map((f) => [f.persona, f.policy, f.acknowledge])).to.deep.equal([
      ["a Global Administrator", "block-admin-portals", "blocksEveryGlobalAdministrator"],
    ]);
    expect(() => throwIfLockout("test-tenant", findings)).to.throw(
      /policy block-admin-portals › a Global Administrator: this enabled policy blocks every Global Administrator from the Microsoft admin portals\. Allowed: .*acknowledgedRisks: \{ blocksEveryGlobalAdministrator: \{ reason: "…" \} \}/,
    );
  });

  it("acknowledged with a reason, it passes; a policy that blocks only from some platforms is not 'every'", () => {
    const acknowledged = { ...adminPortalsBlock, acknowledgedRisks: { blocksEveryGlobalAdministrator: "Admins use privileged access workstations only." } };
    expect(lockoutFindings(source(acknowledged), personas)).to.deep.equal([]);
    const someDevices = policy("block-admin-portals-android", {
      users: { includedRoles: [GLOBAL_ADMIN_ROLE], ...protections },
      applications: { includedApplications: ["MicrosoftAdminPortals"] },
      conditions: { platforms: { includedPlatforms: ["android"] } },
      grant: BLOCK,
    });
    expect(lockoutFindings(source(someDevices), personas)).to.deep.equal([]);
  });

  it("an enabled policy that blocks every member from every app is refused; report-only it is not", () => {
    const blockAll = policy("block-everyone", { users: { includedUsers: ["All"], ...protections }, grant: BLOCK });
    expect(lockoutFindings(source(blockAll), personas).map((f) => f.acknowledge)).to.include("blocksEveryMember");
    expect(lockoutFindings(source({ ...blockAll, args: { ...blockAll.args, state: "enabledForReportingButNotEnforced" } }), personas)).to.deep.equal([]);
  });
});

describe("whatif lockout check: every workload identity blocked", () => {
  it("an enabled policy that blocks every service principal in the tenant is refused unless acknowledged", () => {
    const personas = buildPersonas(testTenant());
    const workloads = policy("block-workloads", {
      users: { includedUsers: ["None"] },
      conditions: { clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"] } },
      grant: BLOCK,
    });
    const findings = lockoutFindings({ policies: [workloads], namedLocations: [] }, personas);
    expect(findings.map((f) => [f.persona, f.acknowledge])).to.deep.equal([["any service principal in the tenant", "blocksEveryServicePrincipal"]]);
    const acknowledged = { ...workloads, acknowledgedRisks: { blocksEveryServicePrincipal: "Tenant frozen: no automation may sign in during the migration." } };
    expect(lockoutFindings({ policies: [acknowledged], namedLocations: [] }, personas)).to.deep.equal([]);
  });
});

describe("whatif lockout check: unusual sign-ins", () => {
  it("a device-code block without the break-glass exclusion is a lockout in the device-code context only", () => {
    const personas = buildPersonas(testTenant());
    const deviceCode = policy("block-device-code", { conditions: { authenticationFlowTransferMethods: ["deviceCodeFlow"] }, grant: BLOCK });
    const breakGlass = lockoutFindings({ policies: [deviceCode], namedLocations: [] }, personas).filter(
      (f) => f.persona === `break-glass account ${BREAK_GLASS_USER.displayName}`,
    );
    expect(breakGlass.map((f) => [f.policy, f.effect])).to.deep.equal([["block-device-code", "block"]]);
    expect(breakGlass[0].where).to.contain("sign-ins device code flow");
  });
});
