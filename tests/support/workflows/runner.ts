import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { Contexts, evaluate, interpolate, interpolateValue, JobStatus } from "./expressions";

/**
 * Replays a GitHub Actions job on this machine the way a hosted runner executes it
 * (https://docs.github.com/actions/writing-workflows/workflow-syntax-for-github-actions): the workflow file is
 * parsed with the YAML library, each `run:` step runs in bash exactly as written (with the runner's default shell
 * options), `${{ … }}` is evaluated by GitHub's expression library, `$GITHUB_OUTPUT` becomes step and job outputs,
 * and `if:` and the status functions decide what runs after a failure. `uses:` steps go to emulators (actions.ts):
 * the only parts not run for real are other people's actions.
 */
export interface Workflow {
  readonly env?: Record<string, string>;
  readonly jobs: Record<string, JobDefinition>;
}

interface JobDefinition {
  readonly if?: string;
  readonly needs?: string | string[];
  readonly env?: Record<string, string>;
  readonly outputs?: Record<string, string>;
  readonly environment?: string;
  readonly strategy?: { readonly matrix?: unknown; readonly "max-parallel"?: number; readonly "fail-fast"?: boolean };
  readonly steps: StepDefinition[];
}

interface StepDefinition {
  readonly id?: string;
  readonly name?: string;
  readonly if?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly with?: Record<string, unknown>;
  readonly env?: Record<string, string>;
  readonly "working-directory"?: string;
}

/** What an emulated action sees and may do. */
export interface ActionCall {
  readonly inputs: Record<string, string>;
  readonly workspace: string;
  readonly contexts: Contexts;
}
export type ActionEmulator = (call: ActionCall) => ActionResult | Promise<ActionResult>;
export interface ActionResult {
  readonly exitCode: number;
  readonly outputs?: Record<string, string>;
}

export interface StepRecord {
  readonly name: string;
  readonly uses?: string;
  readonly inputs?: Record<string, string>;
  readonly skipped: boolean;
  readonly exitCode: number;
  readonly output: string;
}

export interface JobRun {
  readonly status: "success" | "failure" | "skipped";
  readonly outputs: Record<string, string>;
  readonly steps: readonly StepRecord[];
  readonly matrix?: Record<string, unknown>;
  readonly environment?: string;
  readonly workspace: string;
}

export interface RunnerOptions {
  /** github.* (event, sha, repository, …). */
  readonly github: Record<string, unknown>;
  readonly vars?: Record<string, string>;
  readonly secrets?: Record<string, string>;
  readonly actions: Record<string, ActionEmulator>;
  /** Extra environment for every step (the npm stand-in's PATH, a throwaway npm cache). */
  readonly env?: Record<string, string>;
  /** Bound on one step. */
  readonly stepTimeoutMs?: number;
}

export function readWorkflow(file: string): Workflow {
  return parseYaml(fs.readFileSync(file, "utf8")) as Workflow;
}

/** Runs one job: once, or once per matrix entry (each in a fresh workspace, as each gets a fresh runner). */
export async function runJob(workflow: Workflow, jobName: string, options: RunnerOptions, needs: Record<string, JobRun> = {}): Promise<JobRun[]> {
  const job = workflow.jobs[jobName];
  if (!job) throw new Error(`workflow has no job ${jobName}`);
  const needsContext = Object.fromEntries(Object.entries(needs).map(([k, run]) => [k, { outputs: run.outputs, result: run.status }]));
  const contexts: Contexts = { github: options.github, vars: options.vars ?? {}, secrets: options.secrets ?? {}, needs: needsContext, env: {} };
  // Workflow-level env may use the github, secrets, inputs and vars contexts (GitHub's "Context availability" table).
  const workflowEnv = Object.fromEntries(Object.entries(workflow.env ?? {}).map(([k, v]) => [k, interpolate(String(v), contexts)]));
  const base: Contexts = { ...contexts, env: workflowEnv };
  // A job's `if:` without a status function is implicitly `success() && (…)`, and success() is false when a job it
  // needs did not succeed: dependents of a skipped or failed job are skipped.
  const needsSucceeded: JobStatus = { failed: Object.values(needs).some((run) => run.status !== "success") };
  const condition = job.if === undefined ? "success()" : stripBraces(job.if);
  const explicitStatus = /\b(success|failure|always|cancelled)\(\)/.test(condition);
  const selected = truthy(evaluate(explicitStatus ? condition : `success() && (${condition})`, base, needsSucceeded));
  if (!selected) return [{ status: "skipped", outputs: {}, steps: [], workspace: "" }];
  const runs: JobRun[] = [];
  for (const matrix of matrixEntries(job, base))
    runs.push(await runOne(job, { ...base, matrix, strategy: { "max-parallel": job.strategy?.["max-parallel"] } }, options, matrix));
  return runs;
}

function matrixEntries(job: JobDefinition, contexts: Contexts): (Record<string, unknown> | undefined)[] {
  if (!job.strategy?.matrix) return [undefined];
  const matrix = interpolateValue(job.strategy.matrix, contexts) as Record<string, unknown>;
  const { include, exclude, ...axes } = matrix as { include?: Record<string, unknown>[]; exclude?: unknown };
  if (exclude) throw new Error("matrix exclude is not replayed; add it to tests/support/workflows/runner.ts");
  let entries: Record<string, unknown>[] = [{}];
  for (const [key, values] of Object.entries(axes)) entries = entries.flatMap((e) => (values as unknown[]).map((v) => ({ ...e, [key]: v })));
  if (Object.keys(axes).length === 0) entries = [];
  return [...entries, ...(include ?? [])];
}

