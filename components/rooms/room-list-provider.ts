import * as pulumi from "@pulumi/pulumi";
import type { Connection } from "../../lib/graph";
import { exchangeCallError, invokeCmdlet, isNotFound } from "./exchange";
import type { CmdletCall } from "./payload";
import { PollSettings, untilVisible } from "./poll";

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

async function exists(inputs: RoomListInputs): Promise<Record<string, unknown> | undefined> {
  try {
    return (await invokeCmdlet(inputs, { CmdletName: "Get-DistributionGroup", Parameters: { Identity: inputs.address } }, inputs)).value[0];
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Created only if needed: an existing room list with this address (made by hand or by an interrupted run) is adopted. */
export async function createRoomList(inputs: RoomListInputs): Promise<{ id: string; outs: RoomListInputs }> {
  let group = await exists(inputs);
  if (group && group.RecipientTypeDetails !== "RoomList") {
    throw new Error(`room list ${inputs.room}: ${inputs.address} is a ${String(group.RecipientTypeDetails)}, not a room list; choose another address`);
  }
  if (!group) {
    await invokeCmdlet(inputs, inputs.create, inputs);
    group = await untilVisible(
      async (): Promise<Record<string, unknown>> => {
        const found = await exists(inputs);
        if (!found) throw exchangeCallError(`room list ${inputs.address} not visible yet`, 404, "NotFound", "ManagementObjectNotFoundException");
        return found;
      },
      isNotFound,
      inputs.poll,
    );
  }
  if (group.DisplayName !== inputs.displayName) await setDisplayName(inputs);
  return { id: inputs.address, outs: inputs };
}

async function setDisplayName(inputs: RoomListInputs): Promise<void> {
  await invokeCmdlet(inputs, { CmdletName: "Set-DistributionGroup", Parameters: { Identity: inputs.address, DisplayName: inputs.displayName, BypassSecurityGroupManagerCheck: true } }, inputs);
}

export async function deleteRoomList(outs: RoomListInputs): Promise<void> {
  try {
    await invokeCmdlet(outs, { CmdletName: "Remove-DistributionGroup", Parameters: { Identity: outs.address, BypassSecurityGroupManagerCheck: true, Confirm: false } }, outs);
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}

export const roomListProvider: pulumi.dynamic.ResourceProvider = {
  create: (inputs: RoomListInputs) => createRoomList(inputs),
  update: async (_id: string, olds: RoomListInputs, news: RoomListInputs) => {
    if (olds.displayName !== news.displayName) await setDisplayName(news);
    return { outs: news };
  },
  delete: (_id: string, outs: RoomListInputs) => deleteRoomList(outs),
  diff: async (_id: string, olds: RoomListInputs, news: RoomListInputs) => {
    if (olds.address !== news.address) return { changes: true, replaces: ["address"], deleteBeforeReplace: true };
    return { changes: olds.displayName !== news.displayName || JSON.stringify(olds.poll) !== JSON.stringify(news.poll) };
  },
};

/** The dynamic resource the component declares (type `pulumi-nodejs:dynamic:Resource`, named by its logical name). */
export class RoomListResource extends pulumi.dynamic.Resource {
  constructor(name: string, inputs: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) {
    super(roomListProvider, name, inputs, opts);
  }
}
