import * as fs from "node:fs";
import * as path from "node:path";
import type { BenchResult } from "./measure";

/**
 * `npm run bench`: runs bench/plan.ts, then every other `bench/<area>.ts` that exports `bench(): Promise<BenchResult[]>`
 * (e.g. bench/whatif.ts), and prints one table. Timings are in-process; see each module for what it includes.
 */
const OWN_MODULES = new Set(["run.ts", "measure.ts", "child-rss.ts"]);

async function main(): Promise<void> {
  const modules = ["plan.ts", ...fs.readdirSync(__dirname).filter((f) => f.endsWith(".ts") && !OWN_MODULES.has(f) && f !== "plan.ts").sort()];
  const rows: BenchResult[] = [];
  for (const file of modules) {
    const loaded = require(path.join(__dirname, file)) as { bench?: () => Promise<BenchResult[]> };
    if (typeof loaded.bench !== "function") continue;
    if (process.stderr.isTTY) process.stderr.write(`… bench/${file}\n`);
    rows.push(...(await loaded.bench()));
  }
  process.stdout.write(renderTable(rows));
  if (rows.some((r) => r.targetMs !== undefined && r.wallMs > r.targetMs)) process.exitCode = 1;
}

function renderTable(rows: readonly BenchResult[]): string {
  const lines = [
    `m365-baseline bench — node ${process.version}, ${require("node:os").cpus().length} CPUs`,
    "",
    "| what | wall time | peak RSS | target |",
    "|---|---:|---:|---|",
    ...rows.map((r) => {
      const target = r.targetMs === undefined ? "" : `${r.wallMs <= r.targetMs ? "✔" : "✘"} < ${r.targetMs / 1000} s`;
      return `| ${r.name}${r.note ? ` (${r.note})` : ""} | ${(r.wallMs / 1000).toFixed(2)} s | ${r.peakRssMiB.toFixed(0)} MiB | ${target} |`;
    }),
    "",
  ];
  return lines.join("\n");
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(2);
});