async function runOne(job: JobDefinition, contexts: Contexts, options: RunnerOptions, matrix?: Record<string, unknown>): Promise<JobRun> {
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-runner-"));
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-runner-temp-"));
  const env: Record<string, string> = { ...(contexts.env as Record<string, string>) };
  for (const [k, v] of Object.entries(job.env ?? {})) env[k] = interpolate(String(v), { ...contexts, env });
  const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  const status: JobStatus = { failed: false };
  const records: StepRecord[] = [];
  const environment = job.environment === undefined ? undefined : interpolate(job.environment, contexts);

  for (const [index, step] of job.steps.entries()) {
    const stepContexts: Contexts = {
      ...contexts,
      env,
      steps,
      runner: { temp: runnerTemp, os: "Linux" },
      job: { status: status.failed ? "failure" : "success" },
    };
    const name = step.name ?? step.uses ?? (step.run ?? "").split("\n")[0];
    const condition = step.if === undefined ? "success()" : stripBraces(step.if);
    if (!truthy(evaluate(condition, stepContexts, status))) {
      records.push({ name, uses: step.uses, skipped: true, exitCode: 0, output: "" });
      continue;
    }
    const stepEnv = { ...env, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), stepContexts)])) };
    let result: { exitCode: number; output: string; outputs: Record<string, string>; inputs?: Record<string, string> };
    const started = Date.now();
    if (step.uses) {
      const inputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), { ...stepContexts, env: stepEnv })]));
      const action = step.uses.split("@")[0];
      const emulator = options.actions[action];
      if (!emulator) throw new Error(`no emulator for ${step.uses}: add one to tests/support/workflows/actions.ts`);
      const r = await emulator({ inputs, workspace, contexts: { ...stepContexts, env: stepEnv } });
      result = { exitCode: r.exitCode, output: "", outputs: r.outputs ?? {}, inputs };
    } else {
      result = await runScript(
        step,
        index,
        interpolate(step.run ?? "", { ...stepContexts, env: stepEnv }),
        workspace,
        runnerTemp,
        { ...options.env, ...stepEnv },
        options,
      );
    }
    // Where a replay spends its time, for whoever keeps `npm test` fast: REPLAY_TIMING=1.
    if (process.env.REPLAY_TIMING) process.stderr.write(`[replay] ${name}: ${Date.now() - started} ms\n`);
    if (step.id) steps[step.id] = { outputs: result.outputs, outcome: result.exitCode === 0 ? "success" : "failure" };
    if (result.exitCode !== 0) status.failed = true;
    records.push({ name, uses: step.uses, inputs: result.inputs, skipped: false, exitCode: result.exitCode, output: result.output });
  }

  const finalContexts: Contexts = { ...contexts, env, steps };
  const outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, interpolate(String(v), finalContexts)]));
  fs.rmSync(runnerTemp, { recursive: true, force: true });
  return { status: status.failed ? "failure" : "success", outputs, steps: records, matrix, environment, workspace };
}

/**
 * A `run:` step as the hosted runner runs it: written to a file, started by the step's shell. Without `shell:`, the
 * runner uses `bash -e {0}`; `shell: bash` is `bash --noprofile --norc -eo pipefail {0}` (workflow syntax,
 * "jobs.<job_id>.steps[*].shell").
 */
async function runScript(
  step: StepDefinition,
  index: number,
  script: string,
  workspace: string,
  runnerTemp: string,
  env: Record<string, string>,
  options: RunnerOptions,
) {
  const file = path.join(runnerTemp, `step-${index}.sh`);
  fs.writeFileSync(file, script);
  const outputFile = path.join(runnerTemp, `output-${index}`);
  fs.writeFileSync(outputFile, "");
  const shellArgs = step.shell === undefined ? ["-e", file] : step.shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail", file] : undefined;
  if (!shellArgs) throw new Error(`shell ${step.shell} is not replayed`);
  const cwd = step["working-directory"] ? path.join(workspace, step["working-directory"]) : workspace;
  // Asynchronous, as on a runner: a step may call a local service stand-in that lives in this test process.
  const child = spawn("bash", shellArgs, {
    cwd,
    timeout: options.stepTimeoutMs ?? 120_000,
    env: {
      ...process.env,
      ...env,
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_WORKSPACE: workspace,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: path.join(runnerTemp, `summary-${index}.md`),
      RUNNER_TEMP: runnerTemp,
    },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const status = await new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { exitCode: status ?? 1, output: `${stdout}${stderr}`, outputs: parseOutputs(fs.readFileSync(outputFile, "utf8")) };
}

/** `$GITHUB_OUTPUT`: `name=value` lines, or `name<<DELIMITER` … `DELIMITER` for multi-line values. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      outputs[heredoc[1]] = lines.slice(i + 1, end).join("\n");
      i = end;
    } else if (lines[i].includes("=")) {
      const at = lines[i].indexOf("=");
      outputs[lines[i].slice(0, at)] = lines[i].slice(at + 1);
    }
  }
  return outputs;
}

function stripBraces(condition: string): string {
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition);
  return whole ? whole[1].trim() : condition;
}

/** The runner's truthiness for `if:` (expressions docs: false, 0, -0, "", null are falsy). */
function truthy(value: unknown): boolean {
  return !(value === false || value === 0 || value === "" || value === null || value === undefined);
}
