import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../../cli/main";
import { Evaluator, verdict } from "../../lib/whatif/evaluate";
import { fromGraphJson } from "../../lib/whatif/graph-json";
import { captureIo } from "../cli/temp-project";
import { signIn } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");

// Policies written the way `GET /identity/conditionalAccess/policies` returns them (Graph v1.0
// conditionalAccessPolicy: include*/exclude* names, comma-separated flag enums, nulls for unset conditions).
const graphPolicy = (displayName: string, conditions: object, grantControls: object | null, state = "enabled") => ({
  id: `0c0a0000-0000-4000-8000-00000000000${displayName.length % 10}`,
  displayName,
  state,
  conditions: {
    users: { includeUsers: ["All"], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [] },
    applications: { includeApplications: ["All"], excludeApplications: [], includeUserActions: [], includeAuthenticationContextClassReferences: [] },
    clientAppTypes: ["all"],
    platforms: null,
    locations: null,
    signInRiskLevels: [],
    userRiskLevels: [],
    ...conditions,
  },
  grantControls,
  sessionControls: null,
});

describe("whatif reads Microsoft Graph JSON exports", () => {
  const page = {
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identity/conditionalAccess/policies",
    value: [
      graphPolicy("Block legacy", { clientAppTypes: ["exchangeActiveSync", "other"] }, { operator: "OR", builtInControls: ["block"] }),
      graphPolicy("Block device code", { authenticationFlows: { transferMethods: "deviceCodeFlow" } }, { operator: "OR", builtInControls: ["block"] }),
      graphPolicy(
        "MFA for tagged apps",
        { applications: { includeApplications: [], applicationFilter: { mode: "include", rule: 'CustomSecurityAttribute.Tier -eq "High"' } } },
        { operator: "OR", builtInControls: ["mfa"] },
      ),
      graphPolicy(
        "Sensitive context",
        { applications: { includeApplications: [], includeAuthenticationContextClassReferences: ["c1"] } },
        {
          operator: "OR",
          builtInControls: ["mfa"],
        },
      ),
    ],
  };

  it("evaluates each exported policy as Microsoft documents its conditions, and names what it cannot decide", () => {
    const source = fromGraphJson(page);
    const evaluator = new Evaluator(source.policies, source.namedLocations);
    const browser = evaluator.evaluate(signIn()).enforced;
    expect(verdict(browser)).to.equal("allow");
    expect(browser.undetermined.map((u) => [u.policy, u.because])).to.deep.equal([
      [
        "MFA for tagged apps",
        ["conditions.applications.applicationFilter is not evaluated offline (the app's custom security attributes are not known offline)"],
      ],
    ]);
    expect(evaluator.evaluate(signIn({ clientApp: "exchangeActiveSync" })).enforced.blockedBy).to.deep.equal(["Block legacy"]);
    expect(evaluator.evaluate(signIn({ authenticationFlow: "deviceCodeFlow" })).enforced.blockedBy).to.deep.equal(["Block device code"]);
    expect(evaluator.evaluate(signIn({ authenticationContexts: ["c1"] })).enforced.requirements.map((r) => r.policy)).to.deep.equal(["Sensitive context"]);
  });

  it("refuses a file that is neither an array nor a Graph page", () => {
    expect(() => fromGraphJson({ policies: [] })).to.throw('policies: expected a JSON array or a Graph page { "value": [...] }');
  });

  it("`whatif --graph-policies`: an export that blocks everyone with no exclusion fails the lockout gate for the stack's personas", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "whatif-graph-"));
    const file = path.join(dir, "policies.json");
    fs.writeFileSync(file, JSON.stringify([graphPolicy("Block everyone", {}, { operator: "OR", builtInControls: ["block"] })]));
    const locked = captureIo();
    expect(await runCli(["whatif", "--stack", "fabrikam-cloud", "--root", ROOT, "--graph-policies", file], locked.io)).to.equal(2);
    expect(locked.stderr()).to.contain("policy Block everyone").and.contain("emergency-admin@fabrikam.onmicrosoft.com");
    fs.writeFileSync(
      file,
      JSON.stringify([graphPolicy("Block everyone", {}, { operator: "OR", builtInControls: ["block"] }, "enabledForReportingButNotEnforced")]),
    );
    const reportOnly = captureIo();
    expect(await runCli(["whatif", "--stack", "fabrikam-cloud", "--root", ROOT, "--graph-policies", file], reportOnly.io)).to.equal(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
