import type * as pulumi from "@pulumi/pulumi";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { RoomDefinition, RoomListDefinition } from "./definition";
import { RoomSet } from "./room-set";

/** What `declareRooms` returns: the rooms and lists by logical name (a `RoomSet` has both). */
export type DeclaredRooms = Pick<RoomSet, "rooms" | "lists">;

/**
 * @deprecated Declare `new RoomSet("rooms", { tenant, rooms, lists })`. This wrapper does exactly that, so a stack
 * still calling it plans the same resources as one that has moved.
 */
export function declareRooms(
  tenant: TenantSettings,
  rooms: readonly RoomDefinition[],
  lists: readonly RoomListDefinition[] = [],
  opts?: pulumi.ComponentResourceOptions,
): DeclaredRooms {
  return new RoomSet("rooms", { tenant, rooms, lists }, opts);
}
