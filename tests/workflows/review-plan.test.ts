import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { Replay } from "../support/workflows/replay";
import type { JobRun } from "../support/workflows/runner";

const COMMENT_MARKER = "<!-- m365-baseline plan review -->";
const PR_NUMBER = 42;

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

  /** The review job, then the comment job on its artifact, as GitHub chains them (workflow_run). */
  async function review(head: string, labels: string[] = []): Promise<{ job: JobRun; comment: string }> {
    const pullRequest = { number: PR_NUMBER, base: { sha: replay.base }, head: { sha: head, repo: { full_name: "contoso/tenants" } } };
    const event = { pull_request: { ...pullRequest, labels: labels.map((name) => ({ name })) } };
    const [job] = await replay.run("review-plan.yml", "plan-diff", { event, sha: head, event_name: "pull_request" });
    const [commentJob] = await replay.run("review-plan-comment.yml", "comment", {
      event: { workflow_run: { id: 7, event: "pull_request" } },
      event_name: "workflow_run",
    });
    expect(commentJob.status, replay.github.calls.join("\n")).to.equal("success");
    const mine = replay.github.comments.filter((c) => c.body.startsWith(COMMENT_MARKER));
    expect(mine, "exactly one review comment on the PR, updated in place").to.have.length(1);
    return { job, comment: mine[0].body };
  }
  const planStep = (job: JobRun) => job.steps.find((s) => s.name === "Plan and diff every tenant stack")!;

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

  it("a head that adds an enabled block-all policy: the job fails and the comment says which policy locks whom out", async () => {
    const head = replay.commit("block everyone", (dir) => {
      const file = path.join(dir, "stacks", "fabrikam-cloud", "index.ts");
      const blockAll = `
  new azuread.ConditionalAccessPolicy("block-everyone", {
    displayName: "Block everyone",
    state: "enabled",
    conditions: { users: { includedUsers: ["All"] }, applications: { includedApplications: ["All"] }, clientAppTypes: ["all"] },
    grantControls: { operator: "OR", builtInControls: ["block"] },
  });
}
`;
      const source = fs.readFileSync(file, "utf8").trimEnd();
      expect(source.endsWith("}"), "the composition function ends the file").to.equal(true);
      fs.writeFileSync(file, `import * as azuread from "@pulumi/azuread";\n${source.slice(0, -1)}${blockAll}`);
    });
    const { job, comment } = await review(head);
    expect(job.status).to.equal("failure");
    expect(comment).to.contain("`fabrikam-cloud`: the head's plan was refused");
    expect(comment).to.contain("Block everyone").and.contain("locks the tenant out");
    expect(comment).to.not.contain("No tenant stack changes");
  });

  it("a head that does not plan (bad tenant settings): the job fails and the comment carries the error", async () => {
    const head = replay.commit("typo in a break-glass ID", (dir) => {
      const file = path.join(dir, "Pulumi.fabrikam-cloud.yaml");
      const source = fs.readFileSync(file, "utf8");
      const edited = source.replace(/objectId: [0-9a-f-]{36}/, "objectId: not-a-guid");
      expect(edited).to.not.equal(source);
      fs.writeFileSync(file, edited);
    });
    const { job, comment } = await review(head);
    expect(job.status).to.equal("failure");
    expect(comment).to.contain("`fabrikam-cloud`: the head's plan was refused");
    expect(comment).to.contain("Pulumi.fabrikam-cloud.yaml").and.contain("must be a GUID");
  });

  it("a head that widens a trusted location to half the internet: the risk gate fails the check until a reviewer accepts it by label", async () => {
    // Issue 17's dangerous part: 0.0.0.0/1 added to Contoso's trusted offices. The reviewer must be stopped, not
    // just told, and must be able to go on once they have read it.
    const head = replay.commit("trust half the internet", (dir) => {
      const file = path.join(dir, "stacks", "contoso-hybrid", "index.ts");
      const source = fs.readFileSync(file, "utf8");
      const edited = source.replace('"198.51.100.16/28"]', '"198.51.100.16/28", "0.0.0.0/1"]');
      expect(edited, "the example stack still declares Contoso's trusted offices").to.not.equal(source);
      fs.writeFileSync(file, edited);
    });
    const refused = await review(head);
    expect(refused.job.status, planStep(refused.job).output).to.equal("failure");
    expect(refused.comment, refused.comment).to.contain("`contoso-hybrid`: risks at `high` severity or above");
    expect(refused.comment).to.contain("0.0.0.0/1").and.contain("Contoso offices");
    expect(refused.comment).to.contain("`m365-baseline/risk-accepted` label");

    const accepted = await review(head, ["m365-baseline/risk-accepted"]);
    expect(accepted.job.status, planStep(accepted.job).output).to.equal("success");
    expect(accepted.comment).to.contain("accepted by the `m365-baseline/risk-accepted` label").and.contain("0.0.0.0/1");
  });
});
