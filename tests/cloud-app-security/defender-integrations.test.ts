import { expect } from "chai";
import * as path from "node:path";
import {
  canonicalDefenderIntegrations,
  CanonicalDefenderIntegrations,
  DefenderIntegrations,
  DefenderIntegrationsDefinition,
  renderRunbook,
  renderSessionPolicyRunbook,
  validateDefenderIntegrations,
} from "../../components/cloud-app-security";
import { TOKENS } from "../../lib/managed/tokens";
import { diffPlans } from "../../lib/plan/diff";
import { renderPlanMarkdown } from "../../lib/plan/markdown";
import { Plan, recordPlan } from "../../lib/plan/record";
import { defaultDescribers } from "../../lib/plan/registry";
import { ProblemList, ValidationError } from "../../lib/problems";
import { CONTOSO_DEFENDER_INTEGRATIONS } from "../../stacks/contoso-hybrid/session-control";
import { MockedResource, startMocks } from "../support/pulumi-mocks";
import { testTenant } from "../support/tenant";

const ROOT = path.resolve(__dirname, "..", "..");
const CA005 = "CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice";
const CA009 = "CA009-TeamsRooms-AllApps-RequireCompliantDevice";

/** Every problem of a declaration, as "path: problem" lines (the path joined as the error message joins it). */
function problemsOf(def: unknown, name = "integrations"): string[] {
  const problems = new ProblemList();
  validateDefenderIntegrations(name, def as DefenderIntegrationsDefinition, testTenant(), problems);
  return problems.all.map((p) => `${p.path.join(" › ")}: ${p.problem}`);
}

describe("Defender integrations: validation (pure)", () => {
  const at = "tenant test-tenant › Defender integrations integrations";

  it("accepts Contoso's declaration, and each integration on its own", () => {
    expect(problemsOf(CONTOSO_DEFENDER_INTEGRATIONS)).to.deep.equal([]);
    expect(problemsOf({ defenderForIdentity: { inDefenderForCloudApps: true } })).to.deep.equal([]);
    expect(problemsOf({ defenderForEndpoint: { intuneConnection: false } })).to.deep.equal([]);
    expect(
      problemsOf({
        defenderForEndpoint: { intuneConnection: true, compliancePlatforms: ["windows"], maximumMachineRiskScore: "secured", partnerUnresponsiveAfterDays: 7 },
      }),
    ).to.deep.equal([]);
  });

  it("reports every problem at once, each under the tenant, the component and the field", () => {
    const found = problemsOf({
      defenderForIdentity: { inDefenderForCloudApps: false },
      defenderForEndpoint: {
        intuneConnection: true,
        compliancePlatforms: ["windows", "macOS", "windows", "linux"],
        maximumMachineRiskScore: "severe",
        partnerUnresponsiveAfterDays: 0.5,
        platforms: ["iOS"],
      },
    });
    expect(found).to.have.length(7);
    expect(found[0]).to.equal(
      `${at} › defenderForIdentity.inDefenderForCloudApps: must be true: since April 2023 Defender for Identity data is part of the Microsoft Defender portal ` +
        "with no switch to turn it off (Defender for Cloud Apps release 251–252 removed Settings › Microsoft Defender for Identity)",
    );
    expect(found).to.include(`${at} › defenderForEndpoint.platforms: is not a field of this declaration`);
    expect(found).to.include(
      `${at} › defenderForEndpoint.compliancePlatforms[1]: "macOS" cannot be connected for compliance: Microsoft documents Defender for Endpoint compliance ` +
        "evaluation for Android, iOS/iPadOS and Windows only, and Graph has macEnabled in beta only",
    );
    expect(found).to.include(`${at} › defenderForEndpoint.compliancePlatforms[3]: "linux" is not a platform Intune connects to Defender for Endpoint`);
    expect(found).to.include(`${at} › defenderForEndpoint.compliancePlatforms: "windows" is listed more than once`);
    expect(found).to.include(`${at} › defenderForEndpoint.maximumMachineRiskScore: "severe" is not a machine risk score`);
    expect(found).to.include(`${at} › defenderForEndpoint.partnerUnresponsiveAfterDays: 0.5 is not a whole number of days`);
  });

  it("says what is allowed: the portal's four risk levels, the three platforms", () => {
    const problems = new ProblemList();
    validateDefenderIntegrations(
      "x",
      {
        defenderForEndpoint: { intuneConnection: true, compliancePlatforms: [], maximumMachineRiskScore: "clear" },
      } as unknown as DefenderIntegrationsDefinition,
      testTenant(),
      problems,
    );
    expect(problems.all.map((p) => [p.path.at(-1), p.allowed])).to.deep.equal([
      ["defenderForEndpoint.compliancePlatforms", "windows, android, iOS"],
      ["defenderForEndpoint.maximumMachineRiskScore", 'secured, low, medium, high ("secured" is the portal\'s Clear)'],
    ]);
    expect(problems.all[0].problem).to.equal("is empty: with no platform connected, compliance policies never see Defender for Endpoint's risk");
  });

  it("refuses an empty declaration, and settings next to a connection that is Off", () => {
    expect(problemsOf({})).to.deep.equal([`${at} › defenderForIdentity, defenderForEndpoint: declares no integration`]);
    expect(problemsOf({ defenderForEndpoint: { intuneConnection: false, compliancePlatforms: ["windows"] } })).to.deep.equal([
      `${at} › defenderForEndpoint.compliancePlatforms: is not a field of this declaration`,
    ]);
    expect(problemsOf({ defenderForEndpoint: { compliancePlatforms: ["windows"], maximumMachineRiskScore: "low" } })).to.deep.equal([
      `${at} › defenderForEndpoint.intuneConnection: (missing) is not On or Off`,
    ]);
  });
});

