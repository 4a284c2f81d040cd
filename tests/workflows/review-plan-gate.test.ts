import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { Replay } from "../support/workflows/replay";
import { planStep, reviewPullRequest } from "../support/workflows/review";

/**
 * Issue 17's risk gate, in its own file so the suite's two workers share the replays (each replay costs seconds).
 * Issue 11: the review gate "silently did nothing" — a pull request adding an enabled block-all policy got "No
 * tenant stack changes" and a green check. These replay review-plan.yml (plan and diff on base and head) and then
 * review-plan-comment.yml (post the artifact as the PR comment) on throwaway commits, and state what a reviewer
 * must see in each case.
 */
describe("review-plan risk gate (diff --fail-on), replayed on a base and a head commit", function () {
  this.timeout(180_000);
  let replay: Replay;
  before(async () => (replay = await Replay.create()));
  after(() => replay.remove());

  const review = (head: string, labels: string[] = []) => reviewPullRequest(replay, head, labels);

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
