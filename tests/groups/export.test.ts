import { expect } from "chai";
import { createGraphClient } from "../../lib/graph";
import { MEMBER_SELECT, readUnifiedGroups } from "../../lib/groups";
import { localConnection } from "../support/connection";
import { GraphServer, startGraphServer } from "../support/graph-server";
import { Arrival, registerGroupRoutes } from "../support/graph-routes/groups";
import { ADELE, contosoGroups, EXPECTED, GROUP_IDS, HIDDEN_USER, KIOSK, UNIFIED_FILTER, unified, user } from "./tenant";

describe("groups export against the local Graph server", () => {
  let server: GraphServer;
  let local: ReturnType<typeof localConnection>;
  let arrivals: Arrival[];
  beforeEach(async () => {
    server = await startGraphServer();
    arrivals = registerGroupRoutes(server, { groups: contosoGroups() }).arrivals;
    local = localConnection(server);
  });
  afterEach(async () => {
    local.restore();
    await server.close();
  });

  it("reads every page of Microsoft 365 groups and of their members and owners, each member by mail, else UPN, else ID", async () => {
    const exported = await readUnifiedGroups(createGraphClient(local.connection));
    expect(exported.groups).to.deep.equal(EXPECTED);
    expect(exported.vanished).to.deep.equal([]);
    expect(exported.identifiedById).to.deep.equal([
      { group: { id: GROUP_IDS.finance, displayName: "Finance" }, relation: "member", id: KIOSK.id, type: "device", displayName: "Kiosk-PC-01" },
      { group: { id: GROUP_IDS.finance, displayName: "Finance" }, relation: "member", id: HIDDEN_USER.id, type: "user" },
    ]);
    // Five groups, two a page: three pages. Finance's five members: three pages.
    expect(server.requestsTo("GET", "/v1.0/groups").map((r) => r.status)).to.deep.equal([200, 200, 200]);
    expect(server.requestsTo("GET", `/v1.0/groups/${GROUP_IDS.finance}/members`)).to.have.length(3);
    for (const r of server.requestsTo("GET", /^\/v1\.0\/groups\/[^/]+\/(members|owners)$/)) {
      expect(r.query["$select"], r.path).to.equal(MEMBER_SELECT);
      expect(r.query["$top"], r.path).to.equal("999");
    }
  });

  it("asks only for Microsoft 365 groups: the Unified filter on every page (without it Graph returns every kind)", async () => {
    const exported = await readUnifiedGroups(createGraphClient(local.connection));
    const listings = server.requestsTo("GET", "/v1.0/groups");
    expect(listings.map((r) => r.query["$filter"])).to.deep.equal([UNIFIED_FILTER, UNIFIED_FILTER, UNIFIED_FILTER]);
    expect(listings.map((r) => r.query["$select"])).to.deep.equal(["id,displayName,mail", "id,displayName,mail", "id,displayName,mail"]);
    expect(exported.groups.map((g) => g.id)).to.not.include.members([GROUP_IDS.security, GROUP_IDS.distribution]);
    // Neither the security group's nor the distribution list's members were read.
    expect(server.requestsTo("GET", new RegExp(`${GROUP_IDS.security}|${GROUP_IDS.distribution}`))).to.deep.equal([]);
  });

  it("waits as long as a 429's Retry-After says, then reads on", async () => {
    const owners = `/v1.0/groups/${GROUP_IDS.finance}/owners`;
    const members = `/v1.0/groups/${GROUP_IDS.finance}/members`;
    server.failNext({ method: "GET", path: owners, status: 429, retryAfter: 1 });
    const exported = await readUnifiedGroups(createGraphClient(local.connection));
    expect(exported.groups).to.deep.equal(EXPECTED);
    expect(server.requestsTo("GET", owners).map((r) => r.status)).to.deep.equal([429, 200]);
    // A group's owners are read after its members: the 429 came after the last members page arrived, and the retry
    // (the base delay is 0 in tests) arrived only once Retry-After's second had passed.
    const lastMembersPage = arrivals.filter((a) => a.path === members).at(-1)!.at;
    const retried = arrivals.find((a) => a.path === owners)!.at;
    expect(retried - lastMembersPage).to.be.at.least(990);
  });

  it("names the group, the step and the permission when Graph refuses", async () => {
    server.failNext({ path: `/v1.0/groups/${GROUP_IDS.finance}/members`, status: 403, message: "Insufficient privileges to complete the operation." });
    const err = await readUnifiedGroups(createGraphClient(local.connection)).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message)
      .to.contain(`listing members for group "Finance" (${GROUP_IDS.finance}) failed: HTTP 403`)
      .and.contain("GroupMember.Read.All")
      .and.contain("Member.Read.Hidden");
  });

  it("leaves out, and names, a group deleted between the listing and its members (404)", async () => {
    server.failNext({ path: `/v1.0/groups/${GROUP_IDS.archive}/members`, status: 404 });
    const exported = await readUnifiedGroups(createGraphClient(local.connection));
    expect(exported.vanished).to.deep.equal([{ id: GROUP_IDS.archive, displayName: "Archive" }]);
    expect(exported.groups).to.deep.equal(EXPECTED.filter((g) => g.id !== GROUP_IDS.archive));
  });
});

describe("groups export: a group larger than one page of 999", () => {
  it("asks for 999 a page and follows @odata.nextLink for the rest", async () => {
    const server = await startGraphServer();
    const local = localConnection(server);
    try {
      const many = Array.from({ length: 1200 }, (_, i) =>
        user(
          `b0000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
          `User ${i}`,
          `user${String(i).padStart(4, "0")}@contoso.com`,
          `user${i}@contoso.onmicrosoft.com`,
        ),
      );
      registerGroupRoutes(server, { groups: [unified(GROUP_IDS.finance, "Finance", "finance@contoso.com", many, [ADELE])] }, { linksPageSize: 999 });
      const exported = await readUnifiedGroups(createGraphClient(local.connection));
      expect(exported.groups[0].members).to.have.length(1200);
      expect(exported.groups[0].members.slice(0, 2)).to.deep.equal(["user0000@contoso.com", "user0001@contoso.com"]);
      const pages = server.requestsTo("GET", `/v1.0/groups/${GROUP_IDS.finance}/members`);
      expect(pages.map((r) => [r.query["$top"], r.query["$skiptoken"]])).to.deep.equal([
        ["999", undefined],
        ["999", "999"],
      ]);
    } finally {
      local.restore();
      await server.close();
    }
  });
});