describe("Defender integrations: canonical form and component (mocks)", () => {
  let resources: MockedResource[];
  let settle: () => Promise<void>;
  beforeEach(async () => {
    ({ resources, settle } = await startMocks());
  });

  it("sorts platforms in a fixed order and drops duplicates, so the same meaning plans the same", () => {
    const a = canonicalDefenderIntegrations({
      defenderForEndpoint: { intuneConnection: true, compliancePlatforms: ["iOS", "windows", "iOS"], maximumMachineRiskScore: "low" },
    });
    const b = canonicalDefenderIntegrations({
      defenderForEndpoint: { intuneConnection: true, compliancePlatforms: ["windows", "iOS"], maximumMachineRiskScore: "low" },
    });
    expect(a).to.deep.equal({ defenderForEndpoint: { intuneConnection: true, compliancePlatforms: ["windows", "iOS"], maximumMachineRiskScore: "low" } });
    expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
  });

  it("declares one component whose input is the canonical declaration, and no cloud resource", async () => {
    const component = new DefenderIntegrations("defender-integrations", { tenant: testTenant(), ...CONTOSO_DEFENDER_INTEGRATIONS });
    await settle();
    expect(resources.map((r) => [r.type, r.name])).to.deep.equal([[TOKENS.defenderIntegrations, "defender-integrations"]]);
    expect(resources[0].inputs.integrations).to.deep.equal({
      defenderForIdentity: { inDefenderForCloudApps: true },
      defenderForEndpoint: { intuneConnection: true, compliancePlatforms: ["windows", "android", "iOS"], maximumMachineRiskScore: "low" },
    });
    expect(component.fingerprint).to.match(/^[0-9a-f]{12}$/);
  });

  it("throws before declaring anything", async () => {
    expect(
      () =>
        new DefenderIntegrations("bad", {
          tenant: testTenant(),
          defenderForEndpoint: { intuneConnection: true, compliancePlatforms: ["macOS" as "iOS"], maximumMachineRiskScore: "low" },
        }),
    ).to.throw(ValidationError, 'defenderForEndpoint.compliancePlatforms[0]: "macOS" cannot be connected for compliance');
    await settle();
    expect(resources).to.deep.equal([]);
  });
});

