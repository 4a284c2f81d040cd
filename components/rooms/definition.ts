/**
 * What an author declares per meeting room. Field names follow the portal / Exchange wording; each field says
 * where it lands (Exchange cmdlet parameter or Graph `room` property).
 */

/** Teams Rooms licences by SKU part number (Graph `subscribedSku.skuPartNumber`). */
export const TEAMS_ROOMS_SKUS = ["Microsoft_Teams_Rooms_Pro", "Microsoft_Teams_Rooms_Basic"] as const;
/** Phone System add-on (`MCOEV`), needed for PSTN calling unless the room licence already includes it. */
export const PHONE_SYSTEM_SKU = "MCOEV";
/** Microsoft Calling Plans by SKU part number: domestic (`MCOPSTN1`), domestic and international (`MCOPSTN2`). */
export const CALLING_PLAN_SKUS = ["MCOPSTN1", "MCOPSTN2"] as const;

export type TeamsRoomsSku = (typeof TEAMS_ROOMS_SKUS)[number];
export type CallingPlanSku = (typeof CALLING_PLAN_SKUS)[number];

/** Exchange `Set-CalendarProcessing -AutomateProcessing` values. */
export const AUTOMATE_PROCESSING = ["AutoAccept", "AutoUpdate", "None"] as const;
export type AutomateProcessing = (typeof AUTOMATE_PROCESSING)[number];

/** Calendar processing (Exchange admin center: Resources › room › Booking options; `Set-CalendarProcessing`). */
export interface CalendarProcessingDefinition {
  /** `AutomateProcessing`: AutoAccept books the room without a delegate. @default "AutoAccept" */
  readonly automateProcessing?: AutomateProcessing;
  /** `AddOrganizerToSubject`. @default false (the meeting subject stays as sent) */
  readonly addOrganizerToSubject?: boolean;
  /** `DeleteComments`: drop the body of incoming requests. @default false */
  readonly deleteComments?: boolean;
  /** `DeleteSubject`. @default false */
  readonly deleteSubject?: boolean;
  /** `RemovePrivateProperty`: clear the private flag so the room shows who booked. @default true (Exchange's default) */
  readonly removePrivateProperty?: boolean;
  /** `ProcessExternalMeetingMessages`: accept requests from outside the organization. @default false */
  readonly processExternalMeetingMessages?: boolean;
  /** `BookingWindowInDays`, 0–1080. @default 180 (Exchange's default) */
  readonly bookingWindowInDays?: number;
  /** `MaximumDurationInMinutes`, 0 = no limit. @default 1440 (Exchange's default) */
  readonly maximumDurationInMinutes?: number;
  /** `AdditionalResponse` (with `AddAdditionalResponse` = true when set): text appended to the room's reply. @default none */
  readonly additionalResponse?: string;
}

/** Room Finder metadata (Graph `room`, written with `PATCH /places/{emailAddress}`). */
export interface RoomPlaceDefinition {
  /** `capacity`: seats, a positive whole number. @default not set in Room Finder */
  readonly capacity?: number;
  /** `building`: also the key of the room list this room joins when `roomList` is not given. @default not set */
  readonly building?: string;
  /** `floorNumber`: a whole number (negative below ground). @default not set */
  readonly floorNumber?: number;
  /** `floorLabel`, e.g. "Ground". @default not set */
  readonly floorLabel?: string;
  /** `address` (`physicalAddress`). @default not set */
  readonly address?: {
    /** @default not set */
    readonly street?: string;
    /** @default not set */
    readonly city?: string;
    /** @default not set */
    readonly state?: string;
    /** @default not set */
    readonly postalCode?: string;
    /** @default not set */
    readonly countryOrRegion?: string;
  };
  /** `audioDeviceName`. @default not set */
  readonly audioDeviceName?: string;
  /** `videoDeviceName`. @default not set */
  readonly videoDeviceName?: string;
  /** `displayDeviceName`. @default not set */
  readonly displayDeviceName?: string;
  /** `isWheelChairAccessible`. @default false */
  readonly isWheelChairAccessible?: boolean;
  /** `tags`: Room Finder filters, e.g. "whiteboard". Order does not matter. @default [] */
  readonly tags?: readonly string[];
}

