import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import * as path from "node:path";
import { renderPlanMarkdown } from "../../lib/plan/markdown";
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
