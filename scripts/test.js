#!/usr/bin/env node
// Test launcher: runs mocha with the throwaway certificate the local service stand-ins use (scripts/test-tls.js).
// Arguments are passed to mocha (e.g. a spec glob); without one, the whole suite runs, files in parallel.
const os = require("node:os");
const { runWithTestTls } = require("./test-tls");

async function main() {
  const mocha = require.resolve("mocha/bin/mocha.js");
  const args = process.argv.slice(2);
  const wholeSuite = !args.some((a) => !a.startsWith("-"));
  // The whole suite runs its files in parallel, one worker per core: much of it waits on child processes (packing,
  // npx, replayed workflows, the provider host), so two workers on two cores finish in about two thirds of the time.
  const specs = wholeSuite ? ["--parallel", `--jobs=${Math.max(2, os.cpus().length)}`, "tests/**/*.test.ts"] : [];
  process.exit(await runWithTestTls([mocha, ...args, ...specs]));
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
