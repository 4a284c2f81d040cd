import * as azuread from "@pulumi/azuread";
import { TOKENS } from "../../lib/managed/tokens";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import * as path from "node:path";
import { ConditionalAccessPolicySet } from "../../components/conditional-access";
import { diffPlans } from "../../lib/plan/diff";
import { renderDiffMarkdown } from "../../lib/plan/diff-markdown";
import { renderPlanMarkdown } from "../../lib/plan/markdown";
import { Plan, readStackConfig, recordPlan } from "../../lib/plan/record";
import { defaultDescribers } from "../../lib/plan/registry";
import { placeholder } from "../../lib/scaffold/placeholders";
import { BaselineOptions, baselinePolicies } from "../../stacks/baseline";
import { declareTenantStack } from "../../stacks/program";

const ROOT = path.resolve(__dirname, "..", "..");
const CONTOSO_SYNC_ACCOUNT = "Sync_CONTOSO-DC01_5f2a9c1b7e4d";

/** Contoso's settings with one field of the tenant object replaced. */
function contosoConfigWith(field: string, value: unknown): Record<string, unknown> {
  const config = readStackConfig(ROOT, "contoso-hybrid");
  const tenant = config["m365-baseline:tenant"] as Record<string, unknown>;
  return { ...config, "m365-baseline:tenant": { ...tenant, [field]: value } };
}

async function planError(options: Parameters<typeof recordPlan>[0]): Promise<Error> {
  try {
    await recordPlan(options);
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the plan to fail");
}

describe("plan of the example stacks (real program, Pulumi mocks)", () => {
  let contoso: Plan;
  let fabrikam: Plan;
  before(async () => {
    contoso = await recordPlan({ root: ROOT, stack: "contoso-hybrid" });
    fabrikam = await recordPlan({ root: ROOT, stack: "fabrikam-cloud" });
  });

  it("records every resource with the Pulumi type token, parent and URN", () => {
    const policy = contoso.resources.find((r) => r.name === "CA004-Global-AllApps-RequireMFA" && r.type.startsWith("azuread:"))!;
    expect(policy.type).to.equal(TOKENS.conditionalAccessPolicy);
    expect(policy.urn).to.match(/^urn:pulumi:contoso-hybrid::m365-baseline::.*::CA004-Global-AllApps-RequireMFA$/);
    expect(contoso.resources.find((r) => r.urn === policy.parent)?.type).to.equal(TOKENS.conditionalAccessComponent);
    expect(fabrikam.resources.map((r) => r.name)).not.to.include("CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice");
  });

  it("records the same JSON when planned again", async () => {
    const again = await recordPlan({ root: ROOT, stack: "contoso-hybrid" });
    expect(JSON.stringify(again)).to.equal(JSON.stringify(contoso));
  });

  it("shows reviewers role and account names, states in words, and each policy once", () => {
    const md = renderPlanMarkdown(contoso);
    expect(md).to.contain("**excluded roles:** Directory Synchronization Accounts, On Premises Directory Sync Account");
    expect(md).to.contain(CONTOSO_SYNC_ACCOUNT).and.contain("SG-EmergencyAccess");
    expect(md).to.contain("**state:** report-only");
    expect(md).not.to.contain("d29b2b05-8046-44ba-8758-1e26182fcf32");
    const policies = contoso.resources.filter((r) => r.type === TOKENS.conditionalAccessPolicy);
    expect(md.match(/^### .*\(`CA\d+-/gm)).to.have.length(policies.length);
  });

  it("flags the risks of a changed copy of a stack: a policy enabled and a sync exclusion opted out", async () => {
    const reason = "pilot: device compliance must also cover the sync server";
    // A copy of the hybrid stack's conditional-access composition, planned with Contoso's real settings, as is and changed.
    const copy = (overrides: BaselineOptions["overrides"]) => (stack: string) =>
      declareTenantStack(stack, {
        [stack]: (tenant) =>
          void new ConditionalAccessPolicySet("conditional-access", {
            tenant,
            policies: baselinePolicies({ overrides: { "CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice": { state: "reportOnly" }, ...overrides } }),
            namedLocations: [{ name: "contoso-offices", displayName: "Contoso offices", ipRanges: ["203.0.113.0/24", "198.51.100.16/28"], trusted: true }],
          }),
      });
    const config = readStackConfig(ROOT, "contoso-hybrid");
    const base = await recordPlan({ root: ROOT, stack: "contoso-copy", config, program: copy({}) });
    const head = await recordPlan({
      root: ROOT,
      stack: "contoso-copy",
      config,
      program: copy({
        "CA004-Global-AllApps-RequireMFA": { state: "enabled" },
        "CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice": { state: "reportOnly", exclusionOptOut: { directorySync: { reason } } },
      }),
    });
    const diff = diffPlans(base, head, defaultDescribers());
    expect(diff.risks.map((r) => `${r.kind} ${r.resource}`)).to.have.members([
      "policy-enabled CA004-Global-AllApps-RequireMFA",
      "protected-exclusion-removed CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice",
      "protected-exclusion-removed CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice",
      "protected-exclusion-removed CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice",
    ]);
    const messages = diff.risks.map((r) => r.message).join("\n");
    expect(messages).to.contain(CONTOSO_SYNC_ACCOUNT).and.contain("role Directory Synchronization Accounts").and.contain(reason);
    expect(diff.changed.map((c) => c.name)).to.have.members(["CA004-Global-AllApps-RequireMFA", "CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice"]);
    expect(diff.added).to.deep.equal([]);
    expect(diff.removed).to.deep.equal([]);
    expect(renderDiffMarkdown(diff)).to.contain("excluded roles: − Directory Synchronization Accounts, − On Premises Directory Sync Account");
  });

  it("rejects bad tenant settings with the file, the key and what is allowed, and records nothing", async () => {
    const err = await planError({ root: ROOT, stack: "contoso-hybrid", config: contosoConfigWith("tenantId", "contoso") });
    expect(err.message).to.contain("Pulumi.contoso-hybrid.yaml").and.contain("m365-baseline:tenant.tenantId").and.contain("must be a GUID");
    expect(err.message).to.contain("nothing was declared");
  });

  it("rejects unfilled new-tenant placeholders, naming each key", async () => {
    const err = await planError({ root: ROOT, stack: "contoso-hybrid", config: contosoConfigWith("displayName", placeholder("customer name")) });
    expect(err.message).to.contain("m365-baseline:tenant.displayName").and.contain("is still a placeholder");
  });

  it("names the known stacks when the stack has no composition", async () => {
    const err = await planError({ root: ROOT, stack: "no-such-tenant", config: readStackConfig(ROOT, "fabrikam-cloud") });
    expect(err.message).to.contain('unknown stack "no-such-tenant"').and.contain("contoso-hybrid, fabrikam-cloud");
  });

  it("never writes a secret into the plan, its Markdown or a diff", async () => {
    const password = "Correct-Horse-Battery-9";
    const withSecret = await recordPlan({
      root: ROOT,
      stack: "secret-test",
      config: { "azuread:clientSecret": { secure: "v1:AAAAciphertext" } },
      program: () => new azuread.User("room-account", { displayName: "Room", userPrincipalName: "room@example.com", password: pulumi.secret(password) }),
    });
    const outputs = [JSON.stringify(withSecret), renderPlanMarkdown(withSecret), renderDiffMarkdown(diffPlans(contoso, withSecret, defaultDescribers()))];
    for (const text of outputs) expect(text).not.to.contain(password).and.not.to.contain("ciphertext");
    expect(withSecret.resources[0].inputs.password).to.equal("[secret]");
  });
});
