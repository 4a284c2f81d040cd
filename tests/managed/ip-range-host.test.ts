import { expect } from "chai";
import { DefenderIpRange, IP_RANGE_PROVIDER_VERSION } from "../../components/cloud-app-security";
import { TOKENS } from "../../lib/managed/tokens";
import { localConnection } from "../support/connection";
import { MCAS_API_PATH, registerMcasSubnetRoutes, StoredRange } from "../support/graph-routes/mcas-subnets";
import { GraphServer, startGraphServer } from "../support/graph-server";
import { ProviderHost, Registered, registeredResources } from "../support/provider-host";

/**
 * Issue 12: a managed object through the engine's own path. The program registers a DefenderIpRange under the mock
 * runtime (its provider serialized for real); Pulumi's dynamic-provider host, in its own process, then receives
 * exactly those properties over gRPC for each operation, against the local Defender API.
 */
describe("DefenderIpRange through Pulumi's dynamic-provider host (separate process, gRPC)", function () {
  this.timeout(60_000);
  let server: GraphServer;
  let ranges: Map<string, StoredRange>;
  let host: ProviderHost;
  let restore: () => void;
  let declared: Registered;
  const createRules = () => server.requestsTo("POST", /create_rule\/?$/).length;

  before(async () => {
    server = await startGraphServer();
    ranges = registerMcasSubnetRoutes(server);
    const local = localConnection(server);
    restore = local.restore;
    const resources = await registeredResources(() => {
      new DefenderIpRange("contoso-offices", {
        connection: local.connection,
        apiUrl: `${server.url}${MCAS_API_PATH}`,
        providerVersion: IP_RANGE_PROVIDER_VERSION,
        rule: { name: "Contoso offices", category: 1, subnets: ["198.51.100.16/28", "203.0.113.0/24"] },
      });
    });
    declared = resources.find((r) => r.name === "contoso-offices")!;
    host = await ProviderHost.start();
  });
  after(async () => {
    await host.stop();
    restore();
    await server.close();
  });
  beforeEach(() => ranges.clear());

  it("registers its own type token, and the provider travels serialized in the inputs", () => {
    expect(declared.type).to.equal(TOKENS.defenderIpRange);
    expect(declared.inputs.__provider)
      .to.be.a("string")
      .and.match(/^exports\.handler = /m);
  });

  it("create → read (no drift) → portal edit → read (drift) → update → read (clean) → delete", async () => {
    const { inputs } = await host.check(declared.urn, {}, declared.inputs);
    const created = await host.create(declared.urn, inputs);
    expect([...ranges.keys()]).to.deep.equal([created.id]);
    expect(created.properties.__provider, "state keeps the provider for later refresh and destroy").to.equal(declared.inputs.__provider);

    const fresh = await host.read(created.id, declared.urn, created.properties);
    expect(fresh.id).to.equal(created.id);
    expect((await host.diff(created.id, declared.urn, fresh.properties, inputs)).changes).to.equal("none");

    // Someone widens the range and renames the organisation in the portal.
    ranges.set(created.id, { ...ranges.get(created.id)!, subnets: [{ originalString: "0.0.0.0/1" }], organization: "Someone" });
    const drifted = await host.read(created.id, declared.urn, fresh.properties);
    expect(drifted.properties.rule).to.deep.equal({ name: "Contoso offices", category: 1, subnets: ["0.0.0.0/1"], organization: "Someone" });
    expect(drifted.inputs?.rule).to.deep.equal(drifted.properties.rule);
    expect((await host.diff(created.id, declared.urn, drifted.properties, inputs)).changes).to.equal("some");

    const updated = await host.update(created.id, declared.urn, drifted.properties, inputs);
    expect(ranges.get(created.id)!.subnets.map((s) => s.originalString)).to.deep.equal(["198.51.100.16/28", "203.0.113.0/24"]);
    expect(ranges.get(created.id)!.organization).to.equal(null);
    const clean = await host.read(created.id, declared.urn, updated.properties);
    expect((await host.diff(created.id, declared.urn, clean.properties, inputs)).changes).to.equal("none");

    await host.delete(created.id, declared.urn, clean.properties);
    expect(ranges.size).to.equal(0);
    // Deleted outside Pulumi: a refresh reports it gone (an empty ID), not an error.
    expect((await host.read(created.id, declared.urn, clean.properties)).id).to.equal("");
  });

  it("moving the range to another tenant replaces it, deleting the old one first (names are unique)", async () => {
    const olds = { ...declared.inputs, connection: { ...(declared.inputs.connection as object), tenantId: "99999999-2222-3333-4444-555555555555" } };
    const diff = await host.diff("x", declared.urn, olds, declared.inputs);
    expect(diff).to.deep.include({ changes: "some", replaces: ["connection"], deleteBeforeReplace: true });
  });

  for (const [fault, spec] of [
    ["a 503 after the API committed", { status: 503, afterCommit: true }],
    ["a connection reset after the API committed", { status: 0, reset: true, afterCommit: true }],
    ["429 with Retry-After twice", { status: 429, retryAfter: 0, times: 2 }],
  ] as const) {
    it(`create under ${fault}: exactly one range, and the state names it`, async () => {
      server.failNext({ method: "POST", path: /create_rule\/?$/, ...spec });
      const before = createRules();
      const created = await host.create(declared.urn, declared.inputs);
      expect([...ranges.keys()]).to.deep.equal([created.id]);
      expect(createRules() - before).to.equal("times" in spec ? spec.times + 1 : 1);
    });
  }

  it("a range left by an earlier run whose reply was lost: the next `up` adopts it instead of failing on its name", async () => {
    const left = "cccccccccccccccccccccccc";
    ranges.set(left, {
      _id: left,
      name: "Contoso offices",
      category: 1,
      subnets: [{ originalString: "198.51.100.16/28" }, { originalString: "203.0.113.0/24" }],
      organization: null,
      tags: [],
    });
    const before = createRules();
    const created = await host.create(declared.urn, declared.inputs);
    expect(created.id).to.equal(left);
    expect(createRules() - before).to.equal(0);
    expect(ranges.size).to.equal(1);
  });
});
