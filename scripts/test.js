#!/usr/bin/env node
// Test launcher: runs mocha with the throwaway certificate the local service stand-ins use (scripts/test-tls.js).
// Arguments are passed to mocha (e.g. a spec glob); without one, the whole suite runs, files in parallel.
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { runWithTestTls } = require("./test-tls");

// The files that replay workflows or drive Pulumi's provider host take most of the suite's time. Mocha hands files
// to its workers in the order given, so these go first: the short files then fill in around them, and no worker is
// left running a long file alone at the end (longest first is what balances parallel work).
const LONGEST_FIRST = ["tests/workflows/", "tests/managed/fault-matrix", "tests/package/", "tests/cli/"];

function specs() {
  const files = fs
    .readdirSync("tests", { recursive: true })
    .map((f) => path.join("tests", String(f)).split(path.sep).join("/"))
    .filter((f) => f.endsWith(".test.ts"))
    .sort();
  const rank = (f) => {
    const i = LONGEST_FIRST.findIndex((prefix) => f.startsWith(prefix));
    return i === -1 ? LONGEST_FIRST.length : i;
  };
  return files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

async function main() {
  const mocha = require.resolve("mocha/bin/mocha.js");
  const args = process.argv.slice(2);
  const wholeSuite = !args.some((a) => !a.startsWith("-"));
  // The whole suite runs its files in parallel, one worker per core: much of it waits on child processes (packing,
  // npx, replayed workflows, the provider host), so two workers on two cores finish in about two thirds of the time.
  const run = wholeSuite ? ["--parallel", `--jobs=${Math.max(2, os.cpus().length)}`, ...specs()] : [];
  process.exit(await runWithTestTls([mocha, ...args, ...run]));
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
