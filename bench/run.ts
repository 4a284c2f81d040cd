import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BenchResult, median, REFERENCE_ARGS, runNode } from "./measure";

/**
 * `npm run bench`: measures the reference (a bare Node process loading the Pulumi SDKs, REFERENCE_ARGS) first, then
 * runs every `bench/<area>.ts` that exports `bench(): Promise<BenchResult[]>` and prints one table. Every goal is a
 * ratio to that reference, measured in the same run, so the exit code (1 when a goal is missed) does not depend on
 * how fast or busy the machine is.
 */
const OWN_MODULES = new Set(["run.ts", "measure.ts"]);
const REFERENCE_RUNS = 5;

async function main(): Promise<void> {
  runNode(REFERENCE_ARGS); // warm-up: file cache
  const referenceRuns = Array.from({ length: REFERENCE_RUNS }, () => runNode(REFERENCE_ARGS).wallMs);
  const referenceMs = median(referenceRuns);
  const modules = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith(".ts") && !OWN_MODULES.has(f))
    .sort();
  const rows: BenchResult[] = [];
  for (const file of modules) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- each bench module is found at run time
    const loaded = require(path.join(__dirname, file)) as { bench?: () => Promise<BenchResult[]> };
    if (typeof loaded.bench !== "function") continue;
    if (process.stderr.isTTY) process.stderr.write(`… bench/${file}\n`);
    rows.push(...(await loaded.bench()));
  }
  const scored = rows.map((r) => ({ ...r, ratio: r.ratio ?? r.wallMs / referenceMs }));
  process.stdout.write(renderTable(scored, referenceMs));
  if (scored.some((r) => r.maxRatio !== undefined && r.ratio > r.maxRatio)) process.exitCode = 1;
}

function renderTable(rows: readonly (BenchResult & { ratio: number })[], referenceMs: number): string {
  return [
    `m365-baseline bench — node ${process.version}, ${os.cpus().length} CPUs`,
    "",
    `reference: \`node ${REFERENCE_ARGS.join(" ")}\` — median ${(referenceMs / 1000).toFixed(3)} s of ${REFERENCE_RUNS} runs.`,
    "Goals are multiples of the reference measured in this run, so they hold on any machine.",
    "",
    "| what | wall time | peak RSS | × reference | goal |",
    "|---|---:|---:|---:|---|",
    ...rows.map((r) => {
      const goal = r.maxRatio === undefined ? "" : `${r.ratio <= r.maxRatio ? "✔" : "✘"} ≤ ${r.maxRatio}×`;
      return `| ${r.name}${r.note ? ` (${r.note})` : ""} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.peakRssMiB.toFixed(0)} MiB | ${r.ratio.toFixed(2)} | ${goal} |`;
    }),
    "",
  ].join("\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
