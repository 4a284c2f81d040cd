import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createFakeGitHub, emulators, FakeGitHub } from "./actions";
import { loadExpressions } from "./expressions";
import { JobRun, readWorkflow, runJob } from "./runner";
import { locateProgram } from "../../../lib/plan/program";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const WORKFLOWS = path.join(ROOT, ".github", "workflows");

/**
 * A throwaway git repository holding a copy of this project (the files git would commit, as they are in the working
 * tree) as its first commit, where tests add head commits and replay the workflows between them.
 */
export class Replay {
  readonly repository: string;
  readonly base: string;
  readonly github: FakeGitHub = createFakeGitHub();
  private readonly scratch: string;
  private readonly artifacts: string;
  private readonly standIn: string;
  private readonly workspaces: string[] = [];

  private constructor() {
    this.scratch = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-replay-"));
    this.repository = path.join(this.scratch, "repo");
    this.artifacts = path.join(this.scratch, "artifacts");
    this.standIn = path.join(this.scratch, "bin");
    const files = git(ROOT, ["ls-files", "--cached", "--others", "--exclude-standard", "-z"])
      .split("\0")
      .filter((f) => f && fs.existsSync(path.join(ROOT, f)));
    for (const file of files) fs.cpSync(path.join(ROOT, file), path.join(this.repository, file));
    git(this.repository, ["init", "-q", "-b", "main"]);
    git(this.repository, ["add", "-A"]);
    this.base = this.commitAll("base");
    const cache = path.join(this.scratch, "build-cache");
    writeNpmStandIn(this.standIn, cache);
    seedBaseBuild(this.repository, cache);
  }

  static async create(): Promise<Replay> {
    await loadExpressions();
    return new Replay();
  }

  /** A new commit on top of `from` (default: the base) with `edit` applied to the tree; returns its SHA. */
  commit(message: string, edit: (dir: string) => void, from: string = this.base): string {
    git(this.repository, ["-c", "advice.detachedHead=false", "checkout", "-q", "--detach", from]);
    edit(this.repository);
    return this.commitAll(message);
  }

  /** Replays `job` of `.github/workflows/<file>` with `github` as the event context, after the jobs it needs. */
  async run(
    file: string,
    job: string,
    github: Record<string, unknown>,
    needs: Record<string, JobRun> = {},
    vars: Record<string, string> = {},
    /** Extra environment for every step (e.g. what a tenant's sign-in needs, pointed at a local server). */
    env: Record<string, string> = {},
  ): Promise<JobRun[]> {
    const runs = await runJob(
      readWorkflow(path.join(WORKFLOWS, file)),
      job,
      {
        github: { repository: "contoso/tenants", workspace: "", ...github },
        vars,
        secrets: { GITHUB_TOKEN: "ghs_replay_token" },
        actions: emulators({ repository: this.repository, artifacts: this.artifacts, github: this.github }),
        env: {
          PATH: `${this.standIn}${path.delimiter}${process.env.PATH}`,
          // npx links the project it runs in through its cache: a throwaway one, so no earlier run stands in.
          npm_config_cache: path.join(this.scratch, "npm-cache"),
          REPLAY_NODE_MODULES: path.join(ROOT, "node_modules"),
          ...env,
        },
      },
      needs,
    );
    this.workspaces.push(...runs.map((r) => r.workspace).filter(Boolean));
    return runs;
  }

  remove(): void {
    for (const dir of [...this.workspaces, this.scratch]) fs.rmSync(dir, { recursive: true, force: true });
  }

  private commitAll(message: string): string {
    git(this.repository, ["add", "-A"]);
    git(this.repository, ["-c", "user.name=replay", "-c", "user.email=replay@example.invalid", "commit", "-q", "--allow-empty", "-m", message]);
    return git(this.repository, ["rev-parse", "HEAD"]).trim();
  }
}

function git(cwd: string, args: readonly string[]): string {
  return execFileSync("git", args, { cwd, encoding: "utf8" });
}

/** What the build reads (scripts/build.js, tsconfig.build.json): the key of a build in the cache. */
const BUILD_INPUTS = [
  "index.ts",
  "program.ts",
  "cli",
  "components",
  "lib",
  "stacks",
  "scripts",
  "package.json",
  "package-lock.json",
  "tsconfig.json",
  "tsconfig.build.json",
];

/**
 * The base commit is this working tree, which `npm test` has just built: its dist/ is the base's build when it is
 * fresh (no source newer than its stamp), so no replay compiles the base again.
 */
function seedBaseBuild(repository: string, cache: string): void {
  if (!locateProgram(ROOT).compiled) return;
  const listing = git(repository, ["ls-tree", "-r", "HEAD", "--", ...BUILD_INPUTS]);
  const tree = execFileSync("git", ["hash-object", "--stdin"], { cwd: repository, input: listing, encoding: "utf8" }).trim();
  fs.cpSync(path.join(ROOT, "dist"), path.join(cache, tree), { recursive: true });
}

/**
 * `npm` for replayed steps. It stands in for the registry download only: `npm ci` links this project's installed
 * node_modules (the same lockfile), and `npm run build` runs the real build once per distinct set of build inputs
 * (hashed from git), the way a build cache would, so the base commit shared by every case is compiled once. Everything else
 * goes to the real npm.
 */
function writeNpmStandIn(dir: string, cache: string): void {
  const realNpm = process.env.npm_execpath?.endsWith("npm-cli.js")
    ? process.env.npm_execpath
    : execFileSync("bash", ["-c", "readlink -f $(command -v npm)"], { encoding: "utf8" }).trim();
  fs.mkdirSync(dir, { recursive: true });
  const script = `#!/usr/bin/env bash
set -e
real=${JSON.stringify(realNpm)}
cache=${JSON.stringify(cache)}
if [ "$1" = ci ]; then ln -sfn "$REPLAY_NODE_MODULES" node_modules; exit 0; fi
if [ "$1" = run ] && [ "$2" = build ]; then
  # What the build reads (scripts/build.js, tsconfig.build.json): a docs-only commit reuses the base's build.
  tree=$(git ls-tree -r HEAD -- ${BUILD_INPUTS.join(" ")} | git hash-object --stdin)
  if [ -d "$cache/$tree" ]; then rm -rf dist; cp -r "$cache/$tree" dist; exit 0; fi
  # A build starts from the last one, as a CI cache of dist/ would: the build is incremental (scripts/build.js), and
  # every workspace sits at the same depth, so the paths tsc recorded (relative, through the linked node_modules) hold.
  last=$(cat "$cache/last-tree" 2>/dev/null || true)
  if [ -n "$last" ] && [ -d "$cache/$last" ] && [ ! -e dist ]; then cp -r "$cache/$last" dist; fi
  node "$real" run build >&2
  mkdir -p "$cache" && cp -r dist "$cache/$tree.partial" && mv "$cache/$tree.partial" "$cache/$tree" && echo "$tree" > "$cache/last-tree"
  exit 0
fi
exec node "$real" "$@"
`;
  fs.writeFileSync(path.join(dir, "npm"), script, { mode: 0o755 });
}