/** The sign-in account a Teams Rooms device uses (Entra user behind the room mailbox). */
export interface TeamsRoomsDeviceDefinition {
  /** Entra `usageLocation` (ISO 3166-1 alpha-2, e.g. "GB"); Graph refuses a licence without it. */
  readonly usageLocation: string;
  /** Teams Rooms licence, by SKU part number. */
  readonly sku: TeamsRoomsSku;
  /** Add Phone System (`MCOEV`) for PSTN calling. @default false */
  readonly phoneSystem?: boolean;
  /** Add a Microsoft Calling Plan, by SKU part number. @default none */
  readonly callingPlan?: CallingPlanSku;
  /**
   * Bump to generate a new device password (the old one stops working at the next `pulumi up`).
   * @default 1
   */
  readonly passwordRevision?: number;
}

export interface RoomDefinition {
  /** Logical name: the room's stable identity in plans. Renaming the display name never replaces the room. */
  readonly name: string;
  /** Display name in the address book and Room Finder (`New-Mailbox -DisplayName`). */
  readonly displayName: string;
  /** Primary SMTP address (`-PrimarySmtpAddress`); also the sign-in name of a Teams Rooms account. */
  readonly address: string;
  /** Exchange alias (`-Alias`). @default the local part of `address` */
  readonly alias?: string;
  /** MailTip shown to people booking the room (`Set-Mailbox -MailTip`), at most 175 characters. @default none */
  readonly mailTip?: string;
  /** Booking rules. @default see each field */
  readonly calendar?: CalendarProcessingDefinition;
  /** Room Finder metadata. @default none */
  readonly place?: RoomPlaceDefinition;
  /** Primary SMTP address of the room list (distribution group with `-RoomList`) the room belongs to. @default none */
  readonly roomList?: string;
  /** Present when the room is also a Teams Rooms device; absent for a bookable room only. @default none: a bookable room */
  readonly teamsRooms?: TeamsRoomsDeviceDefinition;
  /**
   * What `pulumi destroy` (or removing the room) does: `soft` removes the mailbox into Exchange's soft-deleted
   * state (recoverable for 30 days); `hard` also purges it.
   * @default "soft"
   */
  readonly deletion?: "soft" | "hard";
}

/** A room list (Exchange room-list distribution group), usually one per building. */
export interface RoomListDefinition {
  /** Logical name. */
  readonly name: string;
  /** Display name in Outlook's Room Finder. */
  readonly displayName: string;
  /** Primary SMTP address of the group. */
  readonly address: string;
}

/**
 * Every key each declaration type has, for the validation that refuses a misspelt one (a stack planned from source
 * is transpiled, not type-checked). `KeysOf` makes the compiler fail when a field is added to a type above and not
 * listed here.
 */
type KeysOf<T> = readonly (keyof T)[] & { readonly length: number };
function allKeys<T>() {
  return <const K extends readonly (keyof T)[]>(keys: K & ([Exclude<keyof T, K[number]>] extends [never] ? unknown : never)): KeysOf<T> => keys;
}
export const DECLARATION_KEYS = {
  room: allKeys<RoomDefinition>()(["name", "displayName", "address", "alias", "mailTip", "calendar", "place", "roomList", "teamsRooms", "deletion"]),
  calendar: allKeys<CalendarProcessingDefinition>()([
    "automateProcessing",
    "addOrganizerToSubject",
    "deleteComments",
    "deleteSubject",
    "removePrivateProperty",
    "processExternalMeetingMessages",
    "bookingWindowInDays",
    "maximumDurationInMinutes",
    "additionalResponse",
  ]),
  place: allKeys<RoomPlaceDefinition>()([
    "capacity",
    "building",
    "floorNumber",
    "floorLabel",
    "address",
    "audioDeviceName",
    "videoDeviceName",
    "displayDeviceName",
    "isWheelChairAccessible",
    "tags",
  ]),
  teamsRooms: allKeys<TeamsRoomsDeviceDefinition>()(["usageLocation", "sku", "phoneSystem", "callingPlan", "passwordRevision"]),
  roomList: allKeys<RoomListDefinition>()(["name", "displayName", "address"]),
};
