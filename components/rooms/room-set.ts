import * as pulumi from "@pulumi/pulumi";
import { byLogicalName } from "../../lib/logical-order";
import { TOKENS } from "../../lib/managed/tokens";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { RoomDefinition, RoomListDefinition } from "./definition";
import type { PollSettings } from "../../lib/managed/poll";
import { RoomList } from "./room-list";
import { RoomMailbox } from "./room-mailbox";
import { validateRoomSet } from "./validate";
import type { ServiceEndpoints } from "../../lib/graph";

export interface RoomSetArgs {
  /** The tenant's validated settings: `tenantId` and `graph` (cloud, credential) say how to reach it. */
  readonly tenant: TenantSettings;
  /** Every room the tenant declares (Exchange `New-Mailbox -Room`; Microsoft 365 admin center › Resources › Rooms & equipment). Order does not matter. */
  readonly rooms: readonly RoomDefinition[];
  /** Room lists (Exchange `New-DistributionGroup -RoomList`; Outlook Room Finder shows each as a building). @default [] */
  readonly lists?: readonly RoomListDefinition[];
  /** Where Exchange and Graph are, when not the tenant cloud's (a test host), and the retry pace. @default the cloud's endpoints */
  readonly endpoints?: ServiceEndpoints;
  /** Replication-lag polling. @default about four minutes, exponential back-off */
  readonly poll?: PollSettings;
}

/**
 * A tenant's rooms and room lists. The whole set is validated first (duplicate addresses or aliases, a room naming
 * an undeclared list), then lists are declared before the rooms that join them. Order of the arrays never matters.
 *
 * Versions before 0.2 declared the same RoomMailbox and RoomList components through `declareRooms`, as children of
 * the stack (or of the `parent` passed to it). Each child here carries an alias to that parent, so an existing stack
 * updates in place: the engine also derives the old URNs of their own children from that alias
 * (https://www.pulumi.com/docs/iac/concepts/options/aliases/).
 */
export class RoomSet extends pulumi.ComponentResource {
  /** Room components by logical name. */
  readonly rooms: Readonly<Record<string, RoomMailbox>>;
  /** Room-list components by logical name. */
  readonly lists: Readonly<Record<string, RoomList>>;

  constructor(name: string, args: RoomSetArgs, opts?: pulumi.ComponentResourceOptions) {
    const lists = args.lists ?? [];
    validateRoomSet(args.rooms, lists, args.tenant);
    super(TOKENS.roomSet, name, {}, opts);

    const shared = { tenant: args.tenant, ...(args.endpoints ? { endpoints: args.endpoints } : {}), ...(args.poll ? { poll: args.poll } : {}) };
    // Where declareRooms put these components: the caller's parent, or the stack.
    const formerParent: pulumi.Alias = { parent: opts?.parent ?? pulumi.rootStackResource };
    const childOptions = (dependsOn: pulumi.Resource[] = []): pulumi.ComponentResourceOptions => ({ parent: this, aliases: [formerParent], dependsOn });

    const declaredLists: Record<string, RoomList> = {};
    const listByAddress = new Map<string, RoomList>();
    for (const list of byLogicalName(lists)) {
      const component = new RoomList(list.name, { ...shared, list }, childOptions());
      declaredLists[list.name] = component;
      listByAddress.set(list.address.toLowerCase(), component);
    }
    const declaredRooms: Record<string, RoomMailbox> = {};
    for (const room of byLogicalName(args.rooms)) {
      const list = room.roomList ? listByAddress.get(room.roomList.toLowerCase()) : undefined;
      declaredRooms[room.name] = new RoomMailbox(room.name, { ...shared, room }, childOptions(list ? [list] : []));
    }

    this.rooms = declaredRooms;
    this.lists = declaredLists;
    this.registerOutputs({
      roomUserIds: Object.fromEntries(Object.entries(declaredRooms).map(([key, room]) => [key, room.userId])),
      roomListAddresses: Object.fromEntries(Object.entries(declaredLists).map(([key, list]) => [key, list.address])),
    });
  }
}
