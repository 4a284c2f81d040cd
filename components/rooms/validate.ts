import { checkKnownKeys, findDuplicates, ProblemList, SMTP_ADDRESS } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";
import { AUTOMATE_PROCESSING, CALLING_PLAN_SKUS, DECLARATION_KEYS, RoomDefinition, RoomListDefinition, TEAMS_ROOMS_SKUS } from "./definition";

/** RFC 5321-ish: what Exchange accepts as a primary SMTP address (no quoted local parts, no IP literals). */
/** Exchange alias: the same characters as an SMTP local part, dots not leading, trailing or doubled. */
const ALIAS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const COUNTRY = /^[A-Z]{2}$/;

/** Exchange limits (Set-CalendarProcessing, Set-Mailbox, New-Mailbox reference pages). */
export const LIMITS = {
  aliasLength: 64,
  mailTipLength: 175,
  displayNameLength: 256,
  bookingWindowInDays: { min: 0, max: 1080 },
  maximumDurationInMinutes: { min: 0, max: 2147483647 },
} as const;

export function aliasOf(room: Pick<RoomDefinition, "alias" | "address">): string {
  return room.alias ?? room.address.split("@")[0];
}

/** Problems with one room; `problems` is already scoped to the tenant. */
export function validateRoom(room: RoomDefinition, problems: ProblemList): void {
  const p = problems.under(`room ${room.name || "(unnamed)"}`);
  checkKnownKeys(room, DECLARATION_KEYS.room, p);
  checkKnownKeys(room.calendar, DECLARATION_KEYS.calendar, p, "calendar");
  checkKnownKeys(room.place, DECLARATION_KEYS.place, p, "place");
  checkKnownKeys(room.teamsRooms, DECLARATION_KEYS.teamsRooms, p, "teamsRooms");
  if (!room.name) p.add("name", "is empty", "a logical name such as room-london-thames");
  if (!room.displayName?.trim()) p.add("displayName", "is empty", 'the name people see in Outlook, e.g. "London – Thames (8)"');
  else if (room.displayName.length > LIMITS.displayNameLength)
    p.add("displayName", `is ${room.displayName.length} characters long`, `at most ${LIMITS.displayNameLength}`);
  if (!SMTP_ADDRESS.test(room.address ?? "")) p.add("address", `"${room.address}" is not an SMTP address`, "an address such as thames@contoso.com");
  const alias = aliasOf({ alias: room.alias, address: room.address ?? "" });
  if (!ALIAS.test(alias) || alias.length > LIMITS.aliasLength) {
    p.add(
      "alias",
      `"${alias}" is not a valid Exchange alias`,
      `letters, digits, dots (not first, last or doubled) and !#$%&'*+-/=?^_\`{|}~, at most ${LIMITS.aliasLength} characters`,
    );
  }
  if (room.mailTip !== undefined && room.mailTip.length > LIMITS.mailTipLength) {
    p.add("mailTip", `is ${room.mailTip.length} characters long`, `at most ${LIMITS.mailTipLength} characters`);
  }
  if (room.roomList !== undefined && !SMTP_ADDRESS.test(room.roomList))
    p.add("roomList", `"${room.roomList}" is not an SMTP address`, "the room list's primary SMTP address");
  if (room.deletion !== undefined && room.deletion !== "soft" && room.deletion !== "hard")
    p.add("deletion", `"${String(room.deletion)}" is not a deletion mode`, "soft, hard");
  validateCalendar(room, p.under("calendar"));
  validatePlace(room, p.under("place"));
  validateTeamsRooms(room, p.under("teamsRooms"));
}

function validateCalendar(room: RoomDefinition, p: ProblemList): void {
  const c = room.calendar;
  if (!c) return;
  if (c.automateProcessing !== undefined && !AUTOMATE_PROCESSING.includes(c.automateProcessing)) {
    p.add("automateProcessing", `"${c.automateProcessing}" is not a value Exchange accepts`, AUTOMATE_PROCESSING.join(", "));
  }
  checkWholeNumberIn(p, "bookingWindowInDays", c.bookingWindowInDays, LIMITS.bookingWindowInDays);
  checkWholeNumberIn(p, "maximumDurationInMinutes", c.maximumDurationInMinutes, LIMITS.maximumDurationInMinutes);
  if (c.additionalResponse !== undefined && !c.additionalResponse.trim())
    p.add("additionalResponse", "is empty", "leave it out, or give the text to append to the room's reply");
}

function validatePlace(room: RoomDefinition, p: ProblemList): void {
  const place = room.place;
  if (!place) return;
  if (place.capacity !== undefined && !(Number.isInteger(place.capacity) && place.capacity > 0)) {
    p.add("capacity", `${String(place.capacity)} is not a positive whole number`, "a number of seats such as 8");
  }
  if (place.floorNumber !== undefined && !Number.isInteger(place.floorNumber))
    p.add("floorNumber", `${String(place.floorNumber)} is not a whole number`, "e.g. 0, 3 or -1");
  const country = place.address?.countryOrRegion;
  if (country !== undefined && !country.trim()) p.add("address.countryOrRegion", "is empty", "a country or region such as United Kingdom");
  const tags = place.tags ?? [];
  if (tags.some((t) => !t.trim())) p.add("tags", "contains an empty tag", "non-empty words such as whiteboard");
}

