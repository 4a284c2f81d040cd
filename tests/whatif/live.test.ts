import { expect } from "chai";
import { createGraphClient } from "../../lib/graph";
import { compareLive } from "../../lib/whatif/live";
import { buildPersonas } from "../../lib/whatif/personas";
import { localConnection } from "../support/connection";
import { GraphServer, startGraphServer } from "../support/graph-server";
import { registerWhatifRoutes, TenantPolicy } from "../support/graph-routes/whatif";
import { BREAK_GLASS_GROUP, BREAK_GLASS_USER, SYNC_ACCOUNT, testTenant } from "../support/tenant";
import { BLOCK, EXCHANGE, MFA, policy } from "./helpers";

describe("whatif --live: Graph's evaluator against the offline prediction (local Graph server)", () => {
  let server: GraphServer;
  let restore: () => void;
  let client: ReturnType<typeof createGraphClient>;
  const personas = buildPersonas(testTenant());
  const exclusions = { excludedUsers: [SYNC_ACCOUNT.objectId, BREAK_GLASS_USER.objectId], excludedGroups: [BREAK_GLASS_GROUP.objectId] };
  const source = {
    policies: [
      policy("Block legacy", {
        users: { includedUsers: ["All"], ...exclusions },
        conditions: { clientAppTypes: ["exchangeActiveSync", "other"] },
        grant: BLOCK,
      }),
      policy("MFA everyone", { state: "enabledForReportingButNotEnforced", users: { includedUsers: ["All"], ...exclusions }, grant: MFA }),
    ],
    namedLocations: [],
  };

  before(async () => {
    server = await startGraphServer();
    registerWhatifRoutes(server);
    const local = localConnection(server);
    restore = local.restore;
    client = createGraphClient(local.connection);
    const tenantPolicies: TenantPolicy[] = [
      // The tenant's copy of "Block legacy" lost its sync exclusion: Graph says it applies to the sync account.
      {
        displayName: "Block legacy",
        state: "enabled",
        applies: (b) => b.signInConditions?.clientAppType === "exchangeActiveSync" && b.signInIdentity?.userId !== BREAK_GLASS_USER.objectId,
      },
      { displayName: "MFA everyone", state: "enabledForReportingButNotEnforced", applies: () => false },
      { displayName: "Portal-only policy", state: "enabled", applies: () => true },
    ];
    tenantPolicies.forEach((p) => server.collection<TenantPolicy>("whatifPolicies").set(p.displayName, p));
  });
  after(async () => {
    restore?.();
    await server?.close();
  });

  it("asks Graph once per real persona, target and client type, and reports only the disagreements", async () => {
    const disagreements = await compareLive(client, source, personas, [EXCHANGE]);
    expect(disagreements).to.deep.equal([
      {
        persona: `sync account ${SYNC_ACCOUNT.displayName}`,
        target: EXCHANGE,
        clientApp: "exchangeActiveSync",
        policy: "Block legacy",
        live: true,
        offline: false,
      },
    ]);
    const calls = server.requestsTo("POST", "/v1.0/identity/conditionalAccess/evaluate");
    // Real accounts only: the sync account and the break-glass user; the group member and built-ins are synthetic.
    expect(calls).to.have.length(2 * 2);
    expect(calls[0].body).to.deep.equal({
      signInIdentity: { "@odata.type": "#microsoft.graph.userSignIn", userId: SYNC_ACCOUNT.objectId },
      signInContext: { "@odata.type": "#microsoft.graph.applicationContext", includeApplications: [EXCHANGE] },
      signInConditions: { clientAppType: "browser", devicePlatform: "windows" },
      appliedPoliciesOnly: false,
    });
    expect(calls[0].headers.authorization).to.match(/^Bearer /);
  });

  it("maps user actions to Graph's userActionContext", async () => {
    await compareLive(client, source, personas.slice(0, 1), ["urn:user:registersecurityinfo"], { clientApps: ["browser"] });
    const last = server.requestsTo("POST", "/v1.0/identity/conditionalAccess/evaluate").at(-1)!;
    expect((last.body as { signInContext: unknown }).signInContext).to.deep.equal({
      "@odata.type": "#microsoft.graph.userActionContext",
      userAction: "registerSecurityInformation",
    });
  });

  it("explains a 403 with the permission the what-if API needs, naming the persona", async () => {
    server.failNext({
      method: "POST",
      path: "/v1.0/identity/conditionalAccess/evaluate",
      status: 403,
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges",
    });
    const err = await compareLive(client, source, personas.slice(0, 1), [EXCHANGE], { clientApps: ["browser"] }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message)
      .to.contain(`asking Graph's what-if evaluator for sync account ${SYNC_ACCOUNT.displayName}`)
      .and.contain("HTTP 403 Authorization_RequestDenied")
      .and.contain("Policy.Read.ConditionalAccess");
  });
});
