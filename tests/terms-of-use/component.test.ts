import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import * as fs from "node:fs";
import { buildAgreementInputs, TermsOfUse } from "../../components/terms-of-use";
import { ConditionalAccessPolicySet, requireTermsOfUse } from "../../components/conditional-access";
import { recordPlan } from "../../lib/plan/record";
import { MockedResource, startMocks, valueOf } from "../support/pulumi-mocks";
import {
  BREAK_GLASS_GROUP,
  BREAK_GLASS_USER,
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE,
  ON_PREMISES_DIRECTORY_SYNC_ACCOUNT_ROLE,
  SYNC_ACCOUNT,
  testTenant,
} from "../support/tenant";
import { base64Of, EN, NL, termsArgs } from "./helpers";

const COMPONENT = TOKENS.termsOfUseComponent;
const DYNAMIC = TOKENS.agreement;
const CA_TYPE = TOKENS.conditionalAccessPolicy;

describe("TermsOfUse component (mocks)", () => {
  let resources: MockedResource[];
  let settle: () => Promise<void>;

  beforeEach(async () => {
    ({ resources, settle } = await startMocks());
  });

  it("declares one agreement under the component with exactly the validated inputs, and outputs its ID", async () => {
    const terms = new TermsOfUse("contoso-terms", termsArgs());
    await settle();
    const component = resources.find((r) => r.type === COMPONENT)!;
    const agreement = resources.find((r) => r.type === DYNAMIC)!;
    expect(agreement.urn).to.contain(`${COMPONENT}$${DYNAMIC}::contoso-terms`);
    const { __provider, ...inputs } = agreement.inputs;
    expect(__provider).to.be.a("string");
    expect(inputs).to.deep.equal(JSON.parse(JSON.stringify(buildAgreementInputs("contoso-terms", termsArgs()))));
    expect(component.inputs).to.deep.equal({});
    expect(await valueOf(terms.agreementId)).to.equal("contoso-terms-id");
  });

  it("outputs each PDF's name, size and hash, never its content", async () => {
    const terms = new TermsOfUse("contoso-terms", termsArgs());
    await settle();
    const files = await valueOf(terms.files);
    expect(files.map((f) => [f.language, f.fileName, f.size])).to.deep.equal([
      ["en-US", "terms-en-US.pdf", fs.statSync(EN).size],
      ["nl-NL", "terms-nl-NL.pdf", fs.statSync(NL).size],
    ]);
    expect(JSON.stringify(files)).not.to.contain(base64Of(EN).slice(0, 40));
  });

  it("retains the agreement in the tenant on delete unless deletion was allowed", async () => {
    new TermsOfUse("kept", termsArgs());
    new TermsOfUse("deletable", termsArgs({ allowDeletion: true }));
    await settle();
    const retainOf = (name: string): boolean | undefined => resources.find((r) => r.type === DYNAMIC && r.name === name)?.retainOnDelete;
    expect([retainOf("kept"), retainOf("deletable")]).to.deep.equal([true, false]);
  });

  it("throws before declaring anything when the input is invalid", async () => {
    expect(() => new TermsOfUse("bad", termsArgs({ reacceptanceFrequency: "monthly" }))).to.throw(
      "stack test-tenant › terms of use bad › reacceptanceFrequency",
    );
    await settle();
    expect(resources).to.deep.equal([]);
  });

  it("feeds the require-terms policy, which keeps the sync and break-glass exclusions the portal's version lacks", async () => {
    const tenant = testTenant();
    const terms = new TermsOfUse("contoso-terms", termsArgs({ tenant }));
    new ConditionalAccessPolicySet("ca", { tenant, policies: [requireTermsOfUse([terms.agreementId])] });
    await settle();
    const policy = resources.find((r) => r.type === CA_TYPE)!;
    const conditions = policy.inputs.conditions as { users: Record<string, string[]>; applications: Record<string, string[]> };
    expect(policy.inputs.grantControls).to.deep.equal({ operator: "OR", termsOfUses: ["contoso-terms-id"] });
    expect(conditions.users.includedUsers).to.deep.equal(["All"]);
    expect(conditions.users.excludedUsers).to.include.members([SYNC_ACCOUNT.objectId, BREAK_GLASS_USER.objectId]);
    expect(conditions.users.excludedGroups).to.include(BREAK_GLASS_GROUP.objectId);
    expect(conditions.users.excludedRoles).to.include.members([DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE, ON_PREMISES_DIRECTORY_SYNC_ACCOUNT_ROLE]);
    expect(conditions.applications.excludedApplications).to.deep.equal(["d4ebce55-015a-49b5-a083-c84d1797ae8c"]);
  });
});

describe("TermsOfUse in an offline plan", () => {
  it("shows name, size and hash of each PDF and no PDF bytes anywhere in the plan JSON", async () => {
    const plan = await recordPlan({
      root: process.cwd(),
      stack: "test-tenant",
      config: {},
      program: () => {
        const tenant = testTenant();
        const terms = new TermsOfUse("contoso-terms", termsArgs({ tenant }));
        new ConditionalAccessPolicySet("ca", { tenant, policies: [requireTermsOfUse([terms.agreementId])] });
      },
    });
    const json = JSON.stringify(plan);
    for (const file of [EN, NL]) {
      const bytes = fs.readFileSync(file);
      expect(json).not.to.contain(bytes.toString("base64").slice(0, 24));
      expect(json).not.to.contain(bytes.subarray(0, 40).toString("latin1").replace(/\n/g, "\\n"));
    }
    const agreement = plan.resources.find((r) => r.type === DYNAMIC)!;
    expect(agreement.inputs).not.to.have.property("__provider");
    const files = agreement.inputs.files as { language: string; fileName: string; size: number; sha256: string }[];
    expect(files.map((f) => [f.language, f.fileName, f.size, /^[0-9a-f]{64}$/.test(f.sha256)])).to.deep.equal([
      ["en-US", "terms-en-US.pdf", fs.statSync(EN).size, true],
      ["nl-NL", "terms-nl-NL.pdf", fs.statSync(NL).size, true],
    ]);
  });
});
