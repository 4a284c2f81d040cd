#!/usr/bin/env node
// Test launcher: creates a throwaway TLS certificate for the local Graph-like server, then runs mocha with
// NODE_EXTRA_CA_CERTS pointing at it. Node reads that variable only at start-up, and it is the one setting every
// HTTP stack here honours (fetch in the Graph SDK, MSAL's pipeline in @azure/identity, child processes), so no
// production code needs a test-only TLS option. Arguments are passed to mocha (e.g. a spec glob).
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { generate } = require("selfsigned");

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-tls-"));
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 2 * 24 * 3600 * 1000),
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }, { type: 2, value: "localhost" }] }],
  });
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  fs.writeFileSync(certFile, pems.cert);
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  const mocha = require.resolve("mocha/bin/mocha.js");
  const args = process.argv.slice(2);
  const wholeSuite = !args.some((a) => !a.startsWith("-"));
  // The whole suite runs its files in parallel, one worker per core: much of it waits on child processes (packing,
  // npx, replayed workflows), so two workers on two cores finish in about two thirds of the time.
  const specs = wholeSuite ? ["--parallel", `--jobs=${Math.max(2, os.cpus().length)}`, "tests/**/*.test.ts"] : [];
  const result = spawnSync(process.execPath, [mocha, ...args, ...specs], {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile, M365_BASELINE_TEST_TLS_CERT: certFile, M365_BASELINE_TEST_TLS_KEY: keyFile },
  });
  fs.rmSync(dir, { recursive: true, force: true });
  process.exit(result.status ?? 1);
}

main().catch((err) => {
  console.error(err);
  process.exit(2);
});
