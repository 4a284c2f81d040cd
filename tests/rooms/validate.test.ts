import { expect } from "chai";
import { validateRoomSet } from "../../components/rooms/validate";
import type { RoomDefinition, RoomListDefinition } from "../../components/rooms/definition";
import { buildCalendarSettings, buildPlacePatch, changedGroups, buildRoomMailboxPayload, licenceSkus } from "../../components/rooms/payload";

// Teams Rooms devices need the tenant's room accounts group (conditional access excludes it).
const tenant = {
  stack: "fabrikam-cloud",
  rooms: { accountsGroup: { objectId: "3c5e7a9b-2d4f-4e6a-9b8c-7d1e2f3a4b5c", displayName: "SG-Rooms" }, membership: "assigned" as const },
};
const room = (overrides: Partial<RoomDefinition> = {}): RoomDefinition => ({
  name: "room-a",
  displayName: "Room A",
  address: "room-a@fabrikam.com",
  ...overrides,
});
const list: RoomListDefinition = { name: "roomlist-hq", displayName: "HQ", address: "rooms-hq@fabrikam.com" };

function problemsOf(rooms: RoomDefinition[], lists: RoomListDefinition[] = []): string {
  try {
    validateRoomSet(rooms, lists, tenant);
    return "";
  } catch (err) {
    return (err as Error).message;
  }
}

describe("rooms: validation before anything is sent", () => {
  it("accepts a well-formed set", () => {
    expect(
      problemsOf(
        [room({ roomList: "rooms-hq@fabrikam.com", teamsRooms: { usageLocation: "DE", sku: "Microsoft_Teams_Rooms_Pro", callingPlan: "MCOPSTN1" } })],
        [list],
      ),
    ).to.equal("");
  });

  const cases: [string, Partial<RoomDefinition>, string][] = [
    [
      "invalid SMTP address",
      { address: "room a@fabrikam" },
      'room room-a › address: "room a@fabrikam" is not an SMTP address. Allowed: an address such as thames@contoso.com.',
    ],
    ["invalid alias", { alias: ".room" }, 'room room-a › alias: ".room" is not a valid Exchange alias.'],
    [
      "capacity not positive",
      { place: { capacity: -2 } },
      "room room-a › place › capacity: -2 is not a positive whole number. Allowed: a number of seats such as 8.",
    ],
    ["capacity not whole", { place: { capacity: 2.5 } }, "room room-a › place › capacity: 2.5 is not a positive whole number."],
    ["floor not whole", { place: { floorNumber: 1.5 } }, "room room-a › place › floorNumber: 1.5 is not a whole number."],
    [
      "booking window out of range",
      { calendar: { bookingWindowInDays: 1081 } },
      "room room-a › calendar › bookingWindowInDays: 1081 is outside the range Exchange accepts. Allowed: a whole number from 0 to 1080.",
    ],
    [
      "negative maximum duration",
      { calendar: { maximumDurationInMinutes: -1 } },
      "room room-a › calendar › maximumDurationInMinutes: -1 is outside the range Exchange accepts.",
    ],
    [
      "unknown automate processing",
      { calendar: { automateProcessing: "Auto" as never } },
      'room room-a › calendar › automateProcessing: "Auto" is not a value Exchange accepts. Allowed: AutoAccept, AutoUpdate, None.',
    ],
    ["empty additional response", { calendar: { additionalResponse: " " } }, "room room-a › calendar › additionalResponse: is empty."],
    ["MailTip too long", { mailTip: "x".repeat(176) }, "room room-a › mailTip: is 176 characters long. Allowed: at most 175 characters."],
    ["empty display name", { displayName: "" }, "room room-a › displayName: is empty."],
    [
      "unknown licence SKU",
      { teamsRooms: { usageLocation: "DE", sku: "SPE_E5" as never } },
      'room room-a › teamsRooms › sku: "SPE_E5" is not a Teams Rooms licence. Allowed: Microsoft_Teams_Rooms_Pro, Microsoft_Teams_Rooms_Basic.',
    ],
    [
      "unknown calling plan",
      { teamsRooms: { usageLocation: "DE", sku: "Microsoft_Teams_Rooms_Pro", callingPlan: "MCOPSTN9" as never } },
      'room room-a › teamsRooms › callingPlan: "MCOPSTN9" is not a calling plan SKU.',
    ],
    [
      "calling plan without Phone System",
      { teamsRooms: { usageLocation: "DE", sku: "Microsoft_Teams_Rooms_Basic", callingPlan: "MCOPSTN1" } },
      "room room-a › teamsRooms › callingPlan: a calling plan needs Phone System, which Teams Rooms Basic does not include.",
    ],
    [
      "bad usage location",
      { teamsRooms: { usageLocation: "Germany", sku: "Microsoft_Teams_Rooms_Pro" } },
      'room room-a › teamsRooms › usageLocation: "Germany" is not a two-letter country code.',
    ],
    [
      "bad password revision",
      { teamsRooms: { usageLocation: "DE", sku: "Microsoft_Teams_Rooms_Pro", passwordRevision: 0 } },
      "room room-a › teamsRooms › passwordRevision: 0 is not a positive whole number.",
    ],
    ["unknown deletion mode", { deletion: "purge" as never }, 'room room-a › deletion: "purge" is not a deletion mode. Allowed: soft, hard.'],
    [
      "undeclared room list",
      { roomList: "rooms-leeds@fabrikam.com" },
      "room room-a › roomList: no room list with address rooms-leeds@fabrikam.com is declared. Allowed: rooms-hq@fabrikam.com.",
    ],
  ];
  for (const [rule, overrides, message] of cases) {
    it(`rejects ${rule}, naming the tenant, room and field`, () => {
      const text = problemsOf([room(overrides)], [list]);
      expect(text).to.contain("nothing was declared");
      expect(text).to.contain(`tenant fabrikam-cloud › ${message}`);
    });
  }

  it("rejects duplicate addresses (case-insensitive) and aliases across rooms and lists", () => {
    const text = problemsOf(
      [
        room(),
        room({ name: "room-b", address: "ROOM-A@fabrikam.com", alias: "room-b" }),
        room({ name: "room-c", address: "room-c@fabrikam.com", alias: "room-a" }),
        room({ name: "room-d", address: "rooms-hq@fabrikam.com" }),
      ],
      [list],
    );
    expect(text).to.contain("tenant fabrikam-cloud › room room-b › address: ROOM-A@fabrikam.com is already used by room room-a");
    expect(text).to.contain('tenant fabrikam-cloud › room room-c › alias: "room-a" is already used by room room-a');
    expect(text).to.contain("tenant fabrikam-cloud › room room-d › address: rooms-hq@fabrikam.com is already used by room list roomlist-hq");
  });

  it("rejects a logical name declared twice", () => {
    expect(problemsOf([room(), room({ address: "other@fabrikam.com" })])).to.contain("tenant fabrikam-cloud › room room-a: is declared twice");
  });

  it("reports every problem in one run", () => {
    expect(problemsOf([room({ address: "nope", place: { capacity: 0 } })])).to.match(/^m365-baseline found 2 problems/);
  });
});

