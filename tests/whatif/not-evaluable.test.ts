import { expect } from "chai";
import { describeOutcome } from "../../lib/whatif/describe";
import { Evaluator, verdict } from "../../lib/whatif/evaluate";
import type { CaPolicy, SignIn } from "../../lib/whatif/model";
import { BLOCK, MFA, policy, signIn } from "./helpers";

// Issue 14: every condition is evaluated or flagged; nothing makes a policy apply to every sign-in by being ignored.
// Expected outcomes follow Microsoft Entra's conditional-access documentation, cited per test.

const enforced = (p: CaPolicy, s: SignIn) => new Evaluator([p]).evaluate(s).enforced;

describe("whatif: conditions that used to be ignored", () => {
  // "Authentication flows" condition (https://learn.microsoft.com/entra/identity/conditional-access/concept-authentication-flows):
  // a policy on the device code flow applies to sign-ins that use it, and only to those.
  it("a policy that blocks only the device code flow leaves an ordinary browser sign-in alone", () => {
    const p = policy("block-device-code", { conditions: { authenticationFlowTransferMethods: ["deviceCodeFlow"] }, grant: BLOCK });
    expect(verdict(enforced(p, signIn()))).to.equal("allow");
    expect(enforced(p, signIn({ authenticationFlow: "deviceCodeFlow" })).blockedBy).to.deep.equal(["block-device-code"]);
    expect(verdict(enforced(p, signIn({ authenticationFlow: "authenticationTransfer" })))).to.equal("allow");
  });

  // "Insider risk" condition (https://learn.microsoft.com/entra/identity/conditional-access/how-to-policy-insider-risk):
  // the policy applies to users at the chosen insider-risk levels.
  it("an insider-risk policy applies only at its levels", () => {
    const p = policy("insider", { conditions: { insiderRiskLevels: "elevated" }, grant: BLOCK });
    expect(verdict(enforced(p, signIn()))).to.equal("allow");
    expect(verdict(enforced(p, signIn({ insiderRisk: "moderate" })))).to.equal("allow");
    expect(verdict(enforced(p, signIn({ insiderRisk: "elevated" })))).to.equal("block");
  });

  // Workload identities (https://learn.microsoft.com/entra/identity/conditional-access/workload-identity):
  // service-principal risk applies to service principals at that risk.
  it("a service-principal-risk policy applies to risky workload identities only", () => {
    const sp = "5e0a0000-0000-4000-8000-000000000001";
    const p = policy("sp-risk", {
      conditions: { clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"] }, servicePrincipalRiskLevels: ["high"] },
      grant: BLOCK,
    });
    expect(verdict(enforced(p, signIn({ identity: { kind: "servicePrincipal", id: sp } })))).to.equal("allow");
    expect(verdict(enforced(p, signIn({ identity: { kind: "servicePrincipal", id: sp }, servicePrincipalRisk: "high" })))).to.equal("block");
  });

  it("enum values compare case-insensitively: `All` client apps and `IOS` platforms mean what `all` and `iOS` do", () => {
    const p = policy("mixed-case", { conditions: { clientAppTypes: ["All"], platforms: { includedPlatforms: ["IOS"] } }, grant: MFA });
    expect(enforced(p, signIn({ platform: "iOS" })).applied).to.deep.equal(["mixed-case"]);
    const apps = policy("keyword-case", { applications: { includedApplications: ["all"] }, grant: MFA });
    expect(enforced(apps, signIn()).applied).to.deep.equal(["keyword-case"]);
  });

  // "Block legacy authentication" (https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication):
  // legacy clients cannot perform MFA, so requiring it blocks them.
  it("MFA asked of Exchange ActiveSync or another legacy client is the block the user gets", () => {
    const p = policy("mfa", { grant: MFA });
    expect(enforced(p, signIn({ clientApp: "exchangeActiveSync" })).blockedBy).to.deep.equal(["mfa"]);
    expect(enforced(p, signIn({ clientApp: "other" })).blockedBy).to.deep.equal(["mfa"]);
    expect(verdict(enforced(p, signIn({ clientApp: "browser" })))).to.equal("requirements");
  });
});

describe("whatif: what cannot be decided offline is shown, never dropped", () => {
  it("an ID known only after apply (a data-source lookup) makes the policy 'may apply', naming the field; no crash", () => {
    const p = policy("excludes-lookup", { users: { includedUsers: ["All"], excludedGroups: [null as unknown as string] }, grant: BLOCK });
    const o = enforced(p, signIn());
    expect(o.blockedBy).to.deep.equal([]);
    expect(o.undetermined).to.deep.equal([
      { policy: "excludes-lookup", effect: "block", because: ["conditions.users.excludedGroups is known only after apply"] },
    ]);
    expect(describeOutcome(o)).to.equal("NOT EVALUABLE: may block (excludes-lookup: conditions.users.excludedGroups is known only after apply)");
  });

  it("a policy whose state is known only after apply may be enforced", () => {
    const o = enforced(policy("later", { state: "(known after apply)", grant: BLOCK }), signIn());
    expect(o.undetermined.map((u) => [u.policy, u.because])).to.deep.equal([["later", ["its state is known only after apply"]]]);
  });

  it("a property the evaluator does not model is carried as not evaluable", () => {
    const p: CaPolicy = { ...policy("filtered-apps", { grant: MFA }), notEvaluable: ["conditions.applications.applicationFilter is not evaluated offline"] };
    const o = enforced(p, signIn());
    expect(o.applied).to.deep.equal([]);
    expect(o.undetermined[0]).to.include({ policy: "filtered-apps", effect: "require mfa" });
  });
});

describe("whatif: app groups and what an app ID covers", () => {
  const applies = (p: CaPolicy, app: string): boolean => enforced(p, signIn({ target: { app } })).applied.includes(p.args.displayName);

  // "Apps included in Conditional Access Office 365 app suite" lists Microsoft Forms and Office.com.
  it("an Office 365 policy reaches Microsoft Forms and Office.com", () => {
    const p = policy("o365", { applications: { includedApplications: ["Office365"] }, grant: MFA });
    expect(applies(p, "c9a559d2-7aab-4f13-a6ed-e7e9c52aec87")).to.equal(true);
    expect(applies(p, "4b233688-031c-404b-9a80-a4f3f2351f90")).to.equal(true);
    expect(applies(p, "00000006-0000-0ff1-ce00-000000000000")).to.equal(false);
  });

  // "Windows Azure Service Management API" covers the Azure portal (Conditional Access: target resources).
  it("a policy on the Windows Azure Service Management API reaches the Azure portal", () => {
    const p = policy("azure-management", { applications: { includedApplications: ["797f4846-ba00-4fd7-ba43-dac1f8f63013"] }, grant: MFA });
    expect(applies(p, "c44b4083-3bb0-49c1-b47d-974e53cbdf3c")).to.equal(true);
    expect(applies(p, "00000002-0000-0ff1-ce00-000000000000")).to.equal(false);
  });
});
