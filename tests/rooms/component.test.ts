import { expect } from "chai";
import { LEGACY_DYNAMIC_TYPE, TOKENS } from "../../lib/managed/tokens";
import * as pulumi from "@pulumi/pulumi";
import { declareRooms, RoomMailbox, RoomSet } from "../../components/rooms";
import type { RoomDefinition } from "../../components/rooms";
import { sanitize, SECRET_MARKER } from "../../lib/plan/record";
import type { TenantSettings } from "../../lib/tenant-settings";

const FAKE_PASSWORD = "Gener4ted-by-the-mock-Rand0m!";

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

const tenant: TenantSettings = {
  stack: "contoso-hybrid",
  displayName: "Contoso",
  tenantId: "e009f16d-210b-47fd-82d7-ca168b105268",
  directorySync: { accounts: [], servicePrincipals: [] },
  breakGlass: { users: [{ objectId: "f5d1338a-d90b-4b58-b7d2-fc8eb8b1350b", displayName: "bg" }], groups: [] },
  graph: { cloud: "global", credential: "azureCli" },
  rooms: { accountsGroup: { objectId: "3c5e7a9b-2d4f-4e6a-9b8c-7d1e2f3a4b5c", displayName: "SG-TeamsRoomsAccounts" }, membership: "assigned" },
};

const device: RoomDefinition = {
  name: "room-london-thames",
  displayName: "London – Thames",
  address: "Thames@contoso.com",
  calendar: { bookingWindowInDays: 90 },
  place: { capacity: 8, building: "London HQ" },
  roomList: "rooms-london@contoso.com",
  teamsRooms: { usageLocation: "GB", sku: "Microsoft_Teams_Rooms_Pro" },
};
const bookable: RoomDefinition = { name: "room-london-severn", displayName: "London – Severn", address: "severn@contoso.com" };

function valueOf<T>(output: pulumi.Output<T>): Promise<{ value: T; secret: boolean }> {
  return new Promise((resolve) => output.apply((value) => resolve({ value, secret: false }))).then(async (r) => ({
    ...(r as { value: T }),
    secret: await pulumi.isSecret(output),
  }));
}

describe("rooms: RoomMailbox component under Pulumi mocks", () => {
  const registered: Registered[] = [];

  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          registered.push({ type: args.type, name: args.name, inputs: args.inputs });
          const state = args.type === "random:index/randomPassword:RandomPassword" ? { ...args.inputs, result: FAKE_PASSWORD } : args.inputs;
          return { id: `${args.name}-id`, state };
        },
        call: (args) => args.inputs,
      },
      "m365-baseline",
      "contoso-hybrid",
      true,
    );
  });

  let declared: RoomSet;
  before(async () => {
    declared = new RoomSet("rooms", {
      tenant,
      rooms: [device, bookable],
      lists: [{ name: "roomlist-london", displayName: "London HQ", address: "rooms-london@contoso.com" }],
    });
    await valueOf(declared.rooms["room-london-thames"].userId);
    await valueOf(declared.rooms["room-london-severn"].userId);
  });

  const byName = (name: string): Registered => {
    const found = registered.find((r) => r.name === name);
    if (!found) throw new Error(`no resource ${name}; registered: ${registered.map((r) => r.name).join(", ")}`);
    return found;
  };

  it("hands the device password to the account provider only as a Pulumi secret", () => {
    const account = sanitize(byName("room-london-thames-account").inputs) as Record<string, unknown>;
    expect(account.password).to.equal(SECRET_MARKER);
    expect(account).to.include({ userPrincipalName: "thames@contoso.com", usageLocation: "GB", passwordRevision: 1 });
    expect(account.licences).to.deep.equal(["Microsoft_Teams_Rooms_Pro"]);
  });

  it("never puts the password in any plain input: the recorded plan shows [secret] and not the value", () => {
    const plan = JSON.stringify(registered.map((r) => sanitize(r.inputs)));
    expect(plan).to.not.contain(FAKE_PASSWORD);
    expect(plan).to.contain(SECRET_MARKER);
    expect(Object.keys(byName("room-london-thames-mailbox").inputs)).to.not.include("password");
  });

  it("exposes the device password only as a secret output, and none for a bookable room", async () => {
    const thames = declared.rooms["room-london-thames"];
    const password = await valueOf(thames.devicePassword!);
    expect(password.secret).to.equal(true);
    expect(declared.rooms["room-london-severn"].devicePassword).to.equal(undefined);
  });

  it("generates the password with @pulumi/random, rotated by passwordRevision", () => {
    const random = byName("room-london-thames-password");
    expect(random.type).to.equal("random:index/randomPassword:RandomPassword");
    expect(random.inputs).to.include({ length: 32, special: true });
    expect(random.inputs.keepers).to.deep.equal({ revision: "1" });
  });

  it("declares the mailbox with exact Exchange and Graph payloads", () => {
    const mailbox = sanitize(byName("room-london-thames-mailbox").inputs) as Record<string, unknown>;
    expect(mailbox.address).to.equal("thames@contoso.com");
    expect(mailbox.mailbox).to.deep.equal({ Alias: "Thames", DisplayName: "London – Thames", MailTip: "" });
    expect(mailbox.place).to.deep.equal({ "@odata.type": "microsoft.graph.room", building: "London HQ", capacity: 8, isWheelChairAccessible: false, tags: [] });
    expect(mailbox.roomList).to.equal("rooms-london@contoso.com");
    expect(mailbox.deletion).to.equal("soft");
    expect(mailbox.connection).to.deep.equal({ tenantId: tenant.tenantId, cloud: "global", credential: "azureCli" });
  });

  it("declares no account, licence or password for a bookable room", () => {
    expect(registered.filter((r) => r.name.startsWith("room-london-severn")).map((r) => r.type)).to.deep.equal([
      TOKENS.roomMailboxComponent,
      TOKENS.roomMailbox,
    ]);
  });

  it("declares the room list as a room-list group", () => {
    const list = sanitize(byName("roomlist-london-group").inputs) as Record<string, unknown>;
    expect(list.create).to.deep.equal({
      CmdletName: "New-DistributionGroup",
      Parameters: { DisplayName: "London HQ", Name: "rooms-london", PrimarySmtpAddress: "rooms-london@contoso.com", RoomList: true },
    });
  });

  it("rejects a bad room before declaring anything, naming the tenant, room and field", () => {
    const before = registered.length;
    expect(() => new RoomMailbox("bad", { tenant, room: { ...bookable, name: "bad", place: { capacity: 0 } } })).to.throw(
      "tenant contoso-hybrid › room bad › place › capacity: 0 is not a positive whole number. Allowed: a number of seats such as 8.",
    );
    expect(registered.length).to.equal(before);
  });
});

