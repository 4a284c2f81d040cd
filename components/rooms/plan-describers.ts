import { TOKENS } from "../../lib/managed/tokens";
import type { DescriberRegistry, ResourceDescriber } from "../../lib/plan/describers";
import { Fact, scalar, set, yesNo } from "../../lib/plan/facts";
import type { CalendarSettings, MailboxSettings, PlacePatch } from "./payload";

/**
 * Licences by SKU part number (Graph `subscribedSku.skuPartNumber`) in the names the Microsoft 365 admin center
 * shows; the part number stays beside each name, so a reviewer can match it with `GET /subscribedSkus`.
 */
const LICENCE_NAMES: Readonly<Record<string, string>> = {
  Microsoft_Teams_Rooms_Pro: "Microsoft Teams Rooms Pro",
  Microsoft_Teams_Rooms_Basic: "Microsoft Teams Rooms Basic",
  MCOEV: "Microsoft Teams Phone Standard",
  MCOPSTN1: "Microsoft Teams Domestic Calling Plan",
  MCOPSTN2: "Microsoft Teams Domestic and International Calling Plan",
};

/** Pulumi's type token for `azuread.GroupMember`. */
const GROUP_MEMBER_TYPE = "azuread:index/groupMember:GroupMember";

const licenceLabel = (part: string): string => (LICENCE_NAMES[part] ? `${LICENCE_NAMES[part]} (${part})` : part);
const text = (v: string | number | null | undefined): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** The room mailbox as the Exchange admin center and Room Finder show it. */
const roomMailbox: ResourceDescriber = {
  kind: "Room mailbox",
  plural: "Room mailboxes",
  order: 20,
  title: (r) => String((r.inputs.mailbox as MailboxSettings | undefined)?.DisplayName ?? r.name),
  facts: (r) => {
    const mailbox = (r.inputs.mailbox ?? {}) as Partial<MailboxSettings>;
    const calendar = (r.inputs.calendar ?? {}) as Partial<CalendarSettings>;
    const place = (r.inputs.place ?? null) as (Partial<PlacePatch> & Record<string, unknown>) | null;
    return [
      ...scalar("email address", r.inputs.address as string | undefined),
      ...scalar("alias", mailbox.Alias),
      ...scalar("MailTip", mailbox.MailTip ? mailbox.MailTip : "none"),
      ...scalar("booking requests", calendar.AutomateProcessing === "AutoAccept" ? "accepted automatically" : calendar.AutomateProcessing),
      ...scalar("booking window (days)", text(calendar.BookingWindowInDays)),
      ...scalar("maximum duration (minutes)", text(calendar.MaximumDurationInMinutes)),
      ...scalar(
        "meeting requests from outside the organization",
        calendar.ProcessExternalMeetingMessages === undefined ? undefined : calendar.ProcessExternalMeetingMessages ? "processed" : "declined",
      ),
      ...scalar("add the organizer's name to the subject", yesNo(calendar.AddOrganizerToSubject)),
      ...scalar("delete the meeting body", yesNo(calendar.DeleteComments)),
      ...scalar("delete the subject", yesNo(calendar.DeleteSubject)),
      ...scalar("clear the private flag", yesNo(calendar.RemovePrivateProperty)),
      ...scalar("reply text", calendar.AddAdditionalResponse ? calendar.AdditionalResponse : undefined),
      ...scalar("room list", (r.inputs.roomList as string | null | undefined) ?? "none"),
      ...(place ? placeFacts(place) : scalar("Room Finder", "not managed")),
      ...scalar("when removed from the program", r.inputs.deletion === "hard" ? "deleted permanently" : "soft-deleted (recoverable for 30 days)"),
    ];
  },
  risks: ({ base, head }) => {
    // A room that starts processing meeting requests from outside the organization can be booked (and its calendar
    // read through the replies) by anyone who knows its address: Set-CalendarProcessing -ProcessExternalMeetingMessages.
    const was = (base?.inputs.calendar as Partial<CalendarSettings> | undefined)?.ProcessExternalMeetingMessages;
    const now = (head?.inputs.calendar as Partial<CalendarSettings> | undefined)?.ProcessExternalMeetingMessages;
    if (!head || now !== true || was === true) return [];
    const name = String((head.inputs.mailbox as MailboxSettings | undefined)?.DisplayName ?? head.name);
    return [
      {
        kind: "room-opened-externally",
        severity: "medium",
        resource: head.name,
        message: `room "${name}" ${base ? "now accepts" : "is added accepting"} meeting requests from outside the organization`,
      },
    ];
  },
};

