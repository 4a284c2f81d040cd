import { expect } from "chai";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readStackConfig, recordPlan } from "../../lib/plan/record";
import { parseTenantSettings } from "../../lib/tenant-settings";

const ROOT = path.resolve(__dirname, "..", "..");
const FABRIKAM_TENANT = "fe6c9c0d-894f-462a-b6e2-f8771e971a32";

/** Issue 15: configuration mistakes a consultant makes, refused before anything is declared. */
describe("stack configuration is strict", () => {
  const fabrikam = () => readStackConfig(ROOT, "fabrikam-cloud");
  const refusal = (config: Record<string, unknown>) =>
    recordPlan({ root: ROOT, stack: "fabrikam-cloud", config }).then(
      () => "",
      (err: Error) => err.message,
    );

  it("azuread:tenantId must be the tenant the settings describe: one customer's policies never reach another's tenant", async () => {
    const other = await refusal({ ...fabrikam(), "azuread:tenantId": "e009f16d-210b-47fd-82d7-ca168b105268" });
    expect(other).to.contain(
      "stack fabrikam-cloud › Pulumi.fabrikam-cloud.yaml › azuread:tenantId: is e009f16d-210b-47fd-82d7-ca168b105268, another tenant than the settings describe",
    );
    const { "azuread:tenantId": _removed, ...withoutTenant } = fabrikam();
    void _removed;
    expect(await refusal(withoutTenant)).to.contain("azuread:tenantId: is not set");
    expect(await refusal({ ...fabrikam(), "azuread:tenantId": FABRIKAM_TENANT.toUpperCase() }), "case does not matter").to.equal("");
  });

  it("an Azure DNS zone needs a subscription (azure-native:subscriptionId or the zone's own): records never go to whatever subscription the credential sees", async () => {
    const contoso = () => readStackConfig(ROOT, "contoso-hybrid");
    const contosoRefusal = (config: Record<string, unknown>) =>
      recordPlan({ root: ROOT, stack: "contoso-hybrid", config }).then(
        () => "",
        (err: Error) => err.message,
      );
    const { "azure-native:subscriptionId": _subscription, ...withoutSubscription } = contoso();
    void _subscription;
    expect(await contosoRefusal(withoutSubscription)).to.contain(
      "stack contoso-hybrid › Pulumi.contoso-hybrid.yaml › azure-native:subscriptionId: is not set and the Azure DNS zone contoso.com names no subscriptionId",
    );
  });

  it("a misspelt key under m365-baseline: is an error naming the file, the key and the closest valid key", async () => {
    const message = await refusal({ ...fabrikam(), "m365-baseline:whatifPersona": [] });
    expect(message).to.contain("Pulumi.fabrikam-cloud.yaml › m365-baseline:whatifPersona: is not a setting m365-baseline reads");
    expect(message).to.contain("did you mean m365-baseline:whatifPersonas?");
    expect(await refusal({ ...fabrikam(), "other:key": "x" }), "other namespaces are the user's").to.equal("");
  });

  it("an all-zero GUID is never a real object, and an API URL must not carry a user name or password", () => {
    const source = { stack: "t", file: "Pulumi.t.yaml", key: "m365-baseline:tenant" };
    const settings = (overrides: Record<string, unknown>) => ({
      displayName: "T",
      tenantId: FABRIKAM_TENANT,
      breakGlass: { users: [{ objectId: "005d2727-e3b6-4f65-916c-903833df96b9", displayName: "bg" }] },
      ...overrides,
    });
    const zero = () =>
      parseTenantSettings(settings({ breakGlass: { users: [{ objectId: "00000000-0000-0000-0000-000000000000", displayName: "bg" }] } }), source);
    expect(zero).to.throw(/breakGlass\.users\.0\.objectId: is the all-zero GUID/);
    const secretUrl = () =>
      parseTenantSettings(settings({ defenderForCloudApps: { apiUrl: "https://admin:hunter2@contoso.eu2.portal.cloudappsecurity.com/api" } }), source);
    expect(secretUrl).to.throw(/defenderForCloudApps\.apiUrl: must be the https API URL/);
    expect(() => secretUrl())
      .to.throw()
      .with.property("message")
      .that.does.not.contain("hunter2");
    expect(() => parseTenantSettings(settings({}), source)).to.not.throw();
  });

  it("directorySync.roles may drop the unverified sync role, never Directory Synchronization Accounts", () => {
    const source = { stack: "t", file: "Pulumi.t.yaml", key: "m365-baseline:tenant" };
    const settings = (roles: string[]) => ({
      displayName: "T",
      tenantId: FABRIKAM_TENANT,
      breakGlass: { users: [{ objectId: "005d2727-e3b6-4f65-916c-903833df96b9", displayName: "bg" }] },
      directorySync: { accounts: [], roles },
    });
    // Directory Synchronization Accounts: d29b2b05-8046-44ba-8758-1e26182fcf32 (Microsoft Entra built-in roles).
    expect(parseTenantSettings(settings(["d29b2b05-8046-44ba-8758-1e26182fcf32"]), source).directorySync.roles).to.deep.equal([
      "d29b2b05-8046-44ba-8758-1e26182fcf32",
    ]);
    expect(() => parseTenantSettings(settings(["a92aed5d-d78a-4d16-b381-09adb37eb3b0"]), source)).to.throw(
      /directorySync\.roles: must include d29b2b05-8046-44ba-8758-1e26182fcf32 \(Directory Synchronization Accounts\)/,
    );
  });

  describe("reading Pulumi.<stack>.yaml", () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-config-"));
      fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("a YAML syntax error names the file, the line and the column", () => {
      fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config:\n  azuread:tenantId: x\n   m365-baseline:tenant: [\n");
      expect(() => readStackConfig(dir, "broken")).to.throw(/^Pulumi\.broken\.yaml line \d+, column \d+: not valid YAML/);
    });

    it("a tenant block given as a JSON string (as `pulumi config set` stores structured values) reads as the object", () => {
      const tenant = readStackConfig(ROOT, "fabrikam-cloud")["m365-baseline:tenant"];
      fs.writeFileSync(path.join(dir, "Pulumi.json-tenant.yaml"), `config:\n  m365-baseline:tenant: '${JSON.stringify(tenant)}'\n`);
      expect(readStackConfig(dir, "json-tenant")["m365-baseline:tenant"]).to.deep.equal(tenant);
    });
  });
});