describe("rooms: payloads are stable", () => {
  it("tag order and duplicates never change the Graph payload", () => {
    expect(buildPlacePatch(room({ place: { tags: ["b", "a", "b"] } }))).to.deep.equal(buildPlacePatch(room({ place: { tags: ["a", "b"] } })));
    expect(buildPlacePatch(room({ place: { tags: ["b", "a"] } }))?.tags).to.deep.equal(["a", "b"]);
  });

  it("calendar defaults are explicit, so a room drifting from them is put back", () => {
    const c = buildCalendarSettings(room());
    expect([c.AutomateProcessing, c.BookingWindowInDays, c.MaximumDurationInMinutes, c.RemovePrivateProperty, c.AddAdditionalResponse]).to.deep.equal([
      "AutoAccept",
      180,
      1440,
      true,
      false,
    ]);
    expect(buildCalendarSettings(room({ calendar: { additionalResponse: "Thanks" } }))).to.include({
      AddAdditionalResponse: true,
      AdditionalResponse: "Thanks",
    });
  });

  it("licence order never matters", () => {
    expect(licenceSkus({ usageLocation: "DE", sku: "Microsoft_Teams_Rooms_Pro", phoneSystem: true, callingPlan: "MCOPSTN2" })).to.deep.equal([
      "MCOEV",
      "MCOPSTN2",
      "Microsoft_Teams_Rooms_Pro",
    ]);
  });

  it("groups changes so one cmdlet per changed group is sent", () => {
    const before = buildRoomMailboxPayload(room({ mailTip: "a" }));
    expect(changedGroups(before, buildRoomMailboxPayload(room({ mailTip: "a" })))).to.deep.equal([]);
    expect(changedGroups(before, buildRoomMailboxPayload(room({ mailTip: "b", place: { capacity: 4 } })))).to.deep.equal(["mailbox", "place"]);
  });

  it("refuses a misspelt field at any level instead of ignoring it, naming the closest field", () => {
    const misspelt = { ...room(), mailtip: "Book ahead", calendar: { bookingWindowDays: 30 }, place: { capacty: 8 } } as unknown as RoomDefinition;
    const problems = problemsOf([misspelt], []);
    expect(problems).to.contain("mailtip: is not a field of this declaration").and.contain("did you mean mailTip?");
    expect(problems).to.contain("calendar.bookingWindowDays: is not a field of this declaration").and.contain("did you mean bookingWindowInDays?");
    expect(problems).to.contain("place.capacty: is not a field of this declaration").and.contain("did you mean capacity?");
    const badList = { ...list, adress: "x" } as unknown as RoomListDefinition;
    expect(problemsOf([], [badList])).to.contain("adress: is not a field of this declaration");
  });
});
