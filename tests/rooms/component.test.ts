import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import * as pulumi from "@pulumi/pulumi";
import { declareRooms, RoomMailbox } from "../../components/rooms";
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

  let declared: ReturnType<typeof declareRooms>;
  before(async () => {
    declared = declareRooms(tenant, [device, bookable], [{ name: "roomlist-london", displayName: "London HQ", address: "rooms-london@contoso.com" }]);
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
      "m365-baseline:rooms:RoomMailbox",
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
    declareRooms(tenant, [device], [{ name: "roomlist-london", displayName: "London HQ", address: "rooms-london@contoso.com" }]);
    await settle();
    const account = resources.find((r) => r.name === "room-london-thames-account")!;
    expect(account.additionalSecretOutputs).to.deep.equal(["password"]);
    const mailbox = resources.find((r) => r.name === "room-london-thames-mailbox")!;
    expect(mailbox.additionalSecretOutputs).to.deep.equal([]);
  });
});
