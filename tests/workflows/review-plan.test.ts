import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { Replay } from "../support/workflows/replay";
import { planStep, reviewPullRequest } from "../support/workflows/review";

/**
 * Issue 11: the review gate "silently did nothing" — a pull request adding an enabled block-all policy got "No
 * tenant stack changes" and a green check. These replay review-plan.yml (plan and diff on base and head) and then
 * review-plan-comment.yml (post the artifact as the PR comment) on throwaway commits, and state what a reviewer
 * must see in each case.
 */
describe("review-plan and review-plan-comment workflows, replayed on a base and a head commit", function () {
  this.timeout(180_000);
  let replay: Replay;
  before(async () => (replay = await Replay.create()));
  after(() => replay.remove());

  const review = (head: string, labels: string[] = []) => reviewPullRequest(replay, head, labels);

  it("a head that changes nothing: the comment says so and the job passes", async () => {
    const head = replay.commit("docs only", (dir) => fs.appendFileSync(path.join(dir, "docs", "cli.md"), "\nA sentence.\n"));
    const { job, comment } = await review(head);
    expect(job.status, planStep(job).output).to.equal("success");
    expect(comment).to.contain("No tenant stack changes");
    expect(replay.github.calls).to.deep.equal(["createComment"]);
  });

  it("a policy change: the comment carries that stack's diff, the state change flagged, and the job passes", async () => {
    const head = replay.commit("enforce CA005 for contoso", (dir) => {
      const file = path.join(dir, "stacks", "contoso-hybrid", "index.ts");
      const source = fs.readFileSync(file, "utf8");
      const edited = source.replace(
        '"CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice": { state: "reportOnly" },',
        '"CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice": { state: "enabled" },',
      );
      expect(edited, "the example stack still overrides CA005 to report-only").to.not.equal(source);
      fs.writeFileSync(file, edited);
    });
    const { job, comment } = await review(head);
    expect(job.status, comment).to.equal("success");
    expect(comment, planStep(job).output).to.contain("contoso-hybrid").and.contain("CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice");
    expect(comment).to.contain("state: report-only → enabled");
    expect(comment).to.not.contain("fabrikam-cloud");
    expect(comment).to.not.contain("No tenant stack changes");
    // The second review of the same PR updates the comment it wrote instead of adding another.
    expect(replay.github.calls.at(-1)).to.match(/^updateComment \d+$/);
  });

  // One head, two ways a plan is refused (a replay costs seconds, so the two stacks carry one case each).
  it("a head where one stack would lock the tenant out and the other's settings do not parse: the job fails, the comment says why for each", async () => {
    const head = replay.commit("block everyone, and a typo in a break-glass ID", (dir) => {
      const file = path.join(dir, "stacks", "fabrikam-cloud", "index.ts");
      const blockAll = `
  new azuread.ConditionalAccessPolicy("block-everyone", {
    displayName: "Block everyone",
    state: "enabled",
    conditions: { users: { includedUsers: ["All"] }, applications: { includedApplications: ["All"] }, clientAppTypes: ["all"] },
    grantControls: { operator: "OR", builtInControls: ["block"] },
  });
`;
      // Declared first thing in the composition function, before anything it returns.
      const source = fs.readFileSync(file, "utf8");
      const opening = /export function fabrikamCloud\([^)]*\)[^{]*\{\n/.exec(source);
      expect(opening, "the composition function is where the example stack declares").to.not.equal(null);
      const at = opening!.index + opening![0].length;
      fs.writeFileSync(file, `import * as azuread from "@pulumi/azuread";\n${source.slice(0, at)}${blockAll}${source.slice(at)}`);

      const settings = path.join(dir, "Pulumi.contoso-hybrid.yaml");
      const yaml = fs.readFileSync(settings, "utf8");
      const edited = yaml.replace(/objectId: [0-9a-f-]{36}/, "objectId: not-a-guid");
      expect(edited).to.not.equal(yaml);
      fs.writeFileSync(settings, edited);
    });
    const { job, comment } = await review(head);
    expect(job.status).to.equal("failure");
    expect(comment).to.contain("`fabrikam-cloud`: the head's plan was refused");
    expect(comment).to.contain("Block everyone").and.contain("locks the tenant out");
    expect(comment).to.contain("`contoso-hybrid`: the head's plan was refused");
    expect(comment).to.contain("Pulumi.contoso-hybrid.yaml").and.contain("must be a GUID");
    expect(comment).to.not.contain("No tenant stack changes");
  });
});
