import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { exportConnection, runGroupsExport, runGroupsImport } from "../../cli/groups";
import { buildCli, runCli } from "../../cli/main";
import { GroupMembership, groupsFromCsv, groupsToCsv } from "../../lib/groups";
import { captureIo } from "../cli/temp-project";
import { localConnection, TEST_TENANT_ID } from "../support/connection";
import { GraphServer, startGraphServer } from "../support/graph-server";
import { registerGroupRoutes } from "../support/graph-routes/groups";
import { contosoGroups, EXPECTED, GROUP_IDS, HIDDEN_USER, KIOSK } from "./tenant";

const ROOT = path.resolve(__dirname, "..", "..");

describe("groups export and import: the command handlers", () => {
  let server: GraphServer;
  let local: ReturnType<typeof localConnection>;
  let dir: string;
  beforeEach(async () => {
    server = await startGraphServer();
    registerGroupRoutes(server, { groups: contosoGroups() });
    local = localConnection(server);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "groups-"));
  });
  afterEach(async () => {
    local.restore();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const endpoints = (): { graphUrl: string; authorityHost: string } => ({ graphUrl: server.url, authorityHost: server.url });

  it("export --tenant signs in as discover does and writes the CSV; import reads it back to the same groups", async () => {
    const out = path.join(dir, "groups.csv");
    const { io, stdout, stderr } = captureIo();
    await runGroupsExport({ tenant: TEST_TENANT_ID, credential: "environment", out, root: ROOT, ...endpoints() }, io);
    const bytes = fs.readFileSync(out);
    expect([...bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    expect(groupsFromCsv(bytes.toString("utf8"))).to.deep.equal(EXPECTED);
    expect(stdout()).to.equal(`5 Microsoft 365 groups (7 memberships, 4 ownerships) written to ${out}\n`);
    expect(stderr()).to.contain("2 members or owners are written by object ID");
    expect(stderr()).to.contain(`  Finance (${GROUP_IDS.finance}): member ${KIOSK.id} device "Kiosk-PC-01"`);
    expect(stderr()).to.contain(`  Finance (${GROUP_IDS.finance}): member ${HIDDEN_USER.id} user\n`);

    const json = captureIo();
    runGroupsImport({ in: out, json: true }, json.io);
    expect(JSON.parse(json.stdout())).to.deep.equal(EXPECTED);
  });

  it("export --stack takes the tenant from Pulumi.<stack>.yaml (the credential given overrides graph.credential)", async () => {
    const out = path.join(dir, "groups.csv");
    const { io } = captureIo();
    await runGroupsExport({ stack: "contoso-hybrid", credential: "environment", out, root: ROOT, ...endpoints() }, io);
    expect(groupsFromCsv(fs.readFileSync(out, "utf8"))).to.deep.equal(EXPECTED);
    // Without --credential, the stack's own graph.credential (azureCli in Pulumi.contoso-hybrid.yaml) and cloud.
    expect(await exportConnection({ stack: "contoso-hybrid", out, root: ROOT })).to.deep.equal({
      tenantId: "e009f16d-210b-47fd-82d7-ca168b105268",
      cloud: "global",
      credential: "azureCli",
    });
  });

  it("export refuses what it cannot sign in with, before calling anything", async () => {
    const { io } = captureIo();
    const out = path.join(dir, "groups.csv");
    const failure = (options: Parameters<typeof runGroupsExport>[0]): Promise<string> =>
      runGroupsExport(options, io).then(
        () => "no error",
        (e: Error) => e.message,
      );
    expect(await failure({ out, root: ROOT })).to.equal(
      "groups export: give --stack <tenant> (its Pulumi.<stack>.yaml names the tenant and credential) or --tenant <id>",
    );
    expect(await failure({ stack: "contoso-hybrid", tenant: TEST_TENANT_ID, out, root: ROOT })).to.equal(
      `groups export: --tenant ${TEST_TENANT_ID} is not the tenant Pulumi.contoso-hybrid.yaml names (e009f16d-210b-47fd-82d7-ca168b105268)`,
    );
    expect(await failure({ tenant: TEST_TENANT_ID, credential: "password", out, root: ROOT })).to.match(
      /^groups export: --credential "password" is not a credential kind\. Allowed: default, azureCli/,
    );
    expect(server.requests).to.deep.equal([]);
    expect(fs.existsSync(out)).to.equal(false);
  });

  it("import prints a summary a reviewer reads: counts per group, and the groups nobody owns", () => {
    const file = path.join(dir, "groups.csv");
    const groups: GroupMembership[] = [
      {
        displayName: "Finance",
        primarySmtpAddress: "finance@contoso.com",
        id: GROUP_IDS.finance,
        members: ["adele@contoso.com", "bob@contoso.com"],
        owners: ["adele@contoso.com"],
      },
      { displayName: "Two\nlines", primarySmtpAddress: "", id: GROUP_IDS.sales, members: [], owners: [] },
    ];
    fs.writeFileSync(file, groupsToCsv(groups));
    const { io, stdout } = captureIo();
    runGroupsImport({ in: file }, io);
    expect(stdout()).to.equal(
      `${file}: 2 Microsoft 365 groups, 2 memberships, 1 ownership\n` +
        `  Finance <finance@contoso.com> (${GROUP_IDS.finance}): 2 members, 1 owner\n` +
        `  Two\\nlines (${GROUP_IDS.sales}): 0 members, 0 owners\n` +
        "Without an owner (1): Two\\nlines\n",
    );
  });

  it("import refuses a file that is not UTF-8 (Excel's plain CSV saves the ANSI code page), and names line and column of a bad row", () => {
    const latin1 = path.join(dir, "latin1.csv");
    fs.writeFileSync(latin1, Buffer.from("DisplayName,PrimarySmtpAddress,Id,Members,Owners\r\nM\xfcnchen,,,,\r\n", "latin1"));
    expect(() => runGroupsImport({ in: latin1 }, captureIo().io)).to.throw(`${latin1} is not UTF-8 text: in Excel, save it as "CSV UTF-8 (Comma delimited)"`);
    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(bad, "DisplayName,PrimarySmtpAddress,Id,Members,Owners\r\nFinance,finance@contoso.com,not-an-id,,\r\n");
    expect(() => runGroupsImport({ in: bad }, captureIo().io)).to.throw(
      `${bad} is not a groups CSV m365-baseline can read: 1 problem:\n  - line 2, column 3 (Id): "not-an-id" is not a group object ID`,
    );
  });

  it("runs as `m365-baseline groups export|import` once cli/main.ts registers it", async function () {
    if (!buildCli().commands.some((c) => c.name() === "groups")) this.skip();
    const out = path.join(dir, "groups.csv");
    const exported = captureIo();
    const argv = [
      "groups",
      "export",
      "--tenant",
      TEST_TENANT_ID,
      "--credential",
      "environment",
      "--out",
      out,
      "--graph-url",
      server.url,
      "--authority-host",
      server.url,
    ];
    expect(await runCli(argv, exported.io), exported.stderr()).to.equal(0);
    const imported = captureIo();
    expect(await runCli(["groups", "import", "--in", out, "--json"], imported.io), imported.stderr()).to.equal(0);
    expect(JSON.parse(imported.stdout())).to.deep.equal(EXPECTED);
  });
});