function validateTeamsRooms(room: RoomDefinition, p: ProblemList): void {
  const t = room.teamsRooms;
  if (!t) return;
  if (!COUNTRY.test(t.usageLocation ?? ""))
    p.add("usageLocation", `"${t.usageLocation}" is not a two-letter country code`, "an ISO 3166-1 alpha-2 code in capitals, e.g. GB, US, DE");
  if (!TEAMS_ROOMS_SKUS.includes(t.sku)) p.add("sku", `"${t.sku}" is not a Teams Rooms licence`, TEAMS_ROOMS_SKUS.join(", "));
  if (t.callingPlan !== undefined && !CALLING_PLAN_SKUS.includes(t.callingPlan))
    p.add("callingPlan", `"${t.callingPlan}" is not a calling plan SKU`, CALLING_PLAN_SKUS.join(", "));
  if (t.callingPlan !== undefined && !t.phoneSystem && t.sku !== "Microsoft_Teams_Rooms_Pro") {
    p.add("callingPlan", "a calling plan needs Phone System, which Teams Rooms Basic does not include", "phoneSystem: true, or sku Microsoft_Teams_Rooms_Pro");
  }
  if (t.passwordRevision !== undefined && !(Number.isInteger(t.passwordRevision) && t.passwordRevision > 0)) {
    p.add("passwordRevision", `${String(t.passwordRevision)} is not a positive whole number`, "1, 2, 3, …");
  }
}

function checkWholeNumberIn(p: ProblemList, field: string, value: number | undefined, range: { min: number; max: number }): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    p.add(field, `${String(value)} is outside the range Exchange accepts`, `a whole number from ${range.min} to ${range.max}`);
  }
}

export function validateRoomList(list: RoomListDefinition, problems: ProblemList): void {
  const p = problems.under(`room list ${list.name || "(unnamed)"}`);
  checkKnownKeys(list, DECLARATION_KEYS.roomList, p);
  if (!list.name) p.add("name", "is empty", "a logical name such as roomlist-london");
  if (!list.displayName?.trim()) p.add("displayName", "is empty", 'the name Room Finder shows, e.g. "London HQ"');
  if (!SMTP_ADDRESS.test(list.address ?? "")) p.add("address", `"${list.address}" is not an SMTP address`, "an address such as rooms-london@contoso.com");
}

/**
 * Every room and room list of one tenant, before anything is declared: each on its own, then across the set
 * (Exchange refuses a second recipient with the same address or alias, and a room can only join a declared list).
 */
export function validateRoomSet(rooms: readonly RoomDefinition[], lists: readonly RoomListDefinition[], tenant: Pick<TenantSettings, "stack" | "rooms">): void {
  const problems = new ProblemList([`tenant ${tenant.stack}`]);
  rooms.forEach((r) => {
    validateRoom(r, problems);
    checkRoomAccountsGroup(r, tenant, problems);
  });
  lists.forEach((l) => validateRoomList(l, problems));

  const addresses = new Map<string, string>();
  const claim = (key: string, owner: string, report: () => void): void => {
    if (addresses.has(key)) report();
    else addresses.set(key, owner);
  };
  for (const list of lists) {
    claim(`smtp:${(list.address ?? "").toLowerCase()}`, `room list ${list.name}`, () =>
      problems
        .under(`room list ${list.name}`)
        .add("address", `${list.address} is already used by ${addresses.get(`smtp:${list.address.toLowerCase()}`)}`, "one address per recipient in a tenant"),
    );
  }
  for (const room of rooms) {
    const smtp = `smtp:${(room.address ?? "").toLowerCase()}`;
    claim(smtp, `room ${room.name}`, () =>
      problems.under(`room ${room.name}`).add("address", `${room.address} is already used by ${addresses.get(smtp)}`, "one address per recipient in a tenant"),
    );
    const alias = `alias:${aliasOf({ alias: room.alias, address: room.address ?? "" }).toLowerCase()}`;
    claim(alias, `room ${room.name}`, () =>
      problems.under(`room ${room.name}`).add("alias", `"${alias.slice(6)}" is already used by ${addresses.get(alias)}`, "one alias per recipient in a tenant"),
    );
  }
  findDuplicates([...rooms.map((r) => `room ${r.name}`), ...lists.map((l) => `room list ${l.name}`)]).forEach((item) =>
    problems.add(item, "is declared twice", "one logical name per room or room list"),
  );
  const listAddresses = new Set(lists.map((l) => (l.address ?? "").toLowerCase()));
  for (const room of rooms) {
    if (room.roomList !== undefined && !listAddresses.has(room.roomList.toLowerCase())) {
      problems
        .under(`room ${room.name}`)
        .add("roomList", `no room list with address ${room.roomList} is declared`, [...listAddresses].sort().join(", ") || "declare the room list first");
    }
  }
  problems.throwIfAny();
}

/**
 * A Teams Rooms device signs in with nobody to answer MFA or accept terms of use, so the tenant must name the group
 * its conditional-access policies exclude (tenant setting `rooms.accountsGroup`) before any room gets an account.
 */
export function checkRoomAccountsGroup(room: RoomDefinition, tenant: Pick<TenantSettings, "stack" | "rooms">, problems: ProblemList): void {
  if (!room.teamsRooms || tenant.rooms) return;
  problems
    .under(`room ${room.name}`)
    .add(
      "teamsRooms",
      `Pulumi.${tenant.stack}.yaml names no room accounts group (m365-baseline:tenant › rooms.accountsGroup), so every conditional-access policy would catch this room's account, which cannot answer MFA or accept terms of use`,
      'rooms: { accountsGroup: { objectId, displayName } } in the tenant settings: a security group for the Teams Rooms accounts (docs/rooms.md, "Conditional access for the rooms")',
    );
}
