import { expect } from "chai";
import { createGraphClient, describeGraphError, retryUntil, statusOf } from "../../lib/graph";
import { GraphServer, startGraphServer } from "../support/graph-server";
import { localConnection } from "../support/connection";

describe("shared Graph client against the local Graph server", () => {
  let server: GraphServer;
  let restore: () => void;
  let client: ReturnType<typeof createGraphClient>;

  before(async () => {
    server = await startGraphServer();
    const local = localConnection(server);
    restore = local.restore;
    client = createGraphClient(local.connection);
    server.route("GET", "/v1.0/organization", (req, s) => s.page(req, [{ id: "a" }, { id: "b" }, { id: "c" }]));
  });
  after(async () => {
    restore();
    await server.close();
  });

  it("signs in through @azure/identity at the configured authority and sends the bearer token", async () => {
    const page = await client.api("/organization").get();
    expect(page.value.map((o: { id: string }) => o.id)).to.deep.equal(["a", "b"]);
    const token = server.requestsTo("POST", /oauth2\/v2\.0\/token$/);
    expect(server.requests.some((r) => /oauth2\/v2\.0\/token$/.test(r.path) && r.status === 200)).to.equal(true);
    expect(token).to.have.length(0); // token traffic is excluded from requestsTo
    const call = server.requestsTo("GET", "/v1.0/organization").at(-1)!;
    expect(call.headers.authorization).to.match(/^Bearer local-token-/);
  });

  it("follows @odata.nextLink to the next page", async () => {
    const first = await client.api("/organization").get();
    const second = await client.api(first["@odata.nextLink"]).get();
    expect(second.value.map((o: { id: string }) => o.id)).to.deep.equal(["c"]);
    expect(second["@odata.nextLink"]).to.equal(undefined);
  });

  it("retries a 429 after the server's Retry-After and then succeeds", async () => {
    const before = server.requestsTo("GET", "/v1.0/organization").length;
    server.failNext({ method: "GET", path: "/v1.0/organization", status: 429, retryAfter: 0, times: 2 });
    const page = await client.api("/organization").get();
    expect(page.value).to.have.length(2);
    const statuses = server
      .requestsTo("GET", "/v1.0/organization")
      .slice(before)
      .map((r) => r.status);
    expect(statuses).to.deep.equal([429, 429, 200]);
  });

  it("retries 500 and 502 like 503, not only the SDK's 429/503/504", async () => {
    const before = server.requestsTo("GET", "/v1.0/organization").length;
    server.failNext({ method: "GET", path: "/v1.0/organization", status: 500, retryAfter: 0 });
    server.failNext({ method: "GET", path: "/v1.0/organization", status: 502, retryAfter: 0 });
    await client.api("/organization").get();
    const statuses = server
      .requestsTo("GET", "/v1.0/organization")
      .slice(before)
      .map((r) => r.status);
    expect(statuses).to.deep.equal([500, 502, 200]);
  });

  it("gives up after the configured number of retries and reports Graph's code and the step", async () => {
    const before = server.requestsTo("GET", "/v1.0/organization").length;
    server.failNext({ method: "GET", path: "/v1.0/organization", status: 503, retryAfter: 0, times: 4, message: "Service is busy" });
    const err = await client
      .api("/organization")
      .get()
      .then(
        () => undefined,
        (e: unknown) => describeGraphError(e, { resource: "tenant 1111", step: "reading the organization" }),
      );
    expect(err?.message).to.contain("reading the organization for tenant 1111 failed: HTTP 503 ServiceUnavailable: Service is busy");
    expect(statusOf(err)).to.equal(503);
    // one try plus the connection's three retries, then it stops
    expect(server.requestsTo("GET", "/v1.0/organization").length - before).to.equal(4);
  });

  it("rejects a request with no valid bearer token, as Graph does", async () => {
    const res = await fetch(`${server.url}/v1.0/organization`, { headers: { authorization: "Bearer forged" } });
    expect(res.status).to.equal(401);
    const body = (await res.json()) as { error: { code: string } };
    expect(body.error.code).to.equal("InvalidAuthenticationToken");
  });

  it("retryUntil keeps polling while the failure is transient and stops at the bound", async () => {
    let calls = 0;
    const value = await retryUntil(async () => (++calls < 3 ? Promise.reject(new Error("not yet")) : "visible"), {
      startingDelayMs: 1,
      isTransient: () => true,
    });
    expect([value, calls]).to.deep.equal(["visible", 3]);
    let bounded = 0;
    const failure = await retryUntil(() => Promise.reject(new Error(`attempt ${++bounded}`)), {
      attempts: 4,
      startingDelayMs: 1,
      isTransient: () => true,
    }).catch((e: Error) => e.message);
    expect([failure, bounded]).to.deep.equal(["attempt 4", 4]);
  });
});
