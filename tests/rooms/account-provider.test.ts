import { expect } from "chai";
import {
  createRoomAccount,
  deleteRoomAccount,
  diffRoomAccount,
  readRoomAccount,
  RoomAccountInputs,
  updateRoomAccount,
} from "../../components/rooms/account-provider";
import { createRoomMailbox } from "../../components/rooms/mailbox-provider";
import { FAST_POLL, inputsFor, RoomsServer, SKU_PHONE, SKU_PRO, startRoomsServer, thames } from "./support/fixture";

const PASSWORD = "Device-passw0rd-for-tests-only!";

describe("rooms: Teams Rooms account provider against the local Graph server", () => {
  let rooms: RoomsServer;
  let userId: string;
  const inputs = (overrides: Partial<RoomAccountInputs> = {}): RoomAccountInputs => ({
    connection: rooms.connection,
    room: "room-london-thames",
    userPrincipalName: "thames@contoso.com",
    password: PASSWORD,
    passwordRevision: 1,
    usageLocation: "GB",
    licences: ["Microsoft_Teams_Rooms_Pro"],
    poll: FAST_POLL,
    ...overrides,
  });
  const user = (): Record<string, unknown> => rooms.server.collection<Record<string, unknown>>("users").get(userId)!;

  beforeEach(async () => {
    rooms = await startRoomsServer();
    userId = (await createRoomMailbox(inputsFor(rooms, thames()))).id;
  });
  afterEach(async () => {
    await rooms.stop();
  });

  it("enables the account with a never-expiring password, usage location before the licence", async () => {
    const { id, outs } = await createRoomAccount(inputs());
    expect(id).to.equal(userId);
    expect(user()).to.include({ accountEnabled: true, passwordPolicies: "DisablePasswordExpiration", usageLocation: "GB", password: PASSWORD });
    expect(user().assignedLicenses).to.deep.equal([{ skuId: SKU_PRO }]);
    expect(JSON.stringify(outs)).to.not.contain(PASSWORD);
  });

  it("waits for the account to replicate to Entra (404s) before changing it", async () => {
    rooms.server.failNext({ method: "GET", path: "/v1.0/users/thames%40contoso.com", status: 404, times: 2 });
    rooms.server.failNext({ method: "GET", path: "/v1.0/users/thames@contoso.com", status: 404, times: 2 });
    await createRoomAccount(inputs());
    const lookups = rooms.server.requestsTo("GET", /\/v1\.0\/users\/thames/).map((r) => r.status);
    expect(lookups.filter((s) => s === 404)).to.have.length(2);
    expect(lookups.at(-1)).to.equal(200);
  });

  it("a re-run of create (interrupted run) assigns no second licence seat", async () => {
    await createRoomAccount(inputs());
    await createRoomAccount(inputs());
    expect(rooms.skus.find((s) => s.skuId === SKU_PRO)!.consumedUnits).to.equal(1);
    expect(rooms.server.requestsTo("POST", /assignLicense$/)).to.have.length(1);
  });

  it("says which SKU has no free seat, before calling assignLicense", async () => {
    rooms.skus.find((s) => s.skuId === SKU_PRO)!.consumedUnits = 2;
    const err = await createRoomAccount(inputs()).catch((e: Error) => e);
    expect((err as Error).message).to.contain("room room-london-thames: no free seat of Microsoft_Teams_Rooms_Pro (2 of 2 assigned)");
    expect(rooms.server.requestsTo("POST", /assignLicense$/)).to.have.length(0);
  });

  it("says when the tenant has no subscription for a SKU, listing the ones it has", async () => {
    const err = await createRoomAccount(inputs({ licences: ["Microsoft_Teams_Rooms_Basic"] })).catch((e: Error) => e);
    expect((err as Error).message).to.contain("no subscription for licence Microsoft_Teams_Rooms_Basic. Subscribed SKUs: MCOEV, Microsoft_Teams_Rooms_Pro");
  });

  it("never puts the password in an error message", async () => {
    rooms.server.failNext({
      method: "PATCH",
      path: /\/v1\.0\/users\//,
      status: 403,
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
    });
    const err = await createRoomAccount(inputs()).catch((e: Error) => e);
    expect((err as Error).message).to.contain("enabling the account with its device password for room room-london-thames failed: HTTP 403");
    expect((err as Error).message)
      .to.contain("User Administrator")
      .and.not.contain(PASSWORD);
  });

  it("updates only what changed: a new password revision resets the password, an added licence adds one seat", async () => {
    const { outs } = await createRoomAccount(inputs());
    const patchesBefore = rooms.server.requestsTo("PATCH", /\/v1\.0\/users\//).length;
    await updateRoomAccount(outs, inputs({ passwordRevision: 2, password: "Rotated-passw0rd!" }));
    const patches = rooms.server.requestsTo("PATCH", /\/v1\.0\/users\//).slice(patchesBefore);
    expect(patches.map((p) => Object.keys(p.body as object))).to.deep.equal([["passwordProfile"]]);
    expect(user().password).to.equal("Rotated-passw0rd!");
    await updateRoomAccount(outs, inputs({ licences: ["MCOEV", "Microsoft_Teams_Rooms_Pro"] }));
    expect((user().assignedLicenses as { skuId: string }[]).map((l) => l.skuId).sort()).to.deep.equal([SKU_PHONE, SKU_PRO].sort());
  });

  it("on delete frees the licences and disables sign-in", async () => {
    const { outs } = await createRoomAccount(inputs());
    await deleteRoomAccount(outs);
    expect(user()).to.include({ accountEnabled: false });
    expect(user().assignedLicenses).to.deep.equal([]);
    expect(rooms.skus.find((s) => s.skuId === SKU_PRO)!.consumedUnits).to.equal(0);
  });

  it("read: UPN, usage location and every assigned licence by SKU part number; a licence removed in the portal is drift", async () => {
    const { id, outs } = await createRoomAccount(inputs({ licences: ["MCOEV", "Microsoft_Teams_Rooms_Pro"] }));
    const fresh = await readRoomAccount(id, outs);
    expect(fresh.props).to.deep.include({ userPrincipalName: "thames@contoso.com", usageLocation: "GB", licences: ["MCOEV", "Microsoft_Teams_Rooms_Pro"] });
    expect(diffRoomAccount(fresh.props!, inputs({ licences: ["MCOEV", "Microsoft_Teams_Rooms_Pro"] })).changes).to.equal(false);
    user().assignedLicenses = [{ skuId: SKU_PRO }];
    user().usageLocation = "NL";
    const drifted = (await readRoomAccount(id, outs)).props!;
    expect([drifted.licences, drifted.usageLocation]).to.deep.equal([["Microsoft_Teams_Rooms_Pro"], "NL"]);
    expect(diffRoomAccount(drifted, inputs({ licences: ["MCOEV", "Microsoft_Teams_Rooms_Pro"] })).changes).to.equal(true);
    // The next `up` puts the declared licence back.
    await updateRoomAccount(drifted, inputs({ licences: ["MCOEV", "Microsoft_Teams_Rooms_Pro"] }));
    expect((user().assignedLicenses as { skuId: string }[]).map((l) => l.skuId).sort()).to.deep.equal([SKU_PHONE, SKU_PRO].sort());
    expect(user().usageLocation).to.equal("GB");
  });

  it("read: an account deleted in Entra is gone", async () => {
    const { id, outs } = await createRoomAccount(inputs());
    rooms.server.collection("users").delete(id);
    expect(await readRoomAccount(id, outs)).to.deep.equal({});
  });

  it("update removes a licence that is no longer declared, and frees its seat", async () => {
    const { outs } = await createRoomAccount(inputs({ licences: ["MCOEV", "Microsoft_Teams_Rooms_Pro"] }));
    await updateRoomAccount(outs, inputs({ licences: ["Microsoft_Teams_Rooms_Pro"] }));
    expect(user().assignedLicenses).to.deep.equal([{ skuId: SKU_PRO }]);
    expect(rooms.skus.find((s) => s.skuId === SKU_PHONE)!.consumedUnits).to.equal(0);
  });

  it("diff: a new UPN replaces the account; location, password revision, licences and polling update; the same is no change", () => {
    const outs = { ...inputs(), userId: "u1" } as unknown as Parameters<typeof diffRoomAccount>[0];
    expect(diffRoomAccount(outs, inputs({ userPrincipalName: "severn@contoso.com" }))).to.deep.equal({ changes: true, replaces: ["userPrincipalName"] });
    for (const change of [
      { usageLocation: "NL" },
      { passwordRevision: 2 },
      { licences: ["MCOEV"] },
      { poll: { attempts: 1, startingDelayMs: 1 } },
    ] as Partial<RoomAccountInputs>[]) {
      expect(diffRoomAccount(outs, inputs(change)), JSON.stringify(change)).to.deep.equal({ changes: true });
    }
    expect(diffRoomAccount(outs, inputs({ password: "a different value with the same revision" }))).to.deep.equal({ changes: false });
  });

  it("delete of an account already gone succeeds; another failure names the room and the step", async () => {
    const { outs } = await createRoomAccount(inputs());
    rooms.server.failNext({ method: "GET", path: "/v1.0/subscribedSkus", status: 403 });
    const err = await deleteRoomAccount(outs).catch((e: Error) => e);
    expect((err as Error).message).to.contain("reading subscribed SKUs for room room-london-thames failed: HTTP 403");
    expect(user().accountEnabled, "nothing was changed").to.equal(true);
    rooms.server.collection("users").delete(outs.userId);
    await deleteRoomAccount(outs);
  });
});
