import { expect } from "chai";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { consumerLock, npm, npx, packInto, ROOT } from "../support/packed";

const FIXTURE = path.join(ROOT, "tests", "fixtures", "consumer");
const BREAK_GLASS_ID = "7d3e9f10-2b4c-4d5e-8f6a-0b1c2d3e4f5a"; // Pulumi.northwind-test.yaml in the fixture

/**
 * Issue 11: the package as a user gets it. Packs the project, installs the tarball into a separate Pulumi project,
 * compiles that project's program with `tsc --strict` against the installed types, and runs the installed command
 * through `npx` the way the README and the workflows do.
 */
describe("the packed npm package in another Pulumi project", function () {
  this.timeout(120_000);
  let dir: string;
  const cli = (args: readonly string[]) => npx(["m365-baseline", ...args], { cwd: dir });

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-consumer-"));
    fs.cpSync(FIXTURE, dir, { recursive: true });
    const tarball = packInto(dir);
    fs.writeFileSync(
      path.join(dir, "package.json"),
      JSON.stringify({ name: "consumer-baseline", version: "1.0.0", private: true, dependencies: { "m365-baseline": `file:${tarball}` } }),
    );
    fs.writeFileSync(path.join(dir, "package-lock.json"), JSON.stringify(consumerLock("consumer-baseline", tarball)));
    npm(["ci", "--offline", "--no-audit", "--no-fund"], { cwd: dir });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("ships compiled JavaScript, declarations and the CLI, and no TypeScript source, tests or example stacks", () => {
    const installed = path.join(dir, "node_modules", "m365-baseline");
    const files = fs.readdirSync(installed, { recursive: true }).map(String);
    expect(files).to.include.members([path.join("dist", "index.js"), path.join("dist", "index.d.ts"), path.join("dist", "cli", "bin.js")]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).to.deep.equal([]);
    expect(files.filter((f) => /^(tests|stacks|bench)\b/.test(f) || f.includes(`dist${path.sep}stacks`))).to.deep.equal([]);
    const pkg = JSON.parse(fs.readFileSync(path.join(installed, "package.json"), "utf8"));
    expect(pkg.dependencies).to.not.have.any.keys("ts-node", "typescript");
  });

  it("types the library for a strict TypeScript program: main entry and subpaths", () => {
    // The consumer's program uses the top-level entry, `m365-baseline/whatif` and `m365-baseline/conditional-access`.
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", dir], { cwd: dir, encoding: "utf8", stdio: "pipe" });
    expect(fs.existsSync(path.join(dir, "bin", "index.js"))).to.equal(true);
  });

  it("npx m365-baseline --version prints the package version, --help lists every subcommand", () => {
    const version = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string }).version;
    expect(cli(["--version"]).trim()).to.equal(version);
    const help = cli(["--help"]);
    for (const command of ["plan", "diff", "whatif", "new-tenant", "discover"]) expect(help).to.match(new RegExp(`^\\s+${command}\\b`, "m"));
  });

  it("npx m365-baseline plan runs the consumer's own program under the mock runtime, with the built-in exclusions", () => {
    const planFile = path.join(dir, "plan.json");
    const markdown = cli(["plan", "--stack", "northwind-test", "--json", planFile, "--markdown", path.join(dir, "plan.md")]);
    expect(markdown).to.equal("");
    const plan = JSON.parse(fs.readFileSync(planFile, "utf8")) as {
      stack: string;
      project: string;
      resources: { name: string; type: string; inputs: { conditions: { users: { excludedUsers: string[] } } } }[];
    };
    expect(plan.project).to.equal("consumer-baseline");
    const policies = plan.resources.filter((r) => r.type === "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy");
    expect(policies.map((p) => p.name).sort()).to.deep.equal(["CA002-Global-AllApps-BlockLegacyAuthentication", "CA003-Admins-AllApps-RequireMFA"]);
    for (const policy of policies) expect(policy.inputs.conditions.users.excludedUsers).to.include(BREAK_GLASS_ID);
    expect(fs.readFileSync(path.join(dir, "plan.md"), "utf8")).to.contain("# Plan for tenant stack `northwind-test`");
  });

  it("npx m365-baseline plan of an unknown stack fails with exit code 2 and says which stacks exist", () => {
    let failure: { status?: number; stderr?: string } = {};
    try {
      cli(["plan", "--stack", "no-such-tenant"]);
    } catch (err) {
      failure = err as { status?: number; stderr?: string };
    }
    expect(failure.status).to.equal(2);
    expect(failure.stderr).to.contain("Pulumi.no-such-tenant.yaml").and.contain("northwind-test");
  });
});
