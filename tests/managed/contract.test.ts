import { expect } from "chai";
import { remoteCallError } from "../../lib/graph";
import { createOnce, lookupPace, outcomeUnknown } from "../../lib/managed/create-once";
import { hostedProvider, isPartialFailure, ManagedProvider, partialFailure } from "../../lib/managed/resource";
import { LEGACY_DYNAMIC_TYPE, managedToken, TOKENS } from "../../lib/managed/tokens";

/** The managed-object contract's own rules, each from the service behaviour it answers (docs/managed-objects.md). */
describe("managed-object contract", () => {
  describe("outcomeUnknown: may the service have carried the request out?", () => {
    it("a 4xx is a refusal: nothing happened", () => {
      for (const status of [400, 401, 403, 404, 409, 429]) expect(outcomeUnknown(remoteCallError("x", status, "c")), String(status)).to.equal(false);
    });
    it("a 5xx, or no HTTP answer at all, may have come after the commit", () => {
      for (const status of [500, 502, 503, 504]) expect(outcomeUnknown(remoteCallError("x", status, "c")), String(status)).to.equal(true);
      expect(outcomeUnknown(remoteCallError("fetch failed", -1, "NoResponse"))).to.equal(true);
      expect(outcomeUnknown(new Error("socket hang up"))).to.equal(true);
    });
  });

  describe("createOnce", () => {
    const fast = { attempts: 3, startingDelayMs: 1 };
    it("looks first where the key is unique, and adopts without sending", async () => {
      let sent = 0;
      const result = await createOnce({ findFirst: true, lookups: fast, find: async () => "existing", send: async () => (sent++, "new") });
      expect(result).to.deep.equal({ value: "existing", adopted: true });
      expect(sent).to.equal(0);
    });
    it("sends once when nothing exists", async () => {
      let sent = 0;
      const result = await createOnce({ findFirst: true, lookups: fast, find: async () => undefined, send: async () => (sent++, "new") });
      expect(result).to.deep.equal({ value: "new", adopted: false });
      expect(sent).to.equal(1);
    });
    it("does not look first where the key is not unique", async () => {
      let finds = 0;
      await createOnce({ findFirst: false, lookups: fast, find: async () => (finds++, "other"), send: async () => "new" });
      expect(finds).to.equal(0);
    });
    it("after an uncertain failure, finds the object through replication lag and adopts it; never sends again", async () => {
      let sent = 0;
      let finds = 0;
      const result = await createOnce({
        findFirst: false,
        lookups: fast,
        send: async () => {
          sent++;
          throw remoteCallError("HTTP 503", 503, "ServiceUnavailable");
        },
        find: async () => (++finds >= 2 ? "landed" : undefined),
      });
      expect(result).to.deep.equal({ value: "landed", adopted: true });
      expect([sent, finds]).to.deep.equal([1, 2]);
    });
    it("after an uncertain failure with nothing found, reports the original error", async () => {
      const err = await createOnce({
        findFirst: false,
        lookups: fast,
        send: () => Promise.reject(remoteCallError("HTTP 503 original", 503, "s")),
        find: async () => undefined,
      }).catch((e: Error) => e);
      expect((err as Error).message).to.equal("HTTP 503 original");
    });
    it("after a refusal (4xx), does not look: the error as it came", async () => {
      let finds = 0;
      const err = await createOnce({
        findFirst: false,
        lookups: fast,
        send: () => Promise.reject(remoteCallError("HTTP 400", 400, "BadRequest")),
        find: async () => (finds++, "x"),
      }).catch((e: Error) => e);
      expect((err as Error).message).to.equal("HTTP 400");
      expect(finds).to.equal(0);
    });
    it("looks at the connection's retry pace, never faster than 20 ms", () => {
      expect(lookupPace({ retry: { delaySeconds: 3 } })).to.deep.equal({ attempts: 4, startingDelayMs: 3000 });
      expect(lookupPace({ retry: { delaySeconds: 0 } })).to.deep.equal({ attempts: 4, startingDelayMs: 20 });
      expect(lookupPace({})).to.deep.equal({ attempts: 4, startingDelayMs: 2000 });
    });
  });

  describe("partial failures keep what the engine needs", () => {
    it("a partial failure is a real Error with the object's ID and state, recognised by its name", () => {
      const failure = partialFailure("upload failed", "id-1", { displayName: "T" });
      expect(failure).to.be.instanceOf(Error);
      expect(failure.message).to.equal("upload failed");
      expect([failure.id, failure.properties, failure.reasons]).to.deep.equal(["id-1", { displayName: "T" }, ["upload failed"]]);
      expect(isPartialFailure(failure)).to.equal(true);
      expect(isPartialFailure(new Error("upload failed"))).to.equal(false);
      expect(isPartialFailure(Object.assign(new Error("x"), { name: "PartialFailure" }))).to.equal(false);
    });

    const failing = (err: unknown): ManagedProvider<Record<string, unknown>, Record<string, unknown>> => ({
      check: async (_o, news) => ({ inputs: news }),
      diff: async () => ({ changes: false }),
      create: () => Promise.reject(err),
      read: async () => ({}),
      update: () => Promise.reject(err),
      delete: async () => undefined,
    });
    it("the hosted provider adds the serialized provider to a partial failure's state (create and update)", async () => {
      const hosted = hostedProvider(failing(partialFailure("half done", "id-1", { a: 1 })));
      const created = await hosted.create!({ a: 1, __provider: "CODE" }).catch((e: { properties: unknown }) => e);
      expect((created as { properties: unknown }).properties).to.deep.equal({ a: 1, __provider: "CODE" });
      const updated = await hosted.update!("id-1", { a: 0 }, { a: 1, __provider: "NEW CODE" }).catch((e: { properties: unknown }) => e);
      expect((updated as { properties: unknown }).properties).to.deep.equal({ a: 1, __provider: "NEW CODE" });
    });
    it("leaves any other error as it is", async () => {
      const plain = new Error("refused");
      const hosted = hostedProvider(failing(plain));
      expect(await hosted.create!({ __provider: "CODE" }).catch((e: unknown) => e)).to.equal(plain);
      expect(plain).to.not.have.property("properties");
    });
    it("passes every operation through", async () => {
      const calls: string[] = [];
      const provider: ManagedProvider<{ n: number }, { n: number }> = {
        check: async (_o, news) => (calls.push("check"), { inputs: news }),
        diff: async () => (calls.push("diff"), { changes: true }),
        create: async (i) => (calls.push("create"), { id: "x", outs: i }),
        read: async (id, p) => (calls.push("read"), { id, props: p }),
        update: async (_id, _o, n) => (calls.push("update"), { outs: n }),
        delete: async () => void calls.push("delete"),
      };
      const hosted = hostedProvider(provider);
      expect(await hosted.check!({}, { n: 1 })).to.deep.equal({ inputs: { n: 1 } });
      expect(await hosted.diff!("x", { n: 1 }, { n: 2 })).to.deep.equal({ changes: true });
      expect(await hosted.create!({ n: 1 })).to.deep.equal({ id: "x", outs: { n: 1 } });
      expect(await hosted.read!("x", { n: 1 })).to.deep.equal({ id: "x", props: { n: 1 } });
      expect(await hosted.update!("x", { n: 1 }, { n: 2 })).to.deep.equal({ outs: { n: 2 } });
      await hosted.delete!("x", { n: 2 });
      expect(calls).to.deep.equal(["check", "diff", "create", "read", "update", "delete"]);
    });
  });

  it("type tokens: pulumi-nodejs:dynamic/m365-baseline:<Type>, and the legacy generic token for aliases", () => {
    expect(managedToken("RoomList")).to.equal("pulumi-nodejs:dynamic/m365-baseline:RoomList");
    expect(TOKENS.agreement).to.equal("pulumi-nodejs:dynamic/m365-baseline:TermsOfUseAgreement");
    expect([TOKENS.forwardingDefaults, TOKENS.forwardingException, TOKENS.dkimKeys, TOKENS.dkimSigning, TOKENS.presetSecurityPolicy]).to.deep.equal([
      "pulumi-nodejs:dynamic/m365-baseline:ExternalForwardingDefaults",
      "pulumi-nodejs:dynamic/m365-baseline:ExternalForwardingException",
      "pulumi-nodejs:dynamic/m365-baseline:DkimSigningConfig",
      "pulumi-nodejs:dynamic/m365-baseline:DkimSigning",
      "pulumi-nodejs:dynamic/m365-baseline:PresetSecurityPolicy",
    ]);
    expect(LEGACY_DYNAMIC_TYPE).to.equal("pulumi-nodejs:dynamic:Resource");
  });

  // A token is part of every URN in every existing stack: changing one without an alias replaces real objects.
  // Spelt out here once, so the rest of the suite can use TOKENS and this test alone notices a change.
  it("component tokens are m365-baseline:<area>:<Name>, exactly as existing stacks hold them", () => {
    expect({
      ca: TOKENS.conditionalAccessComponent,
      caSet: TOKENS.conditionalAccessPolicySet,
      tou: TOKENS.termsOfUseComponent,
      roomSet: TOKENS.roomSet,
      room: TOKENS.roomMailboxComponent,
      roomList: TOKENS.roomListComponent,
      session: TOKENS.sessionComponent,
      sessionPolicy: TOKENS.sessionPolicy,
      defenderIntegrations: TOKENS.defenderIntegrations,
      mailProtection: TOKENS.mailProtection,
      mailDomain: TOKENS.mailDomain,
    }).to.deep.equal({
      ca: "m365-baseline:conditionalaccess:Policy",
      caSet: "m365-baseline:conditionalaccess:PolicySet",
      tou: "m365-baseline:termsofuse:TermsOfUse",
      roomSet: "m365-baseline:rooms:RoomSet",
      room: "m365-baseline:rooms:RoomMailbox",
      roomList: "m365-baseline:rooms:RoomList",
      session: "m365-baseline:cloudappsecurity:Session",
      sessionPolicy: "m365-baseline:cloudappsecurity:SessionPolicy",
      defenderIntegrations: "m365-baseline:cloudappsecurity:DefenderIntegrations",
      mailProtection: "m365-baseline:mailprotection:MailProtection",
      mailDomain: "m365-baseline:mailprotection:MailDomain",
    });
    expect(TOKENS.conditionalAccessPolicy).to.equal("azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy");
  });
});