describe("rooms: the account resource's registration", () => {
  it("asks the engine to keep the password a secret output", async () => {
    const { startMocks } = await import("../support/pulumi-mocks");
    const { resources, settle } = await startMocks("contoso-hybrid");
    new RoomSet("rooms", { tenant, rooms: [device], lists: [{ name: "roomlist-london", displayName: "London HQ", address: "rooms-london@contoso.com" }] });
    await settle();
    const account = resources.find((r) => r.name === "room-london-thames-account")!;
    expect(account.additionalSecretOutputs).to.deep.equal(["password"]);
    const mailbox = resources.find((r) => r.name === "room-london-thames-mailbox")!;
    expect(mailbox.additionalSecretOutputs).to.deep.equal([]);
  });
});

/**
 * Versions before RoomSet declared RoomMailbox and RoomList through `declareRooms`, directly under the stack (or the
 * parent passed to it). Expected URNs are the ones those versions registered (a plan of contoso-hybrid at 0.1).
 */
describe("rooms: RoomSet parents every room and list and keeps existing stacks in place", () => {
  const OLD_THAMES = "urn:pulumi:contoso-hybrid::m365-baseline::m365-baseline:rooms:RoomMailbox::room-london-thames";
  const OLD_THAMES_MAILBOX =
    "urn:pulumi:contoso-hybrid::m365-baseline::m365-baseline:rooms:RoomMailbox$pulumi-nodejs:dynamic/m365-baseline:RoomMailbox::room-london-thames-mailbox";
  const list = { name: "roomlist-london", displayName: "London HQ", address: "rooms-london@contoso.com" };

  it("registers rooms and lists as children of the set, each aliased to the stack it used to sit under", async () => {
    const { startMocks } = await import("../support/pulumi-mocks");
    const { resources, settle } = await startMocks("contoso-hybrid");
    const set = new RoomSet("rooms", { tenant, rooms: [device, bookable], lists: [list] });
    await settle();
    const setUrn = resources.find((r) => r.type === TOKENS.roomSet)!.urn;
    const components = resources.filter((r) => r.type === TOKENS.roomMailboxComponent || r.type === TOKENS.roomListComponent);
    expect(components.map((r) => r.name).sort()).to.deep.equal(["room-london-severn", "room-london-thames", "roomlist-london"]);
    for (const component of components) {
      expect(component.parent, component.name).to.equal(setUrn);
      // No name or type: only the parent moved. Outside a stack the SDK sends the root parent as "no parent".
      expect(component.aliases, component.name).to.deep.equal([{ name: "", type: "", parentUrn: "", noParent: true }]);
    }
    const thames = set.rooms["room-london-thames"];
    const aliasUrns = await Promise.all((thames as unknown as { __aliases: pulumi.Output<string>[] }).__aliases.map((a) => valueOf(a)));
    expect(aliasUrns.map((a) => a.value)).to.deep.equal([OLD_THAMES]);
  });

  it("the mailbox inside a room keeps its old URN through the room's alias (the child alias Pulumi derives)", async () => {
    const { startMocks } = await import("../support/pulumi-mocks");
    const { settle } = await startMocks("contoso-hybrid");
    const set = new RoomSet("rooms", { tenant, rooms: [device], lists: [list] });
    await settle();
    // What the engine derives for a child from its parent's aliases (the SDK's own computation for older engines).
    const derived = pulumi.allAliases([], "room-london-thames-mailbox", TOKENS.roomMailbox, set.rooms["room-london-thames"], "room-london-thames");
    const urns = await Promise.all(derived.map((a) => valueOf(a)));
    expect(urns.map((u) => u.value)).to.include(OLD_THAMES_MAILBOX);
    // A stack from before managed objects had their own type: both the parent and the type moved. Pulumi multiplies
    // the child's own alias (the legacy type, lib/managed/resource.ts) by the parent's, so that URN is covered too.
    const both = pulumi.allAliases(
      [{ type: LEGACY_DYNAMIC_TYPE }],
      "room-london-thames-mailbox",
      TOKENS.roomMailbox,
      set.rooms["room-london-thames"],
      "room-london-thames",
    );
    const bothUrns = await Promise.all(both.map((a) => valueOf(a)));
    expect(bothUrns.map((u) => u.value)).to.include(
      "urn:pulumi:contoso-hybrid::m365-baseline::m365-baseline:rooms:RoomMailbox$pulumi-nodejs:dynamic:Resource::room-london-thames-mailbox",
    );
  });

  it("aliases to the caller's parent when declareRooms was given one, and declares the same rooms", async () => {
    const { startMocks } = await import("../support/pulumi-mocks");
    const { resources, settle } = await startMocks("contoso-hybrid");
    const owner = new pulumi.ComponentResource("acme:index:Tenant", "acme");
    declareRooms(tenant, [bookable], [], { parent: owner });
    await settle();
    const ownerUrn = resources.find((r) => r.name === "acme")!.urn!;
    const severn = resources.find((r) => r.name === "room-london-severn")!;
    expect(severn.aliases).to.deep.equal([{ name: "", type: "", parentUrn: ownerUrn, noParent: false }]);
    expect(resources.find((r) => r.type === TOKENS.roomSet)!.parent).to.equal(ownerUrn);
  });

  it("validates the whole set before declaring anything", async () => {
    const { startMocks } = await import("../support/pulumi-mocks");
    const { resources } = await startMocks("contoso-hybrid");
    expect(() => new RoomSet("rooms", { tenant, rooms: [device, { ...bookable, address: "THAMES@contoso.com" }] })).to.throw(/thames@contoso\.com/i);
    expect(resources).to.deep.equal([]);
  });
});

