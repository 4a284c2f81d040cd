import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import { runCli } from "../../cli/main";
import { captureIo } from "../cli/temp-project";
import { TOKENS } from "../../lib/managed/tokens";
import * as path from "node:path";
import {
  canonicalSessionPolicy,
  CanonicalSessionPolicy,
  CloudAppSecuritySession,
  fingerprint,
  integrationsOf,
  IP_RANGE_PROVIDER_VERSION,
  renderRunbook,
  renderSessionPolicyRunbook,
  SESSION_POLICY_TYPE,
} from "../../components/cloud-app-security";
import {
  buildPolicyPayload,
  CloudAppSecurityType,
  limitWebAccessFromUnmanagedDevices,
  routeUnmanagedBrowserSessionsToDefender,
  routeUnmanagedExchangeOnlineBrowserSessionsToDefender,
  UNMANAGED_DEVICE_FILTER,
} from "../../components/conditional-access";
import { ValidationError } from "../../lib/problems";
import { diffPlans } from "../../lib/plan/diff";
import { Plan, readStackConfig, recordPlan } from "../../lib/plan/record";
import { defaultDescribers } from "../../lib/plan/registry";
import { renderPlanMarkdown } from "../../lib/plan/markdown";
import { CONTOSO_SESSION_POLICIES } from "../../stacks/contoso-hybrid/session-control";
import { MockedResource, startMocks } from "../support/pulumi-mocks";
import { testTenant } from "../support/tenant";

const ROOT = path.resolve(__dirname, "..", "..");
const EXCHANGE = "00000002-0000-0ff1-ce00-000000000000";
const SHAREPOINT = "00000003-0000-0ff1-ce00-000000000000";

describe("routing policy payloads (pure)", () => {
  for (const mode of ["monitorOnly", "blockDownloads", "mcasConfigured"] as CloudAppSecurityType[]) {
    it(`routes unmanaged browser sessions with cloudAppSecurityPolicy "${mode}"`, () => {
      const { args } = buildPolicyPayload(routeUnmanagedBrowserSessionsToDefender(mode), testTenant());
      const conditions = args.conditions as unknown as Record<string, unknown>;
      expect(args.sessionControls).to.deep.equal({ cloudAppSecurityPolicy: mode });
      expect(conditions.clientAppTypes).to.deep.equal(["browser"]);
      expect(conditions.devices).to.deep.equal({ filter: { mode: "include", rule: 'device.isCompliant -ne True -and device.trustType -ne "ServerAD"' } });
      expect(conditions.applications).to.deep.equal({ includedApplications: ["Office365"] });
      expect(args.state).to.equal("enabledForReportingButNotEnforced");
    });
  }

  it("the Exchange Online variant routes only Outlook on the web browser sessions, under its own logical name", () => {
    const def = routeUnmanagedExchangeOnlineBrowserSessionsToDefender("mcasConfigured");
    expect(def.name).to.equal("CA006-Global-ExchangeOnline-UnmanagedBrowser-DefenderSessionControl");
    const { args } = buildPolicyPayload(def, testTenant());
    const conditions = args.conditions as unknown as Record<string, unknown>;
    expect(conditions.applications).to.deep.equal({ includedApplications: ["00000002-0000-0ff1-ce00-000000000000"] });
    expect(conditions.clientAppTypes).to.deep.equal(["browser"]);
    expect(args.sessionControls).to.deep.equal({ cloudAppSecurityPolicy: "mcasConfigured" });
  });

  it("the unmanaged filter means neither Intune compliant nor hybrid joined (ServerAD)", () => {
    expect(UNMANAGED_DEVICE_FILTER).to.contain("device.isCompliant -ne True");
    expect(UNMANAGED_DEVICE_FILTER).to.contain('device.trustType -ne "ServerAD"');
    expect(UNMANAGED_DEVICE_FILTER).to.contain("-and");
  });

  it("routes any app by name or ID through overrides", () => {
    const def = routeUnmanagedBrowserSessionsToDefender("blockDownloads", {
      applications: { include: ["Exchange Online", "CC15FD57-2C6C-4117-A88C-83B1D56B4BBE"] },
    });
    const { args } = buildPolicyPayload(def, testTenant());
    expect((args.conditions as { applications: unknown }).applications).to.deep.equal({
      includedApplications: [EXCHANGE, "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe"],
    });
  });

  it("the non-E5 fallback asks Exchange Online and SharePoint Online for app enforced restrictions in browsers", () => {
    const { args } = buildPolicyPayload(limitWebAccessFromUnmanagedDevices(), testTenant());
    const conditions = args.conditions as unknown as Record<string, unknown>;
    expect(args.sessionControls).to.deep.equal({ applicationEnforcedRestrictionsEnabled: true });
    expect(conditions.applications).to.deep.equal({ includedApplications: [EXCHANGE, SHAREPOINT] });
    expect(conditions.clientAppTypes).to.deep.equal(["browser"]);
    expect(args.grantControls).to.equal(undefined);
  });
});

