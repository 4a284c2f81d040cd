// A throwaway TLS certificate for the local service stand-ins (127.0.0.1), trusted through NODE_EXTRA_CA_CERTS: Node
// reads that variable only at start-up, and it is the one setting every HTTP stack here honours (fetch in the Graph
// SDK, MSAL's pipeline in @azure/identity, child processes such as Pulumi's provider host), so no production code
// needs a test-only TLS option. `runWithTestTls(args)` runs `node <args>` with it and returns the exit code.
const { spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { generate } = require("selfsigned");

async function runWithTestTls(args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-tls-"));
  const pems = await generate([{ name: "commonName", value: "127.0.0.1" }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 2 * 24 * 3600 * 1000),
    extensions: [
      {
        name: "subjectAltName",
        altNames: [
          { type: 7, ip: "127.0.0.1" },
          { type: 2, value: "localhost" },
        ],
      },
    ],
  });
  const certFile = path.join(dir, "cert.pem");
  const keyFile = path.join(dir, "key.pem");
  fs.writeFileSync(certFile, pems.cert);
  fs.writeFileSync(keyFile, pems.private, { mode: 0o600 });
  const result = spawnSync(process.execPath, args, {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile, M365_BASELINE_TEST_TLS_CERT: certFile, M365_BASELINE_TEST_TLS_KEY: keyFile },
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return result.status ?? 1;
}

module.exports = { runWithTestTls };
