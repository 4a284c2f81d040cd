import type { Connection } from "../../lib/graph";
import { createOnce, lookupPace } from "../../lib/managed/create-once";
import { ManagedProvider, ManagedType } from "../../lib/managed/resource";
import { MANAGED_TYPES } from "../../lib/managed/tokens";
import { exchangeCallError, invokeCmdlet, isNotFound } from "../../lib/exchange/client";
import type { CmdletCall } from "./payload";
import { PollSettings, untilVisible } from "../../lib/managed/poll";

export interface RoomListInputs {
  readonly connection: Connection;
  readonly exchangeUrl?: string;
  /** Logical name, for messages. */
  readonly room: string;
  readonly address: string;
  readonly displayName: string;
  /** The New-DistributionGroup call, built by `buildNewRoomListCall`. */
  readonly create: CmdletCall;
  readonly poll?: PollSettings;
}

async function findGroup(inputs: RoomListInputs): Promise<Record<string, unknown> | undefined> {
  try {
    return (await invokeCmdlet(inputs, { CmdletName: "Get-DistributionGroup", Parameters: { Identity: inputs.address } }, inputs)).value[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/**
 * Created once: an existing room list with this address (made by hand, or by a run whose reply was lost) is
 * adopted, and New-DistributionGroup is never re-sent after an uncertain failure (addresses are unique in Exchange).
 */
export async function createRoomList(inputs: RoomListInputs): Promise<{ id: string; outs: RoomListInputs }> {
  const { value: group } = await createOnce<Record<string, unknown>>({
    findFirst: true,
    lookups: lookupPace(inputs.connection),
    find: () => findGroup(inputs),
    send: async () => {
      await invokeCmdlet(inputs, inputs.create, inputs);
      // Exchange answers before every server sees the group: wait for it through replication lag.
      return untilVisible(
        async () => {
          const found = await findGroup(inputs);
          if (!found) throw exchangeCallError(`room list ${inputs.address} not visible yet`, 404, "NotFound", "ManagementObjectNotFoundException");
          return found;
        },
        isNotFound,
        inputs.poll,
      );
    },
  });
  if (group.RecipientTypeDetails !== "RoomList") {
    throw new Error(`room list ${inputs.room}: ${inputs.address} is a ${String(group.RecipientTypeDetails)}, not a room list; choose another address`);
  }
  if (group.DisplayName !== inputs.displayName) await setDisplayName(inputs);
  return { id: inputs.address, outs: inputs };
}

async function setDisplayName(inputs: RoomListInputs): Promise<void> {
  await invokeCmdlet(
    inputs,
    { CmdletName: "Set-DistributionGroup", Parameters: { Identity: inputs.address, DisplayName: inputs.displayName, BypassSecurityGroupManagerCheck: true } },
    inputs,
  );
}

export async function deleteRoomList(outs: RoomListInputs): Promise<void> {
  try {
    await invokeCmdlet(
      outs,
      { CmdletName: "Remove-DistributionGroup", Parameters: { Identity: outs.address, BypassSecurityGroupManagerCheck: true, Confirm: false } },
      outs,
    );
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

/** Room lists (distribution groups with RoomList set): New-, Get-, Set- and Remove-DistributionGroup. */
export const roomListProvider: ManagedProvider<RoomListInputs, RoomListInputs> = {
  check: async (_olds, news) => ({ inputs: news }),
  create: (inputs) => createRoomList(inputs),
  /** What Exchange has: the display name (the address is the identity); gone when Get-DistributionGroup finds nothing. */
  read: async (id, props) => {
    const group = await findGroup(props);
    if (!group) return {};
    const state: RoomListInputs = { ...props, displayName: String(group.DisplayName ?? "") };
    return { id, props: state, inputs: state };
  },
  update: async (_id, olds, news) => {
    if (olds.displayName !== news.displayName) await setDisplayName(news);
    return { outs: news };
  },
  delete: (_id, outs) => deleteRoomList(outs),
  diff: async (_id, olds, news) => {
    // A new address is a new group; the old one goes first, as the address must be free.
    if (olds.address !== news.address) return { changes: true, replaces: ["address"], deleteBeforeReplace: true };
    return { changes: olds.displayName !== news.displayName || JSON.stringify(olds.poll) !== JSON.stringify(news.poll) };
  },
};

export const ROOM_LIST_TYPE: ManagedType<RoomListInputs, RoomListInputs> = { typeName: MANAGED_TYPES.roomList, provider: roomListProvider };