describe("CloudAppSecuritySession component (mocks)", () => {
  let resources: MockedResource[];
  let settle: () => Promise<void>;
  const apiUrl = "https://contoso.eu2.portal.cloudappsecurity.com/api";
  // Contoso's session policies cover Exchange Online, the app its routing policy routes (the field scenario).
  const route = routeUnmanagedExchangeOnlineBrowserSessionsToDefender("mcasConfigured");

  beforeEach(async () => {
    ({ resources, settle } = await startMocks());
  });

  it("declares each session policy as a component whose input is its canonical JSON, ordered by logical name", async () => {
    new CloudAppSecuritySession("session", { tenant: testTenant(), conditionalAccess: [route], sessionPolicies: [...CONTOSO_SESSION_POLICIES].reverse() });
    await settle();
    const declared = resources.filter((r) => r.type === SESSION_POLICY_TYPE);
    expect(declared.map((r) => r.name)).to.deep.equal(["block-downloads-noncompliant", "protect-project-xray-downloads"]);
    const protect = declared[1].inputs.sessionPolicy as CanonicalSessionPolicy;
    expect(protect.action).to.deep.equal({
      kind: "protect",
      sensitivityLabel: "Highly Confidential - Project X-Ray",
      blockUnprotectableFiles: true,
      customBlockMessage: "This Project X-Ray file cannot be protected for download on this device. Open it in the browser, or use a Contoso-joined PC.",
    });
    expect(protect.activities).to.deep.equal({
      deviceTags: { operator: "doesNotEqual", values: ["hybridJoined"] },
      apps: ["00000002-0000-0ff1-ce00-000000000000"],
    });
    // The download block stands on its own: neither domain-joined nor compliant.
    const block = declared[0].inputs.sessionPolicy as CanonicalSessionPolicy;
    expect(block.activities.deviceTags).to.deep.equal({ operator: "doesNotEqual", values: ["hybridJoined", "intuneCompliant"] });
    expect(protect.contentInspection).to.deep.equal({ method: "customExpression", expression: "Project X-Ray", uninspectableFiles: "block" });
    expect(resources.filter((r) => r.type.includes("dynamic"))).to.have.length(0);
  });

  it("declares no conditional-access policy itself: the routing policy belongs to the tenant's policy set", async () => {
    new CloudAppSecuritySession("session", { tenant: testTenant(), conditionalAccess: [route], sessionPolicies: CONTOSO_SESSION_POLICIES });
    await settle();
    expect(resources.filter((r) => r.type.startsWith("azuread:"))).to.deep.equal([]);
  });

  it("declares IP ranges one after another with the tenant's connection, API URL and provider version, no secrets", async () => {
    const tenant = testTenant({ defenderForCloudApps: { apiUrl } });
    const canary = "canary-client-secret-3f9a";
    const saved = process.env.AZURE_CLIENT_SECRET;
    process.env.AZURE_CLIENT_SECRET = canary;
    new CloudAppSecuritySession("session", {
      tenant,
      conditionalAccess: [route],
      sessionPolicies: CONTOSO_SESSION_POLICIES,
      ipRanges: [
        { name: "VPN", category: "vpn", subnets: ["192.0.2.0/24"] },
        { name: "HQ", subnets: ["203.0.113.0/24", "198.51.100.16/28", "203.0.113.0/24"] },
      ],
    });
    await settle();
    if (saved === undefined) delete process.env.AZURE_CLIENT_SECRET;
    else process.env.AZURE_CLIENT_SECRET = saved;
    const ranges = resources.filter((r) => r.type.includes("DefenderIpRange"));
    expect(JSON.stringify(ranges.map((r) => r.inputs))).not.to.contain(canary);
    expect(ranges.map((r) => r.name)).to.deep.equal(["ip-range-HQ", "ip-range-VPN"]);
    expect(ranges[0].inputs).to.deep.include({ apiUrl, providerVersion: IP_RANGE_PROVIDER_VERSION });
    expect(ranges[0].inputs.connection).to.deep.equal({ tenantId: tenant.tenantId, cloud: "global", credential: "default" });
    expect(ranges[0].inputs.rule).to.deep.equal({ name: "HQ", category: 1, subnets: ["198.51.100.16/28", "203.0.113.0/24"] });
    expect(ranges[1].inputs.rule).to.deep.equal({ name: "VPN", category: 4, subnets: ["192.0.2.0/24"] });
    expect(ranges[1].dependencies).to.include(ranges[0].urn);
    expect(typeof ranges[0].inputs.__provider).to.equal("string"); // the provider serialized
  });

  it("throws before declaring anything when mcasConfigured has no covering session policy", async () => {
    expect(() => new CloudAppSecuritySession("session", { tenant: testTenant(), conditionalAccess: [route], sessionPolicies: [] })).to.throw(
      ValidationError,
      "no declared session policy covers Exchange Online",
    );
    await settle();
    expect(resources).to.deep.equal([]);
  });

  it("throws before declaring anything when IP ranges are declared without an API URL", async () => {
    expect(
      () =>
        new CloudAppSecuritySession("session", {
          tenant: testTenant(),
          conditionalAccess: [route],
          sessionPolicies: CONTOSO_SESSION_POLICIES,
          ipRanges: [{ name: "HQ", subnets: ["203.0.113.0/24"] }],
        }),
    ).to.throw(ValidationError, "defenderForCloudApps.apiUrl");
    await settle();
    expect(resources).to.deep.equal([]);
  });
});

