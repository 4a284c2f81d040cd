import { expect } from "chai";
import { DEFENDER_FOR_CLOUD_APPS_APP_ID, ipRangeProvider, IpRangeInputs, IP_RANGE_PROVIDER_VERSION } from "../../components/cloud-app-security";
import { ruleProblems } from "../../components/cloud-app-security/ip-range-provider";
import type { Connection } from "../../lib/graph";
import { localConnection } from "../support/connection";
import { MCAS_API_PATH, registerMcasSubnetRoutes, StoredRange } from "../support/graph-routes/mcas-subnets";
import { GraphServer, startGraphServer } from "../support/graph-server";

describe("Defender for Cloud Apps IP-range provider against the local server", () => {
  let server: GraphServer;
  let ranges: Map<string, StoredRange>;
  let connection: Connection;
  let restore: () => void;
  let apiUrl: string;

  const offices = (overrides: Partial<IpRangeInputs["rule"]> = {}): IpRangeInputs => ({
    connection,
    apiUrl,
    providerVersion: IP_RANGE_PROVIDER_VERSION,
    rule: { name: "Contoso offices", category: 1, subnets: ["198.51.100.16/28", "203.0.113.0/24"], organization: "Contoso", ...overrides },
  });
  const calls = (method: string): number => server.requestsTo(method, new RegExp(`^${MCAS_API_PATH}/v1/subnet`)).length;
  const creates = (): number => server.requestsTo("POST", /create_rule\/?$/).length;

  before(async () => {
    server = await startGraphServer();
    ranges = registerMcasSubnetRoutes(server);
    ({ connection, restore } = localConnection(server));
    apiUrl = `${server.url}${MCAS_API_PATH}/`; // trailing slash as users paste it from the portal
  });
  after(async () => {
    restore();
    await server.close();
  });
  beforeEach(() => ranges.clear());

  it("creates a range with exactly the documented body, signed in for the Defender for Cloud Apps API", async () => {
    const result = await ipRangeProvider.create!(offices());
    const stored = ranges.get(result.id)!;
    expect(stored.name).to.equal("Contoso offices");
    expect(stored.subnets.map((s) => s.originalString)).to.deep.equal(["198.51.100.16/28", "203.0.113.0/24"]);
    const post = server.requestsTo("POST", `${MCAS_API_PATH}/v1/subnet/create_rule/`).at(-1)!;
    expect(post.body).to.deep.equal({ name: "Contoso offices", category: 1, subnets: ["198.51.100.16/28", "203.0.113.0/24"], organization: "Contoso" });
    expect(post.headers.authorization).to.match(/^Bearer local-token-/);
    const tokenRequest = server.requests.filter((r) => /oauth2\/v2\.0\/token$/.test(r.path)).at(-1)!;
    expect((tokenRequest.body as { scope: string }).scope).to.contain(`${DEFENDER_FOR_CLOUD_APPS_APP_ID}/.default`);
  });

  it("keeps secrets out of outputs: the outputs are the declared inputs", async () => {
    const result = await ipRangeProvider.create!(offices());
    expect(result.outs).to.deep.equal(offices());
    expect(JSON.stringify(result.outs)).not.to.contain(process.env.AZURE_CLIENT_SECRET);
  });

  it("updates in place with the full body (update_rule is not partial) and keeps the ID", async () => {
    const { id } = await ipRangeProvider.create!(offices());
    const changed = offices({ subnets: ["203.0.113.0/24"], organization: undefined, tags: ["HQ"] });
    const diff = await ipRangeProvider.diff!(id, offices(), changed);
    expect(diff).to.include({ changes: true });
    expect(diff.replaces).to.deep.equal([]);
    await ipRangeProvider.update!(id, offices(), changed);
    const post = server.requestsTo("POST", `${MCAS_API_PATH}/v1/subnet/${id}/update_rule/`).at(-1)!;
    expect(post.body).to.deep.equal({ name: "Contoso offices", category: 1, subnets: ["203.0.113.0/24"], tags: ["HQ"] });
    expect(ranges.get(id)).to.deep.include({ organization: null, tags: ["HQ"] });
  });

  it("sees no change when only the order of subnets or the provider version differs", async () => {
    const reordered = { ...offices({ subnets: ["203.0.113.0/24", "198.51.100.16/28"] }), providerVersion: "9.9.9" };
    const diff = await ipRangeProvider.diff!("any", offices(), reordered);
    expect(diff.changes).to.equal(false);
  });

  it("replaces the range when it moves to another tenant's API", async () => {
    const diff = await ipRangeProvider.diff!("any", offices(), { ...offices(), apiUrl: "https://other.eu2.portal.cloudappsecurity.com/api" });
    expect(diff.replaces).to.deep.equal(["apiUrl"]);
  });

  it("deletes the range, and treats an already-deleted range as deleted", async () => {
    const { id } = await ipRangeProvider.create!(offices());
    await ipRangeProvider.delete!(id, offices());
    expect(ranges.has(id)).to.equal(false);
    await ipRangeProvider.delete!(id, offices()); // the server answers 404 now
    expect(server.requestsTo("DELETE", `${MCAS_API_PATH}/v1/subnet/${id}/`).map((r) => r.status)).to.deep.equal([200, 404]);
  });

  it("waits out throttling (429 with Retry-After) and then creates exactly one range", async () => {
    server.failNext({ method: "POST", path: /create_rule\/?$/, status: 429, retryAfter: 0, times: 2 });
    const before = creates();
    const { id } = await ipRangeProvider.create!(offices());
    const statuses = server
      .requestsTo("POST", /create_rule\/?$/)
      .slice(-3)
      .map((r) => r.status);
    expect(statuses).to.deep.equal([429, 429, 200]);
    expect(creates() - before).to.equal(3);
    expect([...ranges.keys()]).to.deep.equal([id]);
  });

  it("reports persistent throttling with the range, the step and the 30-per-minute limit", async () => {
    server.failNext({ method: "POST", path: /create_rule\/?$/, status: 429, retryAfter: 0, times: 4 });
    const err = await ipRangeProvider.create!(offices()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.contain('the create request for IP range "Contoso offices" in Defender for Cloud Apps (tenant ');
    expect(err?.message).to.contain("HTTP 429");
    expect(err?.message).to.contain("30 requests per minute");
    expect(ranges.size).to.equal(0);
  });

  it("explains a 403 with the permission the app needs", async () => {
    server.failNext({ method: "POST", path: /create_rule\/?$/, status: 403 });
    const err = await ipRangeProvider.create!(offices()).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.contain("Settings.manage");
    expect(err?.message).not.to.contain("local-token-");
  });

  it("rejects a bad CIDR in check and in create without sending anything", async () => {
    const bad = offices({ subnets: ["203.0.113.0/24", "10.0.0.0/33"] });
    const check = await ipRangeProvider.check!(offices(), bad);
    expect(check.failures?.map((f) => f.reason)).to.deep.equal(['"10.0.0.0/33" is not a CIDR range (IPv4 or IPv6 CIDR such as 203.0.113.0/24)']);
    const before = calls("POST");
    const err = await ipRangeProvider.create!(bad).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.equal(
      'IP range "Contoso offices" was not sent to Defender for Cloud Apps: "10.0.0.0/33" is not a CIDR range (IPv4 or IPv6 CIDR such as 203.0.113.0/24)',
    );
    const updateErr = await ipRangeProvider.update!("abc", offices(), bad).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(updateErr?.message).to.contain("was not sent");
    expect(calls("POST")).to.equal(before);
  });

  it("check accepts a valid rule and rejects a non-https API URL", async () => {
    expect((await ipRangeProvider.check!(offices(), offices())).failures).to.equal(undefined);
    const plain = await ipRangeProvider.check!(offices(), { ...offices(), apiUrl: "http://contoso.portal.cloudappsecurity.com/api" });
    expect(plain.failures?.map((f) => f.property)).to.deep.equal(["apiUrl"]);
  });

  describe("exactly once: a create that may have reached the API is never sent again", () => {
    it("a 503 after the API committed: not re-sent; the range is found by its unique name and adopted", async () => {
      server.failNext({ method: "POST", path: /create_rule\/?$/, status: 503, afterCommit: true });
      const before = creates();
      const { id } = await ipRangeProvider.create!(offices());
      expect(creates() - before, "create_rule requests").to.equal(1);
      expect([...ranges.keys()]).to.deep.equal([id]);
    });

    it("a connection reset after the API committed: the same", async () => {
      server.failNext({ method: "POST", path: /create_rule\/?$/, status: 0, reset: true, afterCommit: true });
      const { id } = await ipRangeProvider.create!(offices());
      expect([...ranges.keys()]).to.deep.equal([id]);
      expect(server.requestsTo("POST", /create_rule\/?$/).at(-1)!.status).to.equal(0);
    });

    it("a 503 before anything was created: not re-sent blindly; the error is reported and nothing exists", async () => {
      server.failNext({ method: "POST", path: /create_rule\/?$/, status: 503 });
      const before = creates();
      const err = await ipRangeProvider.create!(offices()).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message).to.contain("HTTP 503");
      expect(creates() - before).to.equal(1);
      expect(ranges.size).to.equal(0);
    });

    it("a range with the declared name made in the portal is adopted and given the declared rule, not duplicated", async () => {
      ranges.set("aaaaaaaaaaaaaaaaaaaaaaaa", {
        _id: "aaaaaaaaaaaaaaaaaaaaaaaa",
        name: "Contoso offices",
        category: 3,
        subnets: [{ originalString: "192.0.2.0/24" }],
        organization: null,
        tags: [],
      });
      const before = creates();
      const { id } = await ipRangeProvider.create!(offices());
      expect(id).to.equal("aaaaaaaaaaaaaaaaaaaaaaaa");
      expect(creates() - before).to.equal(0);
      expect(ranges.get(id)).to.deep.include({ category: 1, organization: "Contoso" });
      expect(ranges.get(id)!.subnets.map((s) => s.originalString)).to.deep.equal(["198.51.100.16/28", "203.0.113.0/24"]);
    });
  });

  describe("read: what is in the tenant, for refresh and drift", () => {
    it("reads back exactly what was declared, so a refresh right after create shows no drift", async () => {
      const { id, outs } = await ipRangeProvider.create!(offices());
      const read = await ipRangeProvider.read(id, outs);
      expect(read.id).to.equal(id);
      expect(read.inputs).to.deep.equal(offices());
      expect((await ipRangeProvider.diff(id, read.props!, offices())).changes).to.equal(false);
    });

    it("a range widened and tagged in the portal reads as drift, field by field", async () => {
      const { id, outs } = await ipRangeProvider.create!(offices());
      ranges.set(id, { ...ranges.get(id)!, subnets: [{ originalString: "0.0.0.0/1" }], tags: ["Portal"] });
      const read = await ipRangeProvider.read(id, outs);
      expect(read.props!.rule.subnets).to.deep.equal(["0.0.0.0/1"]);
      expect(read.props!.rule.tags).to.deep.equal(["Portal"]);
      expect((await ipRangeProvider.diff(id, read.props!, offices())).changes).to.equal(true);
    });

    it("a range deleted in the portal reads as gone, not as an error", async () => {
      const { id, outs } = await ipRangeProvider.create!(offices());
      ranges.delete(id);
      expect(await ipRangeProvider.read(id, outs)).to.deep.equal({});
    });

    it("finds the range on a later page of the list", async () => {
      for (let i = 0; i < 205; i++) {
        const _id = `b${i.toString(16).padStart(23, "0")}`;
        ranges.set(_id, { _id, name: `filler ${i}`, category: 2, subnets: [{ originalString: "192.0.2.0/24" }], organization: null, tags: [] });
      }
      const { id, outs } = await ipRangeProvider.create!(offices());
      expect((await ipRangeProvider.read(id, outs)).id).to.equal(id);
    });
  });

  describe("rules the API refuses, checked before anything is sent (data-enrichment create_rule)", () => {
    const cases: [string, Partial<IpRangeInputs["rule"]> | undefined, string[]][] = [
      ["blank name", { name: "  " }, ["name is blank"]],
      ["category below 1", { category: 0 }, ["category 0 is not 1-6"]],
      ["category above 6", { category: 7 }, ["category 7 is not 1-6"]],
      ["fractional category", { category: 1.5 }, ["category 1.5 is not 1-6"]],
      ["no subnets", { subnets: [] }, ["subnets is empty"]],
    ];
    for (const [what, overrides, expected] of cases) {
      it(what, () => expect(ruleProblems(offices(overrides).rule)).to.deep.equal(expected));
    }
    it("a missing rule, and the edges of the category range (1 and 6 are allowed)", () => {
      expect(ruleProblems(undefined)).to.deep.equal(["the IP range rule is missing"]);
      expect(ruleProblems(offices({ category: 1 }).rule)).to.deep.equal([]);
      expect(ruleProblems(offices({ category: 6 }).rule)).to.deep.equal([]);
    });
    it("check names the failing property for each problem", async () => {
      const check = await ipRangeProvider.check({}, offices({ name: "", subnets: ["x"] }));
      expect(check.failures).to.deep.equal([
        { property: "rule", reason: "name is blank" },
        { property: "rule", reason: '"x" is not a CIDR range (IPv4 or IPv6 CIDR such as 203.0.113.0/24)' },
      ]);
    });
  });

  describe("diff: what the API stores, compared as the API stores it", () => {
    const same = async (a: IpRangeInputs, b: IpRangeInputs) => (await ipRangeProvider.diff("x", a, b)).changes;
    it("each stored field is a change: name, category, subnets, organisation, tags", async () => {
      for (const change of [{ name: "Other" }, { category: 2 }, { subnets: ["203.0.113.0/24"] }, { organization: "Fabrikam" }, { tags: ["HQ"] }] as Partial<
        IpRangeInputs["rule"]
      >[]) {
        expect(await same(offices(), offices(change)), JSON.stringify(change)).to.equal(true);
      }
    });
    it("order of subnets and tags is no change; a trailing slash on the API URL is no change", async () => {
      expect(await same(offices({ tags: ["a", "b"] }), offices({ tags: ["b", "a"] }))).to.equal(false);
      expect(await same({ ...offices(), apiUrl: `${apiUrl.replace(/\/+$/, "")}` }, { ...offices(), apiUrl: `${apiUrl.replace(/\/+$/, "")}//` })).to.equal(
        false,
      );
    });
    it("an in-place change never replaces; a move to another tenant replaces with the old one deleted first", async () => {
      expect(await ipRangeProvider.diff("x", offices(), offices({ category: 2 }))).to.deep.equal({ changes: true, replaces: [], deleteBeforeReplace: false });
      const moved = { ...offices(), connection: { ...connection, tenantId: "99999999-2222-3333-4444-555555555555" } };
      expect(await ipRangeProvider.diff("x", offices(), moved)).to.deep.equal({ changes: true, replaces: ["connection"], deleteBeforeReplace: true });
    });
  });

  it("create reads the new range's ID from the JSON string the API answers with, and refuses an answer without one", async () => {
    const { id } = await ipRangeProvider.create(offices());
    expect(id).to.match(/^[0-9a-f]{24}$/);
    ranges.clear();
    server.failNext({ method: "POST", path: /create_rule\/?$/, status: 200, message: "not an ID" });
    const err = await ipRangeProvider.create(offices()).catch((e: Error) => e);
    expect((err as Error).message).to.equal(
      `creating IP range "Contoso offices" in Defender for Cloud Apps (tenant ${connection.tenantId}): the API answered without the new range's ID`,
    );
  });

  it("names the step of a failed update or delete (not a 404), and the non-https API URL in check", async () => {
    const { id } = await ipRangeProvider.create(offices());
    server.failNext({ method: "POST", path: /update_rule\/?$/, status: 400, message: "Bad subnet" });
    const update = await ipRangeProvider.update(id, offices(), offices({ category: 2 })).catch((e: Error) => e);
    expect((update as Error).message).to.contain(
      `the update request for IP range "Contoso offices" in Defender for Cloud Apps (tenant ${connection.tenantId}) failed: HTTP 400`,
    );
    server.failNext({ method: "DELETE", path: /\/v1\/subnet\//, status: 400, message: "Locked" });
    const del = await ipRangeProvider.delete(id, offices()).catch((e: Error) => e);
    expect((del as Error).message).to.contain("the delete request for IP range");
    expect(ranges.has(id)).to.equal(true);
    const plain = await ipRangeProvider.check({}, { ...offices(), apiUrl: "http://x/api" });
    expect(plain.failures).to.deep.equal([{ property: "apiUrl", reason: '"http://x/api" is not an https API URL' }]);
  });

  it("an adopted range that already matches the declaration is not written again", async () => {
    const { id } = await ipRangeProvider.create(offices());
    const before = server.requestsTo("POST", /update_rule\/?$/).length;
    const again = await ipRangeProvider.create(offices());
    expect(again.id).to.equal(id);
    expect(server.requestsTo("POST", /update_rule\/?$/).length).to.equal(before);
  });
});
