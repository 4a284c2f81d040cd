import { RoomSet, RoomDefinition, RoomListDefinition } from "../../components/rooms";
import type { TenantSettings } from "../../lib/tenant-settings";

/** One room list per building, so Outlook's Room Finder offers "London HQ" and "Manchester" as buildings. */
const lists: RoomListDefinition[] = [
  { name: "roomlist-london-hq", displayName: "London HQ", address: "rooms-london@contoso.com" },
  { name: "roomlist-manchester", displayName: "Manchester", address: "rooms-manchester@contoso.com" },
];

const booking = { automateProcessing: "AutoAccept", bookingWindowInDays: 180, maximumDurationInMinutes: 480, removePrivateProperty: false } as const;

/** Contoso's meeting rooms: the large rooms are Teams Rooms devices, the small ones bookable only. */
const rooms: RoomDefinition[] = [
  {
    name: "room-london-thames",
    displayName: "London – Thames (12)",
    address: "thames@contoso.com",
    mailTip: "Teams Room. Please end meetings on time; the next booking starts on the hour.",
    calendar: { ...booking, addOrganizerToSubject: true, additionalResponse: "Join from the console; the room PC starts the Teams meeting." },
    place: {
      capacity: 12,
      building: "London HQ",
      floorNumber: 3,
      floorLabel: "3rd floor",
      address: { street: "1 Thames Street", city: "London", postalCode: "EC4V 3AA", countryOrRegion: "United Kingdom" },
      audioDeviceName: "Yealink MSpeech",
      videoDeviceName: "Yealink UVC86",
      displayDeviceName: 'Dual 75" displays',
      isWheelChairAccessible: true,
      tags: ["teams-room", "whiteboard"],
    },
    roomList: "rooms-london@contoso.com",
    teamsRooms: { usageLocation: "GB", sku: "Microsoft_Teams_Rooms_Pro", callingPlan: "MCOPSTN1" },
  },
  {
    name: "room-london-severn",
    displayName: "London – Severn (4)",
    address: "severn@contoso.com",
    calendar: booking,
    place: { capacity: 4, building: "London HQ", floorNumber: 3, floorLabel: "3rd floor", isWheelChairAccessible: true },
    roomList: "rooms-london@contoso.com",
  },
  {
    name: "room-manchester-irwell",
    displayName: "Manchester – Irwell (8)",
    address: "irwell@contoso.com",
    calendar: { ...booking, processExternalMeetingMessages: true },
    place: { capacity: 8, building: "Manchester", floorNumber: 1, address: { city: "Manchester", countryOrRegion: "United Kingdom" }, tags: ["teams-room"] },
    roomList: "rooms-manchester@contoso.com",
    teamsRooms: { usageLocation: "GB", sku: "Microsoft_Teams_Rooms_Basic" },
  },
];

export function contosoRooms(tenant: TenantSettings): void {
  new RoomSet("rooms", { tenant, rooms, lists });
}