describe("Contoso's seed scenarios in plan, diff and runbook (real program, mocks)", () => {
  let plan: Plan;
  before(async () => {
    plan = await recordPlan({ root: ROOT, stack: "contoso-hybrid" });
  });

  const sessionPolicies = (p: Plan): CanonicalSessionPolicy[] =>
    p.resources.filter((r) => r.type === SESSION_POLICY_TYPE).map((r) => r.inputs.sessionPolicy as CanonicalSessionPolicy);

  it("records both session policies in the plan, exactly as their canonical JSON", () => {
    const recorded = sessionPolicies(plan);
    expect(recorded.map((p) => p.name)).to.deep.equal(["block-downloads-noncompliant", "protect-project-xray-downloads"]);
    const expected = CONTOSO_SESSION_POLICIES.map(canonicalSessionPolicy).sort((a, b) => a.name.localeCompare(b.name));
    expect(JSON.parse(JSON.stringify(recorded))).to.deep.equal(JSON.parse(JSON.stringify(expected)));
  });

  it("`runbook --stack` writes the administrator's runbook: every declared policy with its fingerprint, and the routing caveat", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "runbook-"));
    const out = path.join(dir, "runbook.md");
    const { io } = captureIo();
    expect(await runCli(["runbook", "--stack", "contoso-hybrid", "--root", ROOT, "--out", out], io)).to.equal(0);
    const runbook = fs.readFileSync(out, "utf8");
    for (const policy of sessionPolicies(plan)) {
      expect(runbook)
        .to.contain(`(\`${policy.name}\`)`)
        .and.contain(`Declaration fingerprint: \`${fingerprint(policy)}\``);
    }
    expect(runbook).to.contain("it is **report-only**, so sessions are not routed yet");
    const unknown = captureIo();
    expect(await runCli(["runbook", "--stack", "no-such-tenant", "--root", ROOT], unknown.io)).to.equal(2);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("coverage: while the routing policy is report-only, the plan says no session policy acts yet; enabled, it names the route", () => {
    const routing = "CA006-Global-ExchangeOnline-UnmanagedBrowser-DefenderSessionControl";
    expect(renderPlanMarkdown(plan)).to.contain(
      `- ⚠️ **acts on:** no session yet: the routing policy (${routing}) is report-only or disabled, and report-only policies route no session`,
    );
    const enabled: Plan = {
      ...plan,
      resources: plan.resources.map((r) =>
        r.type === TOKENS.conditionalAccessPolicy && r.name === routing ? { ...r, inputs: { ...r.inputs, state: "enabled" } } : r,
      ),
    };
    const markdown = renderPlanMarkdown(enabled);
    expect(markdown).to.contain(`- **sessions routed by:** ${routing}`);
    expect(markdown).to.not.contain("no session yet");
  });

  it("routes Contoso's unmanaged browser sessions through the policy set, with the built-in exclusions", () => {
    const routing = plan.resources.find(
      (r) => r.name === "CA006-Global-ExchangeOnline-UnmanagedBrowser-DefenderSessionControl" && r.type.startsWith("azuread:"),
    )!;
    expect(routing.inputs.sessionControls).to.deep.equal({ cloudAppSecurityPolicy: "mcasConfigured" });
    expect(routing.parent).to.contain(TOKENS.conditionalAccessComponent);
    const users = (routing.inputs.conditions as { users: { excludedUsers: string[] } }).users;
    expect(users.excludedUsers).to.include("0bf1d06d-384d-46b7-bdda-c4970ade530e"); // Contoso's sync account
    expect(users.excludedUsers).to.include("f5d1338a-d90b-4b58-b7d2-fc8eb8b1350b"); // break-glass
  });

  it("records the same plan twice (no change), and a changed block message shows up as a change", async () => {
    const again = await recordPlan({ root: ROOT, stack: "contoso-hybrid" });
    expect(JSON.stringify(sessionPolicies(again))).to.equal(JSON.stringify(sessionPolicies(plan)));
    const edited = await recordPlan({
      root: ROOT,
      stack: "contoso-hybrid",
      config: readStackConfig(ROOT, "contoso-hybrid"),
      program: () => {
        const Session = CloudAppSecuritySession;
        const tenantFor = testTenant;
        const changed = CONTOSO_SESSION_POLICIES.map((p) =>
          p.name === "block-downloads-noncompliant" ? { ...p, action: { kind: "block" as const, customBlockMessage: "Changed." } } : p,
        );
        new Session("defender-session-control", {
          tenant: tenantFor(),
          conditionalAccess: [routeUnmanagedExchangeOnlineBrowserSessionsToDefender("mcasConfigured")],
          sessionPolicies: changed,
        });
      },
    });
    const after = sessionPolicies(edited).find((p) => p.name === "block-downloads-noncompliant")!;
    expect(after.action).to.deep.equal({ kind: "block", customBlockMessage: "Changed." });
    const sessionOnly = (p: Plan): Plan => ({ ...p, resources: p.resources.filter((r) => r.type === SESSION_POLICY_TYPE) });
    const diff = diffPlans(sessionOnly(plan), sessionOnly(edited), defaultDescribers());
    expect(diff.added).to.deep.equal([]);
    expect(diff.removed).to.deep.equal([]);
    expect(diff.changed.map((c) => [c.kind, c.name])).to.deep.equal([["Defender for Cloud Apps session policy", "block-downloads-noncompliant"]]);
    const message = diff.changed[0].fields.find((f) => f.label === "custom block message")!;
    expect(message.before).to.match(/^Downloads are blocked on devices/);
    expect(message.after).to.equal("Changed.");
    expect(diffPlans(sessionOnly(plan), sessionOnly(again), defaultDescribers()).changed).to.deep.equal([]);
  });

  it("renders the runbook from the recorded plan with every key field in the portal's words", () => {
    const runbook = renderSessionPolicyRunbook(plan);
    expect(runbook).to.contain("# Defender for Cloud Apps session policies for tenant stack `contoso-hybrid`");
    expect(runbook).to.contain("routes browser sessions with **Use Conditional Access App Control › Use custom policy** — it is **report-only**");
    const protect = section(runbook, "Protect Project X-Ray documents");
    expect(protect).to.contain("**Session control type:** Control file download (with inspection)");
    expect(protect).to.contain("**Device › Tag** does not equal **Microsoft Entra hybrid joined**");
    expect(protect).to.contain("**App** equals **Microsoft Exchange Online**");
    expect(protect).to.contain("**Include files that match a custom expression** and enter **Project X-Ray**");
    expect(protect).to.contain("**Files that cannot be inspected** (for example encrypted files): select the option to **block** them");
    expect(protect).to.contain("**Actions:** Protect › **Apply sensitivity label:** Highly Confidential - Project X-Ray");
    expect(protect).to.contain("Select **Block download of any file that is unsupported by native protection or where native protection is unsuccessful**");
    expect(protect).to.contain("**Policy severity:** High");
    expect(protect).to.contain("**Daily alert limit:** 5");
    const block = section(runbook, "Block downloads to devices neither domain-joined nor compliant");
    expect(block).to.contain("**Device › Tag** does not equal **Microsoft Entra hybrid joined** or **Intune compliant**");
    expect(block).to.contain("**App** equals **Microsoft Exchange Online**");
    expect(block).to.contain("**Actions:** Block; select **Customize block message** and enter exactly:");
    expect(block).to.contain("> Downloads are blocked on devices that are not compliant with Contoso policy.");
    expect(block).to.contain("**Inspection method:** None");
    expect(block).to.contain("leave **Create an alert for each matching event with the policy's severity** cleared");
  });

  it("renders the same runbook from the plan as from the declarations (round trip through plan JSON)", () => {
    const fromPlan = renderSessionPolicyRunbook(JSON.parse(JSON.stringify(plan)) as Plan);
    const direct = renderRunbook(
      "contoso-hybrid",
      CONTOSO_SESSION_POLICIES.map(canonicalSessionPolicy),
      [
        {
          displayName: "CA006-Global-ExchangeOnline-UnmanagedBrowser-DefenderSessionControl",
          mode: "mcasConfigured",
          state: "enabledForReportingButNotEnforced",
        },
      ],
      integrationsOf(plan),
    );
    expect(fromPlan).to.equal(direct);
  });
});

describe("runbook rendering (pure)", () => {
  it("escapes Markdown in declared text so a name cannot restyle the runbook", () => {
    const p = canonicalSessionPolicy({ name: "x", displayName: "Block *all* `files`", severity: "low", controlType: "monitorOnly" });
    const runbook = renderRunbook("t", [p]);
    expect(runbook).to.contain("**Policy name:** Block \\*all\\* \\`files\\`");
    expect(runbook).to.contain("**Actions:** none (Monitor only has no actions)");
    expect(runbook).to.contain("No conditional-access policy in this plan routes sessions");
  });

  it("says so when a tenant declares no session policies", () => {
    expect(renderRunbook("t", [])).to.contain("This tenant declares no session policies.");
  });
});

/** The runbook section for one policy: from its heading to the next one. */
function section(runbook: string, title: string): string {
  const start = runbook.indexOf(`. ${title}`);
  expect(start, `section "${title}"`).to.be.greaterThan(-1);
  const next = runbook.indexOf("\n## ", start);
  return runbook.slice(start, next === -1 ? undefined : next);
}