describe("Contoso's Defender integrations in plan, diff and runbook (real program, mocks)", () => {
  let plan: Plan;
  before(async () => {
    plan = await recordPlan({ root: ROOT, stack: "contoso-hybrid" });
  });

  const integrationsIn = (p: Plan) => p.resources.find((r) => r.type === TOKENS.defenderIntegrations)!;
  /** The plan with the integrations' declaration replaced (what a pull request changing it would plan). */
  const withIntegrations = (integrations: CanonicalDefenderIntegrations): Plan => ({
    ...plan,
    resources: plan.resources.map((r) => (r.type === TOKENS.defenderIntegrations ? { ...r, inputs: { ...r.inputs, integrations } } : r)),
  });
  const contosoEndpoint = {
    intuneConnection: true as const,
    compliancePlatforms: ["windows", "android", "iOS"] as const,
    maximumMachineRiskScore: "low" as const,
  };

  it("records the declaration at the top of the stack, exactly as its canonical JSON", () => {
    const resource = integrationsIn(plan);
    expect(resource.name).to.equal("defender-integrations");
    expect(resource.parent ?? undefined, "no parent component").to.equal(undefined);
    expect(JSON.parse(JSON.stringify(resource.inputs.integrations))).to.deep.equal(canonicalDefenderIntegrations(CONTOSO_DEFENDER_INTEGRATIONS));
  });

  it("the plan shows each setting in the portals' words, and how it reaches the tenant", () => {
    const markdown = renderPlanMarkdown(plan);
    const section = markdown.slice(
      markdown.indexOf("## Defender integrations (1)"),
      markdown.indexOf("\n## ", markdown.indexOf("## Defender integrations (1)") + 1),
    );
    expect(section).to.contain("### defender-integrations (applied by hand from the runbook)");
    expect(section).to.contain(
      "- **Defender for Identity in Defender for Cloud Apps:** on, joined by the Microsoft Defender portal itself: no switch since April 2023, the runbook checks the sensors " +
        "(no API: https://learn.microsoft.com/defender-cloud-apps/release-note-archive)",
    );
    expect(section).to.contain(
      "- **Microsoft Intune connection:** On (Defender portal › Settings › Endpoints › Advanced features): applied by hand from the runbook " +
        "(no API: https://learn.microsoft.com/defender-endpoint/advanced-features)",
    );
    expect(section).to.contain(
      "- **compliance policy evaluation:** Connect Windows devices: On, Connect Android devices: On, Connect iOS/iPadOS devices: On " +
        "(Intune › Endpoint security › Microsoft Defender for Endpoint): applied by hand from the runbook (Graph v1.0 mobileThreatDefenseConnector can write it; not managed by m365-baseline yet)",
    );
    expect(section).to.contain(
      "- **require the device to be at or under the machine risk score:** Low in every compliance policy for Windows 10 and later, Android Enterprise, iOS/iPadOS: " +
        "applied by hand from the runbook (Graph has it in beta only:",
    );
    // CA005 and CA009 require a compliant device but are report-only in Contoso; CA005 also accepts hybrid joined.
    expect(section).to.contain(
      `- ⚠️ **blocks a compromised device through:** nothing yet: the policies that require a compliant device (${CA005}, ${CA009}) are report-only or off`,
    );
    expect(section).to.contain(
      `- ⚠️ **also lets in:** ${CA005} accepts Require Microsoft Entra hybrid joined device instead of a compliant device, so a compromised device that meets it still gets in`,
    );
  });

  it("once a compliance-requiring policy is enabled, the plan names it instead of warning", () => {
    const enabled: Plan = {
      ...plan,
      resources: plan.resources.map((r) =>
        r.type === TOKENS.conditionalAccessPolicy && r.name === CA009 ? { ...r, inputs: { ...r.inputs, state: "enabled" } } : r,
      ),
    };
    const markdown = renderPlanMarkdown(enabled);
    expect(markdown).to.contain(`- **blocks a compromised device through:** ${CA009}`);
    expect(markdown).to.not.contain("blocks a compromised device through:** nothing yet");
  });

  it("a diff flags a looser risk score, a dropped platform and a connection turned off", () => {
    const risksOf = (integrations: CanonicalDefenderIntegrations) =>
      diffPlans(plan, withIntegrations(integrations), defaultDescribers()).risks.map((r) => [r.kind, r.severity, r.message]);
    expect(risksOf({ defenderForEndpoint: { ...contosoEndpoint, compliancePlatforms: ["windows", "iOS"], maximumMachineRiskScore: "high" } })).to.deep.equal([
      ["device-risk-relaxed", "high", "maximum machine risk score Low → High: devices with more serious threats stay compliant"],
      ["device-risk-platform-removed", "medium", "Android Enterprise no longer evaluated with Defender for Endpoint's machine risk"],
    ]);
    expect(risksOf({ defenderForEndpoint: { intuneConnection: false } })).to.deep.equal([
      [
        "device-risk-disconnected",
        "high",
        "Microsoft Intune connection turned off: compliance policies no longer see Defender for Endpoint's machine risk, so a compromised device stays compliant",
      ],
    ]);
    expect(
      risksOf({
        ...canonicalDefenderIntegrations(CONTOSO_DEFENDER_INTEGRATIONS),
        defenderForEndpoint: { ...contosoEndpoint, maximumMachineRiskScore: "secured" },
      }),
    ).to.deep.equal([]);
    const changed = diffPlans(
      plan,
      withIntegrations({ defenderForEndpoint: { ...contosoEndpoint, maximumMachineRiskScore: "medium" } }),
      defaultDescribers(),
    ).changed;
    expect(changed.map((c) => [c.kind, c.name])).to.deep.equal([["Defender integrations", "defender-integrations"]]);
  });

  it("the runbook gains an Integrations section: portal steps in the portals' words, why, and the Graph request", () => {
    const runbook = renderSessionPolicyRunbook(plan);
    const section = runbook.slice(runbook.indexOf("## Integrations (`defender-integrations`)"));
    expect(section).to.match(/^## Integrations \(`defender-integrations`\)\n\nDeclaration fingerprint: `[0-9a-f]{12}`/);
    expect(section).to.contain("### Microsoft Defender for Identity ↔ Defender for Cloud Apps");
    expect(section).to.contain("1. There is no switch to set.");
    expect(section).to.contain("go to **Settings › Identities** and check that a sensor is listed for each domain controller");
    expect(section).to.contain("### Microsoft Defender for Endpoint ↔ Microsoft Intune");
    expect(section).to.contain(
      "go to **Settings › Endpoints › Advanced features**, set **Microsoft Intune connection** to **On**, and select **Save preferences**. No API:",
    );
    expect(section).to.contain("go to **Endpoint security › Microsoft Defender for Endpoint** and check that **Connection status** reads **Enabled**");
    expect(section).to.contain("   - **Connect Windows devices** to Microsoft Defender for Endpoint: **On**");
    expect(section).to.contain("   - **Connect iOS/iPadOS devices** to Microsoft Defender for Endpoint: **On**");
    expect(section).to.contain("4. **Number of days until partner is unresponsive:** not declared; leave it as it is.");
    expect(section).to.contain("   PATCH https://graph.microsoft.com/v1.0/deviceManagement/mobileThreatDefenseConnectors/{id}");
    expect(section).to.contain('   {"windowsEnabled":true,"androidEnabled":true,"iosEnabled":true}');
    expect(section).to.contain(
      "set **Compliance settings › Microsoft Defender for Endpoint › Require the device to be at or under the machine risk score** to **Low**",
    );
    // Why: "Require device to be marked as compliant" is what blocks the compromised device.
    expect(section).to.contain("a conditional-access policy that grants access with **Require device to be marked as compliant** then blocks it");
    expect(section).to.contain(
      `   - **${CA005}** requires **Require device to be marked as compliant**: it is **Report-only**, so it blocks nothing yet; ⚠️ it also accepts **Require Microsoft Entra hybrid joined device**`,
    );
    // The session policies come first, unchanged.
    expect(runbook.indexOf("## 1. ")).to.be.lessThan(runbook.indexOf("## Integrations"));
  });

  it("a connection declared Off, a High risk score, and no session policies render as such", () => {
    const off = renderRunbook("t", [], [], {
      declared: [{ name: "mde", integrations: { defenderForEndpoint: { intuneConnection: false } } }],
      complianceGates: [],
    });
    expect(off).to.contain("This tenant declares no session policies.");
    expect(off).to.contain("set **Microsoft Intune connection** to **Off**, and select **Save preferences**");
    const high = renderRunbook("t", [], [], {
      declared: [
        {
          name: "mde",
          integrations: {
            defenderForEndpoint: { intuneConnection: true, compliancePlatforms: ["windows"], maximumMachineRiskScore: "high", partnerUnresponsiveAfterDays: 7 },
          },
        },
      ],
      complianceGates: [],
    });
    expect(high).to.contain("⚠️ **High** allows every threat level: a compromised device stays compliant");
    expect(high).to.contain("   - **Connect Android devices** to Microsoft Defender for Endpoint: **Off**");
    expect(high).to.contain("4. **Number of days until partner is unresponsive:** 7");
    expect(high).to.contain('{"windowsEnabled":true,"androidEnabled":false,"iosEnabled":false,"partnerUnresponsivenessThresholdInDays":7}');
    expect(high).to.contain("⚠️ No conditional-access policy in this plan requires **Require device to be marked as compliant**");
  });
});
