/** One line of `npm run bench`. Other areas' bench modules (e.g. bench/whatif.ts) export `bench(): Promise<BenchResult[]>`. */
export interface BenchResult {
  readonly name: string;
  readonly wallMs: number;
  /** Highest resident set size seen while it ran, in MiB (sampled every 5 ms, and the process's max RSS so far). */
  readonly peakRssMiB: number;
  /** Target it is held to, if any, e.g. 2000 for "a single-tenant plan in under 2 s". */
  readonly targetMs?: number;
  readonly note?: string;
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

/** Line a spawned CLI process writes to stderr with its peak RSS in KiB (see bench/child-rss.ts). */
export const CHILD_RSS_MARKER = "m365-baseline-bench-maxrss-kib=";
