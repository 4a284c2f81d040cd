import { spawnSync } from "node:child_process";
import * as path from "node:path";

/**
 * One line of `npm run bench`. Goals are ratios, never seconds: each is a multiple of the reference workload
 * measured in the same run (REFERENCE_ARGS), so a slow or busy machine slows both sides and fails nothing.
 */
export interface BenchResult {
  readonly name: string;
  readonly wallMs: number;
  /** Highest resident set size seen while it ran, in MiB. */
  readonly peakRssMiB: number;
  /**
   * Measured ratio to the reference, when the row measured its own (start-up: the median of A/B pairs run
   * alternately). Rows without one are divided by the run's reference median.
   */
  readonly ratio?: number;
  /** The goal: at most this many times the reference. */
  readonly maxRatio?: number;
  readonly note?: string;
}

/** Line a spawned process writes to stderr with its peak RSS in KiB (see bench/child-rss.js). */
export const CHILD_RSS_MARKER = "m365-baseline-bench-maxrss-kib=";
export const ROOT = path.resolve(__dirname, "..");

/**
 * The reference: a bare Node process that loads the Pulumi SDK and the two providers every tenant stack uses. It is
 * the floor any Pulumi program pays, so "plan start-up ≤ 1.5× this" says how much the CLI adds on top.
 */
export const REFERENCE_ARGS = ["-e", 'require("@pulumi/pulumi"); require("@pulumi/azuread"); require("@pulumi/random");'];

export interface ProcessRun {
  readonly wallMs: number;
  readonly peakRssMiB: number;
  readonly status: number | null;
  readonly stderr: string;
}

/** Runs `node <args>` in the project directory as a fresh process; wall time from spawn to exit, peak RSS reported by the child. */
export function runNode(args: readonly string[]): ProcessRun {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["-r", path.join(__dirname, "child-rss.js"), ...args], { cwd: ROOT, encoding: "utf8" });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const kib = Number(new RegExp(`${CHILD_RSS_MARKER}(\\d+)`).exec(child.stderr)?.[1] ?? NaN);
  return { wallMs, peakRssMiB: kib / 1024, status: child.status, stderr: child.stderr };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `work` once, timing it and sampling memory; the sampler keeps running during awaits. */
export async function measure<T>(name: string, work: () => Promise<T>, extra: Partial<BenchResult> = {}): Promise<{ result: BenchResult; value: T }> {
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const start = process.hrtime.bigint();
  try {
    const value = await work();
    const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result: { name, wallMs, peakRssMiB: peak / 2 ** 20, ...extra }, value };
  } finally {
    clearInterval(sampler);
  }
}
