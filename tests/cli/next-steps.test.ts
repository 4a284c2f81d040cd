import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CLI } from "../../lib/command";
import { npx, ROOT } from "../support/packed";
import { tempProject } from "./temp-project";

/**
 * Issue 11: `npx m365-baseline …` printed nothing and exited 0, so CI gates passed without running; and the CLI told
 * users to run `m365-baseline …`, which is on nobody's PATH. These run the command as users and workflows do, in a
 * real process, with a throwaway npm cache so no earlier npx run can stand in for this one.
 */
describe("npx m365-baseline, as the README, the workflows and the CLI's own next steps say", function () {
  this.timeout(60_000);
  let cache: string;
  before(() => (cache = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-npm-cache-"))));
  after(() => fs.rmSync(cache, { recursive: true, force: true }));
  // npx links the project it runs in and would run its `prepare` (a rebuild of dist/ under other tests' feet);
  // `npm test` has just built it, and the workflows switch scripts off the same way.
  const run = (args: readonly string[], cwd: string) =>
    npx(["m365-baseline", ...args], { cwd, env: { ...process.env, npm_config_cache: cache, npm_config_ignore_scripts: "true" } });

  it("from the project root, plan --stack contoso-hybrid prints the plan", () => {
    const out = run(["plan", "--stack", "contoso-hybrid"], ROOT);
    expect(out).to.match(/^# Plan for tenant stack `contoso-hybrid`/);
    expect(out).to.contain("CA001-Global-AllApps-RequireTermsOfUse");
  });

  it("a failing plan is a failing process: exit code 2 and the reason on stderr", () => {
    let failure: { status?: number; stderr?: string; stdout?: string } = {};
    try {
      run(["plan", "--stack", "no-such-tenant"], ROOT);
    } catch (err) {
      failure = err as typeof failure;
    }
    expect(failure.status).to.equal(2);
    expect(failure.stderr).to.contain("Pulumi.no-such-tenant.yaml");
    expect(failure.stdout).to.equal("");
  });

  it("every command new-tenant tells the user to run is a command that runs", () => {
    const project = tempProject();
    try {
      const printed = run(["new-tenant", "scaffold-check", "--hybrid"], project.root);
      const commands = printed.split("\n").flatMap((line) => [...line.matchAll(new RegExp(`${CLI} [^\`\\n]+`, "g"))].map((m) => m[0].trim()));
      expect(commands).to.include(`${CLI} plan --stack scaffold-check`);
      expect(printed).to.not.match(/(^|[^x] )m365-baseline (plan|discover)/m, "a bare m365-baseline command is on nobody's PATH");
      const plan = commands.find((c) => c.includes(" plan "))!;
      let failure: { status?: number; stderr?: string } = {};
      try {
        run(plan.slice(CLI.length + 1).split(" "), project.root);
      } catch (err) {
        failure = err as typeof failure;
      }
      // It runs, and refuses the unfilled scaffold exactly as new-tenant said it would.
      expect(failure.status).to.equal(2);
      expect(failure.stderr).to.contain("is still a placeholder");
      // preflight is printed too, and refuses the unfilled settings before it signs in to anything.
      const preflight = commands.find((c) => c.includes(" preflight "))!;
      expect(preflight).to.equal(`${CLI} preflight --stack scaffold-check`);
      let refused: { status?: number; stderr?: string } = {};
      try {
        run(preflight.slice(CLI.length + 1).split(" "), project.root);
      } catch (err) {
        refused = err as typeof refused;
      }
      expect(refused.status).to.equal(2);
      expect(refused.stderr).to.contain("tenantId");
    } finally {
      project.remove();
    }
  });
});
