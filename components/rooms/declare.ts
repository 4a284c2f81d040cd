import * as pulumi from "@pulumi/pulumi";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { RoomDefinition, RoomListDefinition } from "./definition";
import { RoomList } from "./room-list";
import { RoomMailbox } from "./room-mailbox";
import { validateRoomSet } from "./validate";

export interface DeclaredRooms {
  readonly rooms: Readonly<Record<string, RoomMailbox>>;
  readonly lists: Readonly<Record<string, RoomList>>;
}

/**
 * A tenant's rooms and room lists: the whole set is validated first (duplicate addresses or aliases, rooms naming an
 * undeclared list), then lists are declared before the rooms that join them. Order of the arrays never matters.
 */
export function declareRooms(
  tenant: TenantSettings,
  rooms: readonly RoomDefinition[],
  lists: readonly RoomListDefinition[] = [],
  opts?: pulumi.ComponentResourceOptions,
): DeclaredRooms {
  validateRoomSet(rooms, lists, tenant);
  const declaredLists: Record<string, RoomList> = {};
  const byAddress = new Map<string, RoomList>();
  for (const list of [...lists].sort((a, b) => a.name.localeCompare(b.name))) {
    const component = new RoomList(list.name, { tenant, list }, opts);
    declaredLists[list.name] = component;
    byAddress.set(list.address.toLowerCase(), component);
  }
  const declaredRooms: Record<string, RoomMailbox> = {};
  for (const room of [...rooms].sort((a, b) => a.name.localeCompare(b.name))) {
    const list = room.roomList ? byAddress.get(room.roomList.toLowerCase()) : undefined;
    declaredRooms[room.name] = new RoomMailbox(room.name, { tenant, room }, pulumi.mergeOptions(opts, { dependsOn: list ? [list] : [] }));
  }
  return { rooms: declaredRooms, lists: declaredLists };
}
