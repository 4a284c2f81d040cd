import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runCli } from "../../cli/main";
import { TOKENS } from "../../lib/managed/tokens";
import { Plan, PlannedResource, readStackConfig, recordPlan } from "../../lib/plan/record";
import { captureIo } from "../cli/temp-project";

const ROOT = path.resolve(__dirname, "..", "..");
const BREAK_GLASS_2 = "6feb4686-f39f-4090-a88c-184077d0ff40";

/**
 * Issue 17's change, written from the scenario (what a security reviewer must be told), not from the output:
 * enable the tenant-wide MFA policy, remove the second break-glass account from the tenant settings, and widen the
 * trusted named location to 0.0.0.0/1 (half of the IPv4 internet).
 */
describe("the reviewer's diff of a three-part change nobody here wrote", function () {
  this.timeout(30_000);
  let markdown = "";
  let json: {
    risks: { kind: string; severity: string; resource: string; subject?: string }[];
    impact: { persona: string; direction: string; before: string; after: string }[];
  };

  before(async () => {
    const base = await recordPlan({ root: ROOT, stack: "contoso-hybrid" });
    const config = readStackConfig(ROOT, "contoso-hybrid");
    const tenant = structuredClone(config["m365-baseline:tenant"]) as { breakGlass: { users: { objectId: string }[] } };
    tenant.breakGlass.users = tenant.breakGlass.users.filter((u) => u.objectId !== BREAK_GLASS_2);
    const recorded = await recordPlan({ root: ROOT, stack: "contoso-hybrid", config: { ...config, "m365-baseline:tenant": tenant } });
    // The other two parts are code changes (a baseline override, the location's ranges): made on the plan they produce.
    const head: Plan = {
      ...recorded,
      resources: recorded.resources.map((r): PlannedResource => {
        if (r.type === TOKENS.conditionalAccessPolicy && r.name === "CA004-Global-AllApps-RequireMFA")
          return { ...r, inputs: { ...r.inputs, state: "enabled" } };
        if (r.type === TOKENS.namedLocation) {
          const ip = r.inputs.ip as { ipRanges: string[]; trusted: boolean };
          return { ...r, inputs: { ...r.inputs, ip: { ...ip, ipRanges: [...ip.ipRanges, "0.0.0.0/1"].sort() } } };
        }
        return r;
      }),
    };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-"));
    for (const [name, plan] of [
      ["base", base],
      ["head", head],
    ] as const)
      fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(plan));
    const { io, stdout } = captureIo();
    const code = await runCli(["diff", path.join(dir, "base.json"), path.join(dir, "head.json"), "--json", path.join(dir, "diff.json"), "--root", ROOT], io);
    expect(code).to.equal(1);
    markdown = stdout();
    json = JSON.parse(fs.readFileSync(path.join(dir, "diff.json"), "utf8"));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the first flagged risks are the trusted-location widening and the break-glass removal, both high", () => {
    const risks = markdown
      .slice(markdown.indexOf("## ⚠️ Flagged risks"))
      .split("\n")
      .filter((l) => l.startsWith("- "));
    const firstTwo = risks.slice(0, 2).join("\n");
    expect(firstTwo).to.match(
      /- \*\*HIGH trusted-location-widened\*\*: trusted location "Contoso offices" now also trusts 0\.0\.0\.0\/1 \(2,147,483,648 addresses\)/,
    );
    expect(firstTwo).to.match(
      /- \*\*HIGH protected-exclusion-removed\*\*: breakglass02@contoso\.onmicrosoft\.com is no longer excluded \(sync or break-glass\) in \d+ resources: CA001/,
    );
  });

  it("the exclusion removed from every policy is one line, each policy's detail folded under it", () => {
    const removed = json.risks.filter((r) => r.kind === "protected-exclusion-removed");
    expect(removed.length).to.be.greaterThan(1);
    expect(markdown.split("\n").filter((l) => l.startsWith("- **HIGH protected-exclusion-removed**"))).to.have.length(1);
    expect(markdown).to.contain("<details><summary>each resource</summary>");
  });

  it("enabling the MFA policy is flagged, below the high risks", () => {
    const kinds = json.risks.map((r) => [r.kind, r.severity]);
    expect(kinds).to.deep.include(["policy-enabled", "medium"]);
    expect(json.risks.findIndex((r) => r.kind === "policy-enabled")).to.be.greaterThan(json.risks.findIndex((r) => r.kind === "protected-exclusion-removed"));
  });

  it("--fail-on high turns the high risks into exit code 3 for a CI gate; an unknown severity is refused", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "review-"));
    const plan = await recordPlan({ root: ROOT, stack: "contoso-hybrid" });
    const enabled: Plan = {
      ...plan,
      resources: plan.resources.map((r) => (r.type === TOKENS.conditionalAccessPolicy ? { ...r, inputs: { ...r.inputs, state: "enabled" } } : r)),
    };
    fs.writeFileSync(path.join(dir, "base.json"), JSON.stringify(enabled));
    fs.writeFileSync(path.join(dir, "head.json"), JSON.stringify(plan));
    // The report-only policies (CA001, CA004, CA005) were enforced in the base: moved back, they are policy-weakened, high.
    const args = ["diff", path.join(dir, "base.json"), path.join(dir, "head.json"), "--root", ROOT];
    expect(await runCli([...args, "--fail-on", "high"], captureIo().io)).to.equal(3);
    expect(await runCli(args, captureIo().io)).to.equal(1);
    const bad = captureIo();
    expect(await runCli([...args, "--fail-on", "severe"], bad.io)).to.equal(2);
    expect(bad.stderr()).to.contain('--fail-on "severe" is not a severity. Allowed: low, medium, high');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the impact table shows what happens to people: members now asked for MFA, the removed break-glass account now blocked on legacy clients", () => {
    expect(markdown).to.contain("## Impact: who gets what, before → after");
    const member = json.impact.find((r) => r.persona === "a standard member" && r.after.includes("mfa"));
    expect(member, "a member is asked for MFA where nothing was asked").to.include({ before: "allow", direction: "stronger" });
    const breakGlass = json.impact.find((r) => r.persona === "break-glass account breakglass02@contoso.onmicrosoft.com" && r.after.startsWith("BLOCK"));
    expect(breakGlass, "the account the settings dropped is now caught by the legacy block").to.not.equal(undefined);
  });
});
