#!/usr/bin/env node
// `npm test`'s first step: the type check of everything (tests included) and the build (dist/, which the CLI,
// package and workflow tests run) are independent, so they run side by side on the machine's cores, not one after
// the other. Either failing fails the step, with its own output.
const { spawn } = require("node:child_process");

function run(label, args) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("close", (code) => resolve({ label, code, output }));
  });
}

Promise.all([run("typecheck", [require.resolve("typescript/bin/tsc"), "--noEmit", "-p", "."]), run("build", ["scripts/build.js"])]).then((results) => {
  for (const r of results) if (r.output) process.stderr.write(`--- ${r.label} ---\n${r.output}`);
  const failed = results.filter((r) => r.code !== 0);
  for (const r of failed) process.stderr.write(`${r.label} failed (exit ${r.code})\n`);
  process.exit(failed.length > 0 ? 1 : 0);
});