function placeFacts(place: Partial<PlacePatch> & Record<string, unknown>): Fact[] {
  return [
    ...scalar("capacity", text(place.capacity)),
    ...scalar("building", place.building ?? undefined),
    ...scalar("floor", text(place.floorLabel ?? place.floorNumber)),
    ...scalar("wheelchair accessible", yesNo(place.isWheelChairAccessible ?? undefined)),
    ...scalar("audio device", place.audioDeviceName ?? undefined),
    ...scalar("video device", place.videoDeviceName ?? undefined),
    ...scalar("display device", place.displayDeviceName ?? undefined),
    ...set("Room Finder tags", (place.tags as string[] | undefined) ?? []),
  ];
}

/** The Teams Rooms device's sign-in account, as the Microsoft 365 admin center shows it. */
const roomAccount: ResourceDescriber = {
  kind: "Teams Rooms account",
  order: 21,
  title: (r) => String(r.inputs.userPrincipalName ?? r.name),
  facts: (r) => [
    ...scalar("sign-in", "enabled"),
    ...scalar("password", "generated, stored as a secret; never expires"),
    ...scalar("password revision", text(r.inputs.passwordRevision as number | undefined)),
    ...scalar("usage location", r.inputs.usageLocation as string | undefined),
    ...set("licences", ((r.inputs.licences as string[] | undefined) ?? []).map(licenceLabel)),
  ],
};

/** A room list, as Outlook's Room Finder shows it (a building). */
const roomList: ResourceDescriber = {
  kind: "Room list",
  order: 22,
  title: (r) => String(r.inputs.displayName ?? r.name),
  facts: (r) => [...scalar("email address", r.inputs.address as string | undefined)],
};

/**
 * A room account joining the tenant's room accounts group (tenant setting `rooms.accountsGroup`), the group every
 * conditional-access policy excludes and the room policies include. The only group membership the baseline declares.
 */
const roomAccountsMembership: ResourceDescriber = {
  kind: "Room accounts group membership",
  plural: "Room accounts group memberships",
  order: 23,
  title: (r, context) => `${context.nameOf(String(r.inputs.memberObjectId))} in ${context.nameOf(String(r.inputs.groupObjectId))}`,
  facts: (r, context) => [
    ...scalar("group", context.nameOf(String(r.inputs.groupObjectId))),
    ...scalar("member", context.nameOf(String(r.inputs.memberObjectId))),
    ...scalar("why", "conditional access excludes this group from every policy but the room policies: a room console cannot answer MFA"),
  ],
};

const hidden = (kind: string): ResourceDescriber => ({ kind, hidden: true, facts: () => [] });

export const describers: DescriberRegistry = {
  [TOKENS.roomMailbox]: roomMailbox,
  [TOKENS.roomAccount]: roomAccount,
  [TOKENS.roomList]: roomList,
  [GROUP_MEMBER_TYPE]: roomAccountsMembership,
  // The components only group their resources; everything a reviewer reads is on the resources.
  [TOKENS.roomSet]: hidden("Rooms component"),
  [TOKENS.roomMailboxComponent]: hidden("Room"),
  [TOKENS.roomListComponent]: hidden("Room list component"),
};
