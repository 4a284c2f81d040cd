import { RoomSet, RoomDefinition } from "../../components/rooms";
import type { TenantSettings } from "../../lib/tenant-settings";

/** Fabrikam: two bookable rooms, no devices and no room list (a single office). */
const rooms: RoomDefinition[] = [
  {
    name: "room-boardroom",
    displayName: "Boardroom",
    address: "boardroom@fabrikam.com",
    mailTip: "Requests are approved by the office manager.",
    calendar: { automateProcessing: "AutoUpdate", bookingWindowInDays: 90, maximumDurationInMinutes: 240 },
    place: { capacity: 14, building: "Fabrikam Office", floorNumber: 2 },
  },
  {
    name: "room-focus-1",
    displayName: "Focus room 1",
    address: "focus1@fabrikam.com",
    calendar: { bookingWindowInDays: 14, maximumDurationInMinutes: 120, deleteComments: true },
    place: { capacity: 2, building: "Fabrikam Office", floorNumber: 2, tags: ["quiet"] },
  },
];

export function fabrikamRooms(tenant: TenantSettings): void {
  new RoomSet("rooms", { tenant, rooms });
}
