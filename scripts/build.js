#!/usr/bin/env node
// `npm run build` (also `prepare`, so `npm ci` in a clone and `npm pack` build it): compiles the library, the CLI
// and the example stacks with tsc into dist/, then writes dist/.build-stamp.json. `plan` runs the compiled
// program only while that stamp is newer than every source file it lists (lib/plan/program.ts), so an edit made
// after the build is planned from source, never from a stale copy.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const config = path.join(root, "tsconfig.build.json");
const { compilerOptions, include } = JSON.parse(fs.readFileSync(config, "utf8"));
const outDir = compilerOptions.outDir;

fs.rmSync(path.join(root, outDir), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", config], { cwd: root, stdio: "inherit" });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
fs.chmodSync(path.join(root, outDir, "cli", "bin.js"), 0o755);
// The source roots: the top folder of each include glob ("components/**/*.ts" → "components").
const sources = [...new Set(include.map((glob) => glob.split("/")[0]))].sort();
fs.writeFileSync(path.join(root, outDir, ".build-stamp.json"), JSON.stringify({ outDir, sources }, null, 2) + "\n");
