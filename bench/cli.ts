import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BenchResult, CHILD_RSS_MARKER } from "./measure";

const ROOT = path.resolve(__dirname, "..");

/** What a user or CI job waits for: a fresh `m365-baseline` process, TypeScript compilation and module loading included. */
function runCli(args: readonly string[]): BenchResult & { status: number | null } {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "-r", path.join(__dirname, "child-rss.ts"), path.join(ROOT, "cli", "main.ts"), ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const kib = Number(new RegExp(`${CHILD_RSS_MARKER}(\\d+)`).exec(child.stderr)?.[1] ?? NaN);
  if (!child.stderr.includes(CHILD_RSS_MARKER)) throw new Error(`bench: \`m365-baseline ${args.join(" ")}\` did not report its memory: ${child.stderr}`);
  return { name: `m365-baseline ${args.filter((a) => !a.includes(path.sep)).join(" ")} (new process)`, wallMs, peakRssMiB: kib / 1024, status: child.status };
}

export async function bench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-bench-"));
  try {
    const results: BenchResult[] = [];
    for (const stack of ["contoso-hybrid", "fabrikam-cloud"]) {
      const { status, ...result } = runCli(["plan", "--stack", stack, "--json", path.join(dir, `${stack}.json`), "--markdown", path.join(dir, `${stack}.md`)]);
      if (status !== 0) throw new Error(`bench: plan ${stack} exited ${status}`);
      results.push({ ...result, targetMs: 2000 });
    }
    const { status, ...diff } = runCli(["diff", path.join(dir, "contoso-hybrid.json"), path.join(dir, "fabrikam-cloud.json"), "--markdown", path.join(dir, "diff.md")]);
    if (status !== 1) throw new Error(`bench: diff exited ${status}, expected 1 (changes)`);
    results.push(diff);
    return results;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
