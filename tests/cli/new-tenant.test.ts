import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import * as fs from "node:fs";
import * as path from "node:path";
import { runCli } from "../../cli/main";
import { recordPlan } from "../../lib/plan/record";
import { functionName, registerTenant } from "../../lib/scaffold/new-tenant";
import { captureIo, tempProject } from "./temp-project";

describe("new-tenant", () => {
  let project: ReturnType<typeof tempProject>;
  beforeEach(() => (project = tempProject()));
  afterEach(() => project.remove());

  it("scaffolds settings, a composition and a registry entry; plan refuses until the placeholders are filled in", async () => {
    const { io, stdout } = captureIo();
    expect(await runCli(["new-tenant", "northwind-traders", "--hybrid", "--root", project.root], io)).to.equal(0);
    expect(stdout()).to.contain("Pulumi.northwind-traders.yaml");
    const yamlFile = path.join(project.root, "Pulumi.northwind-traders.yaml");
    expect(fs.existsSync(path.join(project.root, "stacks", "northwind-traders", "index.ts"))).to.equal(true);
    expect(fs.readFileSync(path.join(project.root, "stacks", "registry.ts"), "utf8")).to.contain('"northwind-traders": northwindTraders,');

    const refusal = await recordPlan({ root: project.root, stack: "northwind-traders" }).then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(refusal).to.contain("Pulumi.northwind-traders.yaml").and.contain("is still a placeholder");
    for (const key of ["tenant.tenantId", "tenant.displayName", "tenant.breakGlass.users.0.objectId", "tenant.directorySync.accounts.0.objectId"]) {
      expect(refusal).to.contain(`m365-baseline:${key}`);
    }
    // Placeholders anywhere in the file, not only in the tenant block: the provider's tenant too.
    expect(refusal).to.contain("azuread:tenantId: is still a placeholder");

    const filled = fs
      .readFileSync(yamlFile, "utf8")
      .replace(/"<fill in: tenant ID[^"]*"/g, "11111111-2222-4333-8444-555555555555")
      .replace(/"<fill in: object ID[^"]*"/g, "99999999-2222-4333-8444-555555555550")
      .replace(/"<fill in: initial domain[^"]*"/, "northwind.onmicrosoft.com")
      .replace(/"<fill in: [^"]*"/g, "Northwind value");
    fs.writeFileSync(yamlFile, filled);
    const plan = await recordPlan({ root: project.root, stack: "northwind-traders" });
    const policies = plan.resources.filter((r) => r.type === TOKENS.conditionalAccessPolicy);
    expect(policies.map((p) => p.name)).to.include("CA004-Global-AllApps-RequireMFA");
  });

  it("refuses a name that is not a usable stack name, and an existing tenant", async () => {
    const bad = captureIo();
    expect(await runCli(["new-tenant", "North Wind", "--root", project.root], bad.io)).to.equal(2);
    expect(bad.stderr()).to.contain('"North Wind" cannot be a tenant stack name').and.contain("lower-case words of letters and digits joined by single '-'");
    // `a--b` would become the function name `a-B`, and every stack would stop compiling.
    const doubled = captureIo();
    expect(await runCli(["new-tenant", "a--b", "--root", project.root], doubled.io)).to.equal(2);
    expect(doubled.stderr()).to.contain('"a--b" cannot be a tenant stack name');
    // `registry` would make stacks/registry.ts import itself.
    const reserved = captureIo();
    expect(await runCli(["new-tenant", "registry", "--root", project.root], reserved.io)).to.equal(2);
    expect(reserved.stderr()).to.contain('"registry" is reserved');
    expect(fs.existsSync(path.join(project.root, "Pulumi.registry.yaml")), "nothing written").to.equal(false);
    const existing = captureIo();
    expect(await runCli(["new-tenant", "contoso-hybrid", "--root", project.root], existing.io)).to.equal(2);
    expect(existing.stderr()).to.contain("Pulumi.contoso-hybrid.yaml already exists");
  });

  it("keeps the registry's imports and entries sorted and refuses a duplicate", () => {
    const source = ['import { b } from "./b";', "", "export const TENANT_STACKS: X = {", '  "b": b,', "};", ""].join("\n");
    const updated = registerTenant(source, "a-1");
    expect(updated.split("\n")).to.deep.equal([
      'import { a1 } from "./a-1";',
      'import { b } from "./b";',
      "",
      "export const TENANT_STACKS: X = {",
      '  "a-1": a1,',
      '  "b": b,',
      "};",
      "",
    ]);
    expect(() => registerTenant(updated, "a-1")).to.throw('"a-1" is already in stacks/registry.ts');
    expect(functionName("4th-coffee")).to.equal("tenant4thCoffee");
  });
});
