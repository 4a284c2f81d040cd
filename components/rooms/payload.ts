import type { Room as GraphRoom } from "@microsoft/microsoft-graph-types";
import type { CmdletCall } from "../../lib/exchange/client";
import type { RoomDefinition, RoomListDefinition, TeamsRoomsDeviceDefinition } from "./definition";
import { PHONE_SYSTEM_SKU } from "./definition";
import { aliasOf } from "./validate";

export type { CmdletCall };

/** `Set-Mailbox` parameters the room owns. An empty MailTip is how Exchange clears one. */
export interface MailboxSettings {
  readonly DisplayName: string;
  readonly Alias: string;
  readonly MailTip: string;
}

/** `Set-CalendarProcessing` parameters, every one explicit so drift back to Exchange's defaults is visible. */
export interface CalendarSettings {
  readonly AutomateProcessing: string;
  readonly AddOrganizerToSubject: boolean;
  readonly DeleteComments: boolean;
  readonly DeleteSubject: boolean;
  readonly RemovePrivateProperty: boolean;
  readonly ProcessExternalMeetingMessages: boolean;
  readonly BookingWindowInDays: number;
  readonly MaximumDurationInMinutes: number;
  readonly AddAdditionalResponse: boolean;
  readonly AdditionalResponse: string;
}

/** The Graph `room` properties this library writes (`PATCH /places/{emailAddress}`). */
export type PlacePatch = Pick<
  GraphRoom,
  | "capacity"
  | "building"
  | "floorNumber"
  | "floorLabel"
  | "address"
  | "audioDeviceName"
  | "videoDeviceName"
  | "displayDeviceName"
  | "isWheelChairAccessible"
  | "tags"
> & { readonly "@odata.type": "microsoft.graph.room" };

/** Everything the mailbox provider needs to converge one room, minus the connection. Plain data, no secrets. */
export interface RoomMailboxPayload {
  readonly room: string;
  readonly address: string;
  readonly mailbox: MailboxSettings;
  readonly calendar: CalendarSettings;
  readonly place: PlacePatch | null;
  readonly roomList: string | null;
  readonly deletion: "soft" | "hard";
}

export function buildMailboxSettings(room: RoomDefinition): MailboxSettings {
  return { DisplayName: room.displayName, Alias: aliasOf(room), MailTip: room.mailTip ?? "" };
}

export function buildCalendarSettings(room: RoomDefinition): CalendarSettings {
  const c = room.calendar ?? {};
  return {
    AutomateProcessing: c.automateProcessing ?? "AutoAccept",
    AddOrganizerToSubject: c.addOrganizerToSubject ?? false,
    DeleteComments: c.deleteComments ?? false,
    DeleteSubject: c.deleteSubject ?? false,
    RemovePrivateProperty: c.removePrivateProperty ?? true,
    ProcessExternalMeetingMessages: c.processExternalMeetingMessages ?? false,
    BookingWindowInDays: c.bookingWindowInDays ?? 180,
    MaximumDurationInMinutes: c.maximumDurationInMinutes ?? 1440,
    AddAdditionalResponse: c.additionalResponse !== undefined,
    AdditionalResponse: c.additionalResponse ?? "",
  };
}

/** Only declared properties are sent, so Room Finder data maintained elsewhere (e.g. geo coordinates) is left alone. */
export function buildPlacePatch(room: RoomDefinition): PlacePatch | null {
  const p = room.place;
  if (!p) return null;
  const patch: Record<string, unknown> = {
    "@odata.type": "microsoft.graph.room",
    capacity: p.capacity,
    building: p.building,
    floorNumber: p.floorNumber,
    floorLabel: p.floorLabel,
    address: p.address ? sortedKeys(p.address) : undefined,
    audioDeviceName: p.audioDeviceName,
    videoDeviceName: p.videoDeviceName,
    displayDeviceName: p.displayDeviceName,
    isWheelChairAccessible: p.isWheelChairAccessible ?? false,
    // Tags are a set in Room Finder: order never shows as a change.
    tags: [...new Set(p.tags ?? [])].sort(),
  };
  return sortedKeys(patch) as PlacePatch;
}

export function buildRoomMailboxPayload(room: RoomDefinition): RoomMailboxPayload {
  return {
    room: room.name,
    address: room.address.toLowerCase(),
    mailbox: buildMailboxSettings(room),
    calendar: buildCalendarSettings(room),
    place: buildPlacePatch(room),
    roomList: room.roomList?.toLowerCase() ?? null,
    deletion: room.deletion ?? "soft",
  };
}

/**
 * Why `New-Mailbox -Room` and not Graph `POST /places`: the v1.0 `room` type (tests/fixtures/graph-v1.0-schema.json,
 * from Microsoft's published metadata) has no property that names the mailbox to create — `emailAddress` is the
 * address Places reports, and `mailboxDetails` exists only in newer metadata — so Places would pick the address.
 * A room's SMTP address is its identity here (it is what we look up before creating, so an interrupted run never
 * makes a second room), so it must be ours to choose. Microsoft's Places docs also say a Places-created room can
 * take up to 24 hours to provision. `PATCH /places/{emailAddress}` (v1.0) still writes the Room Finder metadata.
 */
export function buildNewMailboxCall(payload: Pick<RoomMailboxPayload, "address" | "mailbox">): CmdletCall {
  return {
    CmdletName: "New-Mailbox",
    Parameters: {
      Name: payload.mailbox.Alias,
      Alias: payload.mailbox.Alias,
      DisplayName: payload.mailbox.DisplayName,
      PrimarySmtpAddress: payload.address,
      Room: true,
    },
  };
}

export function buildSetMailboxCall(address: string, settings: MailboxSettings): CmdletCall {
  return { CmdletName: "Set-Mailbox", Parameters: { Identity: address, ...settings } };
}

export function buildSetCalendarCall(address: string, settings: CalendarSettings): CmdletCall {
  return { CmdletName: "Set-CalendarProcessing", Parameters: { Identity: address, ...settings } };
}

export function buildNewRoomListCall(list: RoomListDefinition): CmdletCall {
  const address = list.address.toLowerCase();
  return {
    CmdletName: "New-DistributionGroup",
    Parameters: { Name: address.split("@")[0], DisplayName: list.displayName, PrimarySmtpAddress: address, RoomList: true },
  };
}

/** Licences a Teams Rooms account gets, by SKU part number, sorted so a reordered declaration is no change. */
export function licenceSkus(device: TeamsRoomsDeviceDefinition): string[] {
  return [device.sku, ...(device.phoneSystem ? [PHONE_SYSTEM_SKU] : []), ...(device.callingPlan ? [device.callingPlan] : [])].sort();
}

/** Groups of settings that changed between two payloads; each group is one remote call. */
export type SettingGroup = "mailbox" | "calendar" | "place" | "roomList";

export function changedGroups(olds: Partial<RoomMailboxPayload>, news: RoomMailboxPayload): SettingGroup[] {
  const groups: SettingGroup[] = [];
  if (!same(olds.mailbox, news.mailbox)) groups.push("mailbox");
  if (!same(olds.calendar, news.calendar)) groups.push("calendar");
  if (!same(olds.place ?? null, news.place)) groups.push("place");
  if ((olds.roomList ?? null) !== news.roomList) groups.push("roomList");
  return groups;
}

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") return sortedKeys(value as Record<string, unknown>, canonical);
  return value;
}

function sortedKeys<T extends object>(o: T, map: (v: unknown) => unknown = (v) => v): T {
  const entries = Object.entries(o).filter(([, v]) => v !== undefined);
  return Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, map(v)])) as T;
}
