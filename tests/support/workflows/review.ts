import { expect } from "chai";
import type { Replay } from "./replay";
import type { JobRun } from "./runner";

/** How the comment job marks the one comment it keeps updated on a pull request. */
export const COMMENT_MARKER = "<!-- m365-baseline plan review -->";
const PR_NUMBER = 42;

/**
 * A pull request's review as GitHub chains it: review-plan.yml's job on the head commit, then review-plan-comment.yml
 * on its artifact (workflow_run). Returns the review job and the PR's one review comment, updated in place.
 */
export async function reviewPullRequest(replay: Replay, head: string, labels: readonly string[] = []): Promise<{ job: JobRun; comment: string }> {
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

/** The review job's step that plans and diffs (its output explains a failure). */
export function planStep(job: JobRun): JobRun["steps"][number] {
  return job.steps.find((s) => s.name === "Plan and diff every tenant stack")!;
}
