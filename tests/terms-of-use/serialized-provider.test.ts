import { expect } from "chai";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { agreementProvider, AgreementInputs } from "../../components/terms-of-use";
import { localConnection } from "../support/connection";
import { agreementsOf, registerAgreementRoutes } from "../support/graph-routes/agreements";
import { GraphServer, startGraphServer } from "../support/graph-server";
import { base64Of, EN, inputsFor } from "./helpers";

/**
 * What the engine's dynamic-provider host does with `__provider`: require the serialized text and call `handler()`.
 * Runs in a fresh `node` with no ts-node, so only what serialization captured is available.
 */
const HOST = `
const fs = require("node:fs");
const [providerFile, inputsFile] = process.argv.slice(2);
const provider = require(providerFile).handler();
(async () => {
  const inputs = JSON.parse(fs.readFileSync(inputsFile, "utf8"));
  const created = await provider.create(inputs);
  const read = await provider.read(created.id, created.outs);
  const diff = await provider.diff(created.id, read.props, inputs);
  const renamed = { ...inputs, displayName: inputs.displayName + " (renamed)" };
  await provider.update(created.id, read.props, renamed);
  let refused = "";
  await provider.delete(created.id, read.props).catch((e) => (refused = e.message));
  process.stdout.write(JSON.stringify({ id: created.id, outs: created.outs, changes: diff.changes, refused }));
})().catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
`;

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: process.cwd(), env, timeout: 60000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ stdout, stderr }),
    );
  });
}

describe("terms-of-use provider serialized the way Pulumi does, run in a fresh Node process", () => {
  let server: GraphServer;
  let restore: () => void;
  let inputs: AgreementInputs;
  let dir: string;

  before(async () => {
    server = await startGraphServer();
    registerAgreementRoutes(server);
    const local = localConnection(server, { credential: "deviceCode" });
    restore = local.restore;
    inputs = inputsFor({}, local.connection);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tou-serialized-"));
  });
  after(async () => {
    restore();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("creates, reads, updates in place and refuses delete against the local server", async function () {
    this.timeout(60000);
    // Exactly the call pulumi.dynamic.Resource makes for `__provider`.
    const serialized = await pulumi.runtime.serializeFunction(() => agreementProvider, { allowSecrets: true });
    expect(serialized.containsSecrets).to.equal(false);
    const providerFile = path.join(dir, "provider.js");
    const inputsFile = path.join(dir, "inputs.json");
    const hostFile = path.join(dir, "host.js");
    fs.writeFileSync(providerFile, serialized.text);
    fs.writeFileSync(inputsFile, JSON.stringify(inputs));
    fs.writeFileSync(hostFile, HOST);

    // The child inherits NODE_EXTRA_CA_CERTS and the AZURE_* variables localConnection set, as the engine's would.
    const env = { ...process.env, NODE_PATH: path.join(process.cwd(), "node_modules"), NODE_OPTIONS: "" };
    const { stdout } = await runNode([hostFile, providerFile, inputsFile], env);
    const result = JSON.parse(stdout) as { id: string; outs: { files: { language: string }[] }; changes: boolean; refused: string };

    const stored = agreementsOf(server).get(result.id)!;
    expect(stored.displayName).to.equal("Contoso terms of use (renamed)");
    expect(stored.files.map((f) => [f.language, f.data === base64Of(EN)])).to.deep.equal([
      ["en-US", true],
      ["nl-NL", false],
    ]);
    expect(result.outs.files.map((f) => f.language)).to.deep.equal(["en-US", "nl-NL"]);
    expect(result.changes).to.equal(false);
    expect(result.refused).to.contain(`refusing to delete agreement ${result.id}`);
    expect(serialized.text).not.to.contain(base64Of(EN).slice(0, 40));
  });
});
