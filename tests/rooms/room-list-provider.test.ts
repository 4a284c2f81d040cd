import { expect } from "chai";
import { buildNewRoomListCall } from "../../components/rooms/payload";
import { RoomListInputs, roomListProvider } from "../../components/rooms/room-list-provider";
import { FAST_POLL, RoomsServer, startRoomsServer } from "./support/fixture";

/** Room lists: distribution groups with RoomList set (New-, Get-, Set-, Remove-DistributionGroup). */
describe("rooms: room-list provider against the local Exchange server", () => {
  let rooms: RoomsServer;
  const list = { name: "roomlist-london", address: "rooms-london@contoso.com", displayName: "London HQ" };
  const inputs = (overrides: Partial<RoomListInputs> = {}): RoomListInputs => ({
    connection: rooms.connection,
    exchangeUrl: rooms.server.url,
    room: list.name,
    address: list.address,
    displayName: list.displayName,
    create: buildNewRoomListCall(list),
    poll: FAST_POLL,
    ...overrides,
  });
  const cmdlets = () => rooms.exchange.calls.map((c) => c.cmdlet);
  beforeEach(async () => (rooms = await startRoomsServer()));
  afterEach(async () => rooms.stop());

  it("creates the group as a room list, identified by its address, and checks it is there", async () => {
    const { id, outs } = await roomListProvider.create(inputs());
    expect(id).to.equal("rooms-london@contoso.com");
    expect(outs).to.deep.equal(inputs());
    expect(rooms.exchange.groups.get(id)).to.include({ DisplayName: "London HQ", RecipientTypeDetails: "RoomList" });
    expect(cmdlets()).to.deep.equal(["Get-DistributionGroup", "New-DistributionGroup", "Get-DistributionGroup"]);
  });

  it("waits through replication lag after New-DistributionGroup", async () => {
    rooms.exchange.replicationLag = 2;
    await roomListProvider.create(inputs());
    expect(cmdlets().filter((c) => c === "Get-DistributionGroup").length).to.be.greaterThan(2);
  });

  it("adopts an existing room list with the address, renaming it to the declared name, without New-DistributionGroup", async () => {
    await rooms.exchange.handle(
      {
        CmdletInput: {
          CmdletName: "New-DistributionGroup",
          Parameters: { Name: "rooms-london", DisplayName: "Old name", PrimarySmtpAddress: list.address, RoomList: true },
        },
      },
      undefined,
    );
    rooms.exchange.calls.length = 0;
    await roomListProvider.create(inputs());
    expect(cmdlets()).to.deep.equal(["Get-DistributionGroup", "Set-DistributionGroup"]);
    expect(rooms.exchange.groups.get(list.address)!.DisplayName).to.equal("London HQ");
  });

  it("refuses an address that belongs to a group that is not a room list", async () => {
    await rooms.exchange.handle(
      { CmdletInput: { CmdletName: "New-DistributionGroup", Parameters: { Name: "rooms-london", DisplayName: "Staff", PrimarySmtpAddress: list.address } } },
      undefined,
    );
    const err = await roomListProvider.create(inputs()).catch((e: Error) => e);
    expect((err as Error).message).to.equal(
      "room list roomlist-london: rooms-london@contoso.com is a MailUniversalDistributionGroup, not a room list; choose another address",
    );
  });

  it("reads the display name back (drift), and a deleted list as gone", async () => {
    const { id, outs } = await roomListProvider.create(inputs());
    expect((await roomListProvider.read(id, outs)).props).to.deep.equal(inputs());
    rooms.exchange.groups.get(id)!.DisplayName = "Renamed";
    const drifted = await roomListProvider.read(id, outs);
    expect(drifted.props!.displayName).to.equal("Renamed");
    expect(drifted.inputs!.displayName).to.equal("Renamed");
    rooms.exchange.groups.delete(id);
    expect(await roomListProvider.read(id, outs)).to.deep.equal({});
  });

  it("renames in place with Set-DistributionGroup, and sends nothing when the name is unchanged", async () => {
    const { id, outs } = await roomListProvider.create(inputs());
    rooms.exchange.calls.length = 0;
    await roomListProvider.update(id, outs, inputs());
    expect(cmdlets()).to.deep.equal([]);
    await roomListProvider.update(id, outs, inputs({ displayName: "London HQ rooms" }));
    expect(rooms.exchange.calls.map((c) => [c.cmdlet, c.parameters])).to.deep.equal([
      ["Set-DistributionGroup", { Identity: list.address, DisplayName: "London HQ rooms", BypassSecurityGroupManagerCheck: true }],
    ]);
  });

  it("deletes, and a list already gone counts as deleted", async () => {
    const { id, outs } = await roomListProvider.create(inputs());
    await roomListProvider.delete(id, outs);
    expect(rooms.exchange.groups.has(id)).to.equal(false);
    await roomListProvider.delete(id, outs);
  });

  it("diff: a new address replaces (old one first), a new name or poll setting updates, nothing else is a change", async () => {
    expect(await roomListProvider.diff("x", inputs(), inputs({ address: "rooms-leeds@contoso.com" }))).to.deep.equal({
      changes: true,
      replaces: ["address"],
      deleteBeforeReplace: true,
    });
    expect(await roomListProvider.diff("x", inputs(), inputs({ displayName: "Other" }))).to.deep.equal({ changes: true });
    expect(await roomListProvider.diff("x", inputs(), inputs({ poll: { attempts: 1, startingDelayMs: 1 } }))).to.deep.equal({ changes: true });
    expect(await roomListProvider.diff("x", inputs(), inputs())).to.deep.equal({ changes: false });
    expect(await roomListProvider.check({}, inputs())).to.deep.equal({ inputs: inputs() });
  });
});
