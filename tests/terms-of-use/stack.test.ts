import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import * as path from "node:path";
import { diffPlans } from "../../lib/plan/diff";
import { renderPlanMarkdown } from "../../lib/plan/markdown";
import { defaultDescribers } from "../../lib/plan/registry";
import { mockId, readStackConfig, recordPlan } from "../../lib/plan/record";

const ROOT = path.resolve(__dirname, "..", "..");
const CA_TYPE = TOKENS.conditionalAccessPolicy;

describe("contoso-hybrid example: terms of use required by conditional access", () => {
  it("declares the agreement in en-US (default) and nl-NL and requires it in CA001 with the sync and break-glass exclusions", async () => {
    const plan = await recordPlan({ root: ROOT, stack: "contoso-hybrid" });
    const agreement = plan.resources.find((r) => r.name === "contoso-terms-of-use" && r.type === TOKENS.agreement)!;
    const parent = plan.resources.find((r) => r.urn === agreement.parent)!;
    expect(parent.type).to.equal(TOKENS.termsOfUseComponent);
    const files = agreement.inputs.files as { language: string; isDefault: boolean }[];
    expect(files.map((f) => [f.language, f.isDefault])).to.have.deep.members([
      ["en-US", true],
      ["nl-NL", false],
    ]);

    const tenant = readStackConfig(ROOT, "contoso-hybrid")["m365-baseline:tenant"] as {
      directorySync: { accounts: { objectId: string }[] };
      breakGlass: { users: { objectId: string }[]; groups: { objectId: string }[] };
    };
    const policy = plan.resources.find((r) => r.type === CA_TYPE && r.name === "CA001-Global-AllApps-RequireTermsOfUse")!;
    expect(policy.inputs.grantControls).to.deep.equal({ operator: "OR", termsOfUses: [mockId("contoso-terms-of-use")] });
    const users = (policy.inputs.conditions as { users: Record<string, string[]> }).users;
    expect(users.includedUsers).to.deep.equal(["All"]);
    expect(users.excludedUsers).to.include.members([...tenant.directorySync.accounts, ...tenant.breakGlass.users].map((p) => p.objectId));
    expect(users.excludedGroups).to.include.members(tenant.breakGlass.groups.map((g) => g.objectId));
    expect(users.excludedRoles).to.include("d29b2b05-8046-44ba-8758-1e26182fcf32");
  });

  it("tells the reviewer that agreement changes need an administrator's delegated sign-in (Graph takes no app-only token)", async () => {
    const markdown = renderPlanMarkdown(await recordPlan({ root: ROOT, stack: "contoso-hybrid" }));
    expect(markdown).to.contain("**applied with:** an administrator (delegated sign-in), credential azureCli");
  });
});

/** Issue 16: the terms-of-use scenario with directory sync, as a reviewer reads it. */
describe("contoso-hybrid example: terms of use and directory sync, in the plan and the diff", () => {
  it("the plan says why the sync accounts are excluded, and that the report-only policy protects no one yet", async () => {
    const markdown = renderPlanMarkdown(await recordPlan({ root: ROOT, stack: "contoso-hybrid" }));
    const ca001 = markdown.slice(markdown.indexOf("### CA001-Global-AllApps-RequireTermsOfUse"), markdown.indexOf("### CA002"));
    expect(ca001).to.contain(
      "**directory-sync accounts:** excluded: they cannot accept terms of use, and a terms-of-use policy that catches them stops directory sync",
    );
    expect(ca001).to.contain("Report-only: logged, not enforced, so it protects no one yet.");
  });

  it("a change that drops the sync account from the settings is the first, high-severity risk of the diff", async () => {
    const base = await recordPlan({ root: ROOT, stack: "contoso-hybrid" });
    const config = readStackConfig(ROOT, "contoso-hybrid");
    const tenant = structuredClone(config["m365-baseline:tenant"]) as { directorySync: { accounts: unknown[] } };
    tenant.directorySync.accounts = [];
    const head = await recordPlan({ root: ROOT, stack: "contoso-hybrid", config: { ...config, "m365-baseline:tenant": tenant } });
    const risks = diffPlans(base, head, defaultDescribers()).risks;
    expect(risks[0]).to.include({ kind: "protected-exclusion-removed", severity: "high" });
    expect(risks[0].message).to.contain("Sync_CONTOSO-DC01_5f2a9c1b7e4d");
  });
});
