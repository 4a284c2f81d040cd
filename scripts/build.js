#!/usr/bin/env node
// `npm run build` (also `prepare`, so `npm ci` in a clone and `npm pack` build it): compiles the library, the CLI
// and the example stacks with tsc into dist/, then writes dist/.build-stamp.json. `plan` runs the compiled
// program only while that stamp is newer than every source file it lists (lib/plan/program.ts), so an edit made
// after the build is planned from source, never from a stale copy.
//
// Incremental: tsc keeps what it knows in dist/.tsbuildinfo (file contents by hash, so copies and checkouts do not
// fool it) and re-checks and re-emits only what changed; deleting dist/ deletes that record too, so the next build
// is a full one. Outputs of deleted sources are removed afterwards, so dist/ never ships a module that no longer exists.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const config = path.join(root, "tsconfig.build.json");
const { compilerOptions, include } = JSON.parse(fs.readFileSync(config, "utf8"));
const outDir = compilerOptions.outDir;
const dist = path.join(root, outDir);
const buildInfo = path.join(dist, ".tsbuildinfo");

const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", config, "--incremental", "--tsBuildInfoFile", buildInfo], {
  cwd: root,
  stdio: "inherit",
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
removeStaleOutputs(dist);
fs.chmodSync(path.join(dist, "cli", "bin.js"), 0o755);
// The source roots: the top folder of each include glob ("components/**/*.ts" → "components").
const sources = [...new Set(include.map((glob) => glob.split("/")[0]))].sort();
fs.writeFileSync(path.join(dist, ".build-stamp.json"), JSON.stringify({ outDir, sources }, null, 2) + "\n");

/** Deletes each emitted file (.js, .d.ts and their maps) whose TypeScript source is gone, then empty folders. */
function removeStaleOutputs(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      removeStaleOutputs(file);
      if (fs.readdirSync(file).length === 0) fs.rmdirSync(file);
      continue;
    }
    const emitted = /^(.*?)(\.d\.ts|\.js)(\.map)?$/.exec(path.relative(dist, file));
    if (emitted && !fs.existsSync(path.join(root, `${emitted[1]}.ts`))) fs.rmSync(file);
  }
}
