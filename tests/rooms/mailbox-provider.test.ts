import { expect } from "chai";
import {
  createRoomMailbox,
  deleteRoomMailbox,
  diffRoomMailbox,
  readRoomMailbox,
  roomMailboxProvider,
  updateRoomMailbox,
} from "../../components/rooms/mailbox-provider";
import { inputsFor, RoomsServer, startRoomsServer, thames } from "./support/fixture";

const INVOKE = /\/adminapi\/beta\/[^/]+\/InvokeCommand$/;

describe("rooms: room-mailbox provider against the local Exchange + Graph server", () => {
  let rooms: RoomsServer;
  beforeEach(async () => {
    rooms = await startRoomsServer();
  });
  afterEach(async () => {
    await rooms.stop();
  });

  it("creates the room mailbox, then MailTip, calendar processing and Room Finder metadata", async () => {
    const { id, outs } = await createRoomMailbox(inputsFor(rooms, thames()));
    const mailbox = rooms.exchange.mailboxes.get("thames@contoso.com")!;
    expect(mailbox.RecipientTypeDetails).to.equal("RoomMailbox");
    expect(id).to.equal(mailbox.ExternalDirectoryObjectId);
    expect(outs.userId).to.equal(id);
    expect(mailbox.MailTip).to.equal("Book at least a day ahead.");
    expect(mailbox.calendar).to.include({ BookingWindowInDays: 90, MaximumDurationInMinutes: 240, AutomateProcessing: "AutoAccept" });
    const place = rooms.server.collection<Record<string, unknown>>("places").get("thames@contoso.com")!;
    expect(place).to.include({ capacity: 8, building: "London HQ", floorNumber: 3 });
    expect(place.tags).to.deep.equal(["accessible", "whiteboard"]);
    expect(rooms.exchange.calls.map((c) => `${c.cmdlet}:${c.status}`)).to.deep.equal([
      "Get-Mailbox:404",
      "New-Mailbox:200",
      "Get-Mailbox:200",
      "Set-Mailbox:200",
      "Set-CalendarProcessing:200",
    ]);
  });

  it("sends every cmdlet through the arbitration-mailbox anchor with an Exchange-scoped bearer token", async () => {
    await createRoomMailbox(inputsFor(rooms, thames()));
    expect(new Set(rooms.exchange.calls.map((c) => c.anchor))).to.deep.equal(
      new Set([`APP:SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}@${rooms.connection.tenantId}`]),
    );
    const tokenRequest = rooms.server.requests.find(
      (r) => /oauth2\/v2\.0\/token$/.test(r.path) && String((r.body as Record<string, string>).scope).includes("outlook.office365.com"),
    );
    expect((tokenRequest?.body as Record<string, string>).scope).to.equal("https://outlook.office365.com/.default");
  });

  it("a re-run with the same declaration shows no change", async () => {
    const inputs = inputsFor(rooms, thames());
    const { outs } = await createRoomMailbox(inputs);
    expect(diffRoomMailbox(outs, inputsFor(rooms, thames({ place: { ...thames().place, tags: ["accessible", "whiteboard"] } })))).to.deep.equal({
      changes: false,
    });
  });

  it("a single changed field sends only the cmdlet for its group", async () => {
    const { outs } = await createRoomMailbox(inputsFor(rooms, thames()));
    const before = rooms.exchange.calls.length;
    const patchesBefore = rooms.server.requestsTo("PATCH", /\/v1\.0\/places\//).length;
    const news = inputsFor(rooms, thames({ calendar: { bookingWindowInDays: 365, maximumDurationInMinutes: 240 } }));
    expect(diffRoomMailbox(outs, news).changes).to.equal(true);
    await updateRoomMailbox(outs, news);
    const sent = rooms.exchange.calls.slice(before);
    expect(sent.map((c) => c.cmdlet)).to.deep.equal(["Set-CalendarProcessing"]);
    expect(sent[0].parameters.BookingWindowInDays).to.equal(365);
    expect(rooms.server.requestsTo("PATCH", /\/v1\.0\/places\//).length).to.equal(patchesBefore);
  });

  it("resumes an interrupted create without making a second mailbox", async () => {
    // First run: New-Mailbox went through, then the run died (calendar processing failed).
    rooms.exchange.failCmdlet("Set-CalendarProcessing", { status: 400, exceptionType: "TaskTransientException", message: "The operation was interrupted." });
    const first = await createRoomMailbox(inputsFor(rooms, thames())).catch((e: Error) => e);
    expect(first).to.be.instanceOf(Error);
    // Second run: found by address, settings applied, no New-Mailbox.
    const { id } = await createRoomMailbox(inputsFor(rooms, thames()));
    expect(rooms.exchange.callsOf("New-Mailbox")).to.have.length(1);
    expect(rooms.exchange.mailboxes.size).to.equal(1);
    expect(id).to.equal(rooms.exchange.mailboxes.get("thames@contoso.com")!.ExternalDirectoryObjectId);
    expect(rooms.exchange.mailboxes.get("thames@contoso.com")!.calendar.BookingWindowInDays).to.equal(90);
  });

  it("when New-Mailbox says the address is taken by its own earlier call, waits for it instead of failing", async () => {
    rooms.exchange.replicationLag = 3;
    rooms.exchange.seedMailbox("thames@contoso.com", "RoomMailbox").hiddenFor = 1; // created by a run that died, not visible yet
    const { id } = await createRoomMailbox(inputsFor(rooms, thames()));
    expect(id).to.equal(rooms.exchange.mailboxes.get("thames@contoso.com")!.ExternalDirectoryObjectId);
    expect(rooms.exchange.calls.filter((c) => c.cmdlet === "New-Mailbox").map((c) => c.status)).to.deep.equal([400]);
  });

  it("polls through replication lag after New-Mailbox, bounded", async () => {
    rooms.exchange.replicationLag = 2;
    await createRoomMailbox(inputsFor(rooms, thames()));
    const lookups = rooms.exchange.calls.filter((c) => c.cmdlet === "Get-Mailbox").map((c) => c.status);
    expect(lookups).to.deep.equal([404, 404, 404, 200]);

    rooms.exchange.replicationLag = 50;
    const err = await createRoomMailbox(inputsFor(rooms, thames({ name: "room-severn", address: "severn@contoso.com" }))).catch((e: Error) => e);
    expect((err as Error).message)
      .to.contain("room-severn")
      .and.contain("not visible yet");
  });

  it("waits for Places to learn of the room (404 on PATCH /places) before writing metadata", async () => {
    rooms.server.failNext({ method: "PATCH", path: /\/v1\.0\/places\//, status: 404, times: 2, code: "ErrorItemNotFound" });
    await createRoomMailbox(inputsFor(rooms, thames()));
    expect(rooms.server.requestsTo("PATCH", /\/v1\.0\/places\//).map((r) => r.status)).to.deep.equal([404, 404, 200]);
  });

  it("retries Exchange throttling (429 with Retry-After), then continues", async () => {
    rooms.server.failNext({
      method: "POST",
      path: INVOKE,
      status: 429,
      retryAfter: 0,
      times: 2,
      code: "TooManyRequests",
      message: "Request is throttled. Suggested backoff time: 0 milliseconds",
    });
    await createRoomMailbox(inputsFor(rooms, thames()));
    expect(
      rooms.server
        .requestsTo("POST", INVOKE)
        .slice(0, 3)
        .map((r) => r.status),
    ).to.deep.equal([429, 429, 404]);
    expect(rooms.exchange.mailboxes.has("thames@contoso.com")).to.equal(true);
  });

  it("surfaces an Exchange error with the cmdlet, the room and Exchange's own text", async () => {
    rooms.exchange.failCmdlet("Set-Mailbox", { status: 400, exceptionType: "RecipientTaskException", message: "The MailTip is too long for the recipient." });
    const err = await createRoomMailbox(inputsFor(rooms, thames())).catch((e: Error) => e);
    expect((err as Error).message).to.equal(
      "Set-Mailbox for room room-london-thames failed: HTTP 400 RecipientTaskException: The MailTip is too long for the recipient.",
    );
  });

  it("explains a 403 with the permission and role the app needs", async () => {
    rooms.server.failNext({
      method: "POST",
      path: INVOKE,
      status: 403,
      code: "Forbidden",
      message: "|Microsoft.Exchange.Configuration.Tasks.AccessDeniedException|The user isn't assigned to any management roles.",
    });
    const err = await createRoomMailbox(inputsFor(rooms, thames())).catch((e: Error) => e);
    expect((err as Error).message)
      .to.contain("Get-Mailbox for room room-london-thames failed: HTTP 403 AccessDeniedException")
      .and.contain("Exchange.ManageAsApp");
  });

  it("refuses to take over a mailbox that is not a room", async () => {
    rooms.exchange.seedMailbox("thames@contoso.com", "UserMailbox");
    const err = await createRoomMailbox(inputsFor(rooms, thames())).catch((e: Error) => e);
    expect((err as Error).message).to.contain("already belongs to a UserMailbox, not a room mailbox");
    expect(rooms.exchange.calls.map((c) => c.cmdlet)).to.deep.equal(["Get-Mailbox"]);
  });

  it("deletes softly by default: the mailbox is recoverable", async () => {
    const { outs } = await createRoomMailbox(inputsFor(rooms, thames()));
    await deleteRoomMailbox(outs);
    expect(rooms.exchange.mailboxes.has("thames@contoso.com")).to.equal(false);
    expect(rooms.exchange.softDeleted.has("thames@contoso.com")).to.equal(true);
    expect(rooms.exchange.callsOf("Remove-Mailbox")[0].parameters).to.deep.equal({ Identity: "thames@contoso.com", Confirm: false });
  });

  it("deletes hard when asked, and a repeated delete of a gone room succeeds", async () => {
    const { outs } = await createRoomMailbox(inputsFor(rooms, thames({ deletion: "hard" })));
    await deleteRoomMailbox(outs);
    expect(rooms.exchange.softDeleted.has("thames@contoso.com")).to.equal(false);
    expect(rooms.exchange.callsOf("Remove-Mailbox")[0].parameters).to.include({ PermanentlyDelete: true });
    await deleteRoomMailbox(outs);
  });

  it("joins its room list, and moving it to another list leaves the old one", async () => {
    for (const list of ["rooms-london@contoso.com", "rooms-leeds@contoso.com"]) {
      rooms.exchange.groups.set(list, {
        Identity: list,
        DisplayName: list,
        PrimarySmtpAddress: list,
        RecipientTypeDetails: "RoomList",
        members: new Set(),
        hiddenFor: 0,
      });
    }
    const { outs } = await createRoomMailbox(inputsFor(rooms, thames({ roomList: "rooms-london@contoso.com" })));
    expect([...rooms.exchange.groups.get("rooms-london@contoso.com")!.members]).to.deep.equal(["thames@contoso.com"]);
    await updateRoomMailbox(outs, inputsFor(rooms, thames({ roomList: "rooms-leeds@contoso.com" })));
    expect([...rooms.exchange.groups.get("rooms-london@contoso.com")!.members]).to.deep.equal([]);
    expect([...rooms.exchange.groups.get("rooms-leeds@contoso.com")!.members]).to.deep.equal(["thames@contoso.com"]);
  });

  it("a new address replaces the room (delete first: Exchange allows one recipient per address)", () => {
    const olds = { ...inputsFor(rooms, thames()), userId: "u" };
    expect(diffRoomMailbox(olds, inputsFor(rooms, thames({ address: "thames2@contoso.com" })))).to.deep.equal({
      changes: true,
      replaces: ["address"],
      deleteBeforeReplace: true,
    });
  });

  it("refresh reads every declared field back: mailbox, calendar, Room Finder metadata and room-list membership", async () => {
    await rooms.exchange.handle(
      {
        CmdletInput: {
          CmdletName: "New-DistributionGroup",
          Parameters: { Name: "rooms-london", DisplayName: "London", PrimarySmtpAddress: "rooms-london@contoso.com", RoomList: true },
        },
      },
      undefined,
    );
    const declared = inputsFor(rooms, thames({ roomList: "rooms-london@contoso.com" }));
    const { id, outs } = await createRoomMailbox(declared);
    const fresh = await readRoomMailbox(id, outs);
    expect(diffRoomMailbox(fresh.props!, declared).changes, "no drift right after create").to.equal(false);

    // Edits in the Exchange admin center and Room Finder, and the room taken out of its list.
    const mailbox = rooms.exchange.mailboxes.get("thames@contoso.com")!;
    mailbox.MailTip = "Closed for refurbishment";
    mailbox.calendar.BookingWindowInDays = 30;
    const place = [...rooms.server.collection<Record<string, unknown>>("places").values()].find((p) => p.emailAddress === "thames@contoso.com")!;
    place.capacity = 12;
    rooms.exchange.groups.get("rooms-london@contoso.com")!.members.clear();

    const drifted = (await readRoomMailbox(id, outs)).props!;
    expect(drifted.mailbox.MailTip).to.equal("Closed for refurbishment");
    expect(drifted.calendar.BookingWindowInDays).to.equal(30);
    expect(drifted.place?.capacity).to.equal(12);
    expect(drifted.roomList).to.equal(null);
    expect(diffRoomMailbox(drifted, declared).changes).to.equal(true);
  });

  it("a room mailbox deleted in the admin center reads as gone", async () => {
    const { id, outs } = await createRoomMailbox(inputsFor(rooms, thames()));
    rooms.exchange.mailboxes.delete("thames@contoso.com");
    expect(await readRoomMailbox(id, outs)).to.deep.equal({});
  });

  it("update sends one call per changed group of settings and nothing for an unchanged room", async () => {
    const { outs } = await createRoomMailbox(inputsFor(rooms, thames()));
    const writes = () => [
      ...rooms.exchange.calls.map((c) => c.cmdlet).filter((c) => !c.startsWith("Get-")),
      ...rooms.server.requestsTo("PATCH", /\/places\//).map(() => "PATCH place"),
    ];
    const reset = () => {
      rooms.exchange.calls.length = 0;
      rooms.server.requests.length = 0;
    };
    const cases: [Partial<Parameters<typeof thames>[0]>, string[]][] = [
      [{}, []],
      [{ mailTip: "New tip" }, ["Set-Mailbox"]],
      [{ calendar: { bookingWindowInDays: 30, maximumDurationInMinutes: 240 } }, ["Set-CalendarProcessing"]],
      [{ place: { capacity: 10, building: "London HQ", floorNumber: 3, tags: ["whiteboard", "accessible"] } }, ["PATCH place"]],
    ];
    for (const [change, expected] of cases) {
      reset();
      const { outs: after } = await updateRoomMailbox(outs, inputsFor(rooms, thames(change)));
      expect(writes(), JSON.stringify(change)).to.deep.equal(expected);
      expect(after.userId).to.equal(outs.userId);
    }
  });

  it("diff: settings the service keeps are changes; deletion mode, polling, connection and endpoint are bookkeeping changes; the same room is none", async () => {
    const { outs } = await createRoomMailbox(inputsFor(rooms, thames()));
    const same = inputsFor(rooms, thames());
    expect(diffRoomMailbox(outs, same)).to.deep.equal({ changes: false });
    for (const change of [
      { deletion: "hard" as const },
      { poll: { attempts: 1, startingDelayMs: 1 } },
      { connection: { ...same.connection, credential: "managedIdentity" as const } },
      { exchangeUrl: "https://other.example" },
    ]) {
      expect(diffRoomMailbox(outs, { ...same, ...change }), JSON.stringify(change)).to.deep.equal({ changes: true });
    }
    expect(diffRoomMailbox(outs, inputsFor(rooms, thames({ mailTip: "x" })))).to.deep.equal({ changes: true });
    expect(await roomMailboxProvider.check({}, same)).to.deep.equal({ inputs: same });
  });

  it("a room without Room Finder metadata never touches Places; one on a later page of List places is found", async () => {
    await createRoomMailbox(inputsFor(rooms, thames({ place: undefined })));
    expect(rooms.server.requestsTo("GET", /\/places/)).to.have.length(0);
    for (const name of ["a", "b", "c", "d", "e"]) rooms.exchange.seedMailbox(`${name}@contoso.com`, "RoomMailbox");
    rooms.exchange.mailboxes.delete("thames@contoso.com");
    await createRoomMailbox(inputsFor(rooms, thames({ address: "e@contoso.com" })));
    expect(rooms.server.requestsTo("PATCH", /\/places\//).map((r) => r.status)).to.deep.equal([200]);
  });

  it("a Places failure names the room and the step, with the permission for a 403", async () => {
    rooms.server.failNext({ method: "PATCH", path: /\/places\//, status: 403 });
    const err = await createRoomMailbox(inputsFor(rooms, thames())).catch((e: Error) => e);
    expect((err as Error).message).to.contain("writing Room Finder metadata (PATCH /places) for room room-london-thames failed: HTTP 403");
    expect((err as Error).message).to.contain("Place.ReadWrite.All");
  });
});
