import { expect } from "chai";
import { parseTenantSettings } from "../../lib/tenant-settings";
import { testTenantInput } from "../support/tenant";

const source = { stack: "acme", file: "Pulumi.acme.yaml", key: "m365-baseline:tenant" };

function errorOf(raw: unknown): string {
  try {
    parseTenantSettings(raw, source);
    return "";
  } catch (err) {
    return (err as Error).message;
  }
}

describe("tenant settings validation", () => {
  it("accepts a complete tenant and fills the defaults", () => {
    const tenant = parseTenantSettings(testTenantInput({ graph: undefined }), source);
    expect(tenant.stack).to.equal("acme");
    expect(tenant.graph).to.deep.equal({ cloud: "global", credential: "default" });
  });

  it("names the stack, the file and the key of a malformed object ID", () => {
    const raw = testTenantInput({ breakGlass: { users: [{ objectId: "breakglass01", displayName: "bg" }] } });
    expect(errorOf(raw)).to.contain("stack acme › Pulumi.acme.yaml › m365-baseline:tenant.breakGlass.users.0.objectId: must be a GUID");
  });

  it("requires at least one break-glass user or group", () => {
    expect(errorOf(testTenantInput({ breakGlass: { users: [], groups: [] } }))).to.contain(
      "m365-baseline:tenant.breakGlass: declare at least one break-glass user or group",
    );
  });

  it("lists the allowed values of an enum", () => {
    const msg = errorOf(testTenantInput({ graph: { cloud: "germany" as never } }));
    expect(msg).to.contain("m365-baseline:tenant.graph.cloud");
    expect(msg).to.contain("Allowed: global, usGovernment, usGovernmentDoD, china");
  });

  it("rejects unknown keys instead of ignoring a typo", () => {
    expect(errorOf({ ...testTenantInput(), breakglass: {} })).to.match(/m365-baseline:tenant: Unrecognized key.*breakglass/);
  });

  it("says the whole setting is missing when the stack file has none", () => {
    expect(errorOf(undefined)).to.contain("stack acme › Pulumi.acme.yaml › m365-baseline:tenant: ");
  });
});
