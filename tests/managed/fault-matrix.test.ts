import { expect } from "chai";
import { Cell, declaredResource, renderMatrix, runMatrix } from "../support/fault-matrix";
import { ManagedScenario, SCENARIO_TYPES, SCENARIOS } from "../support/managed-scenarios";
import { ProviderHost } from "../support/provider-host";

/**
 * Issue 12: every managed type through Pulumi's own provider host (a separate process, gRPC), first its lifecycle,
 * then every operation under every fault. The target is the service's own rule: one declared object, never two,
 * and a next run that always finishes.
 */
describe("managed objects through the provider host: lifecycle and fault matrix", function () {
  this.timeout(180_000);
  let scenarios: ManagedScenario[];
  let host: ProviderHost;
  before(async () => {
    scenarios = [];
    for (const start of SCENARIOS) scenarios.push(await start()); // sets the credential environment the host inherits
    host = await ProviderHost.start();
  });
  after(async () => {
    await host?.stop();
    for (const s of [...scenarios].reverse()) await s.stop();
  });

  SCENARIO_TYPES.forEach((typeName, index) => {
    it(`${typeName}: create → read (no drift) → portal edit → read (drift) → update → read (clean) → delete → read (gone)`, async () => {
      const scenario = scenarios[index];
      expect(scenario.typeName).to.equal(typeName);
      scenario.clear();
      const declared = await declaredResource(scenario);
      const { urn } = declared;
      const { inputs } = await host.check(urn, {}, declared.inputs);
      const created = await host.create(urn, inputs);
      expect(scenario.objects(), scenario.typeName).to.equal(1);
      expect(created.properties.__provider, "state keeps the provider").to.equal(declared.inputs.__provider);
      const fresh = await host.read(created.id, urn, created.properties);
      expect((await host.diff(created.id, urn, fresh.properties, inputs)).changes, `${scenario.typeName}: refresh right after create`).to.equal("none");
      scenario.drift(created.id);
      const drifted = await host.read(created.id, urn, fresh.properties);
      expect(scenario.showsDrift(drifted.properties), `${scenario.typeName}: refresh shows the portal edit`).to.equal(true);
      expect((await host.diff(created.id, urn, drifted.properties, inputs)).changes).to.equal("some");
      const updated = await host.update(created.id, urn, drifted.properties, inputs);
      const clean = await host.read(created.id, urn, updated.properties);
      expect(scenario.showsDrift(clean.properties), `${scenario.typeName}: update put the declaration back`).to.equal(false);
      expect((await host.diff(created.id, urn, clean.properties, inputs)).changes).to.equal("none");
      await host.delete(created.id, urn, clean.properties);
      expect(scenario.objects()).to.equal(0);
      const again = await host.create(urn, inputs);
      scenario.deleteOutside(again.id);
      expect((await host.read(again.id, urn, again.properties)).id, "deleted outside Pulumi reads as gone").to.equal("");
    });
  });

  it("fault matrix: every operation × fault ends with no duplicate and a next run that finishes", async () => {
    const cells: Cell[] = await runMatrix(host, scenarios);
    const bad = cells.filter((c) => c.duplicates > 0 || !c.recovered);
    expect(bad, renderMatrix(bad)).to.deep.equal([]);
    expect(cells).to.have.length(SCENARIO_TYPES.length * 4 * 5);
  });
});