/**
 * Microsoft's Teams Rooms guidance: every room resource account in one group, which conditional access excludes
 * (https://learn.microsoft.com/microsoftteams/rooms/conditional-access-and-compliance-for-devices).
 */
describe("rooms: each Teams Rooms account joins the tenant's room accounts group", () => {
  it("a device room's account becomes a member (azuread.GroupMember under the room); a bookable room has no account to add", async () => {
    const { startMocks } = await import("../support/pulumi-mocks");
    const { resources, settle } = await startMocks("contoso-hybrid");
    new RoomSet("rooms", { tenant, rooms: [{ ...device, roomList: undefined }, bookable] });
    await settle();
    const members = resources.filter((r) => r.type === "azuread:index/groupMember:GroupMember");
    expect(members.map((m) => m.name)).to.deep.equal(["room-london-thames-room-accounts-member"]);
    const thames = resources.find((r) => r.type === TOKENS.roomMailboxComponent && r.name === "room-london-thames")!;
    expect(members[0].parent).to.equal(thames.urn);
    // The member is the account resource's ID, which the mocks make `<name>-id`.
    expect(members[0].inputs).to.deep.equal({ groupObjectId: "3c5e7a9b-2d4f-4e6a-9b8c-7d1e2f3a4b5c", memberObjectId: "room-london-thames-account-id" });
  });

  it("a dynamic group adds the accounts by its own rule: the baseline declares no membership", async () => {
    const { startMocks } = await import("../support/pulumi-mocks");
    const { resources, settle } = await startMocks("contoso-hybrid");
    new RoomSet("rooms", { tenant: { ...tenant, rooms: { ...tenant.rooms!, membership: "dynamic" } }, rooms: [{ ...device, roomList: undefined }] });
    await settle();
    expect(resources.filter((r) => r.type === "azuread:index/groupMember:GroupMember")).to.deep.equal([]);
  });

  it("a Teams Rooms device in a tenant without the group is refused before anything is declared, naming the setting", () => {
    const { rooms: _dropped, ...withoutGroup } = tenant;
    expect(() => new RoomSet("rooms", { tenant: withoutGroup, rooms: [bookable, device] })).to.throw(
      "tenant contoso-hybrid › room room-london-thames › teamsRooms: Pulumi.contoso-hybrid.yaml names no room accounts group (m365-baseline:tenant › rooms.accountsGroup)",
    );
  });
});
