import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import picomatch from "picomatch";
import type { ActionEmulator } from "./runner";

/**
 * Stand-ins for the actions the workflows use, each doing what its documentation says to the local machine:
 * checkout clones the throwaway repository, the artifact actions copy files through a folder, github-script runs the
 * workflow's own script against a recording GitHub client. Actions that reach outside (Azure sign-in, Pulumi Cloud)
 * only record the inputs they were given, which the tests assert.
 */
export interface GitHubComment {
  readonly id: number;
  body: string;
  readonly user: { readonly type: string };
}

export interface FakeGitHub {
  readonly comments: GitHubComment[];
  readonly calls: string[];
}

export function createFakeGitHub(): FakeGitHub {
  return { comments: [], calls: [] };
}

export interface EmulatorOptions {
  /** The git repository actions/checkout clones from. */
  readonly repository: string;
  /** Where upload-artifact puts artifacts and download-artifact takes them from (one folder per name). */
  readonly artifacts: string;
  readonly github: FakeGitHub;
}

export function emulators(options: EmulatorOptions): Record<string, ActionEmulator> {
  const recordOnly: ActionEmulator = () => ({ exitCode: 0 });
  return {
    // https://github.com/actions/checkout: `path` under the workspace, `ref` (default: the event's commit).
    "actions/checkout": ({ inputs, workspace, contexts }) => {
      const dest = path.join(workspace, inputs.path ?? "");
      const ref = inputs.ref || String((contexts.github as { sha: string }).sha);
      fs.mkdirSync(dest, { recursive: true });
      execFileSync("git", ["-c", "advice.detachedHead=false", "clone", "-q", options.repository, dest]);
      execFileSync("git", ["-C", dest, "-c", "advice.detachedHead=false", "checkout", "-q", ref]);
      return { exitCode: 0 };
    },
    "actions/setup-node": recordOnly,
    // https://github.com/actions/upload-artifact: newline-separated paths and globs, relative to the workspace.
    "actions/upload-artifact": ({ inputs, workspace }) => {
      const dest = path.join(options.artifacts, inputs.name);
      const patterns = inputs.path
        .split("\n")
        .map((p) => p.trim())
        .filter(Boolean);
      const matches = picomatch(patterns);
      const files = fs
        .readdirSync(workspace, { recursive: true })
        .map(String)
        .filter((f) => matches(f) && fs.statSync(path.join(workspace, f)).isFile());
      for (const file of files) fs.cpSync(path.join(workspace, file), path.join(dest, path.basename(file)));
      return { exitCode: files.length > 0 ? 0 : 1 };
    },
    // https://github.com/actions/download-artifact: the named artifact's files into the workspace.
    "actions/download-artifact": ({ inputs, workspace }) => {
      const source = path.join(options.artifacts, inputs.name);
      if (!fs.existsSync(source)) return { exitCode: 1 };
      fs.cpSync(source, path.join(workspace, inputs.path ?? ""), { recursive: true });
      return { exitCode: 0 };
    },
    // https://github.com/actions/github-script: the script is the body of an async function given github, context,
    // core and require, run in the workspace.
    "actions/github-script": async ({ inputs, workspace, contexts }) => {
      const repository = String((contexts.github as { repository: string }).repository);
      const [owner, repo] = repository.split("/");
      const github = recordingClient(options.github);
      const cwd = process.cwd();
      process.chdir(workspace);
      try {
        const run = new Function("require", "github", "context", "core", `return (async () => {\n${inputs.script}\n})();`);
        await run(require, github, { repo: { owner, repo } }, { setFailed: (m: string) => options.github.calls.push(`setFailed ${m}`) });
        return { exitCode: 0 };
      } catch (err) {
        options.github.calls.push(`failed ${String(err)}`);
        return { exitCode: 1 };
      } finally {
        process.chdir(cwd);
      }
    },
    "azure/login": recordOnly,
    "pulumi/auth-actions": recordOnly,
    "pulumi/actions": recordOnly,
  };
}

/** Octokit's shape, as far as the comment workflow uses it. */
function recordingClient(state: FakeGitHub) {
  let nextId = 1000 + state.comments.length;
  const issues = {
    listComments: async () => ({ data: state.comments }),
    createComment: async ({ body }: { body: string }) => {
      state.calls.push("createComment");
      state.comments.push({ id: ++nextId, body, user: { type: "Bot" } });
    },
    updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
      state.calls.push(`updateComment ${comment_id}`);
      const comment = state.comments.find((c) => c.id === comment_id);
      if (!comment) throw new Error(`no comment ${comment_id}`);
      comment.body = body;
    },
  };
  return { rest: { issues }, paginate: async (method: () => Promise<{ data: unknown[] }>) => (await method()).data };
}
