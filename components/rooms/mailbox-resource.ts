import type * as pulumi from "@pulumi/pulumi";
import { ManagedInputs, ManagedResource } from "../../lib/managed/resource";
import { ROOM_MAILBOX_TYPE, RoomMailboxInputs, RoomMailboxOutputs } from "./mailbox-provider";

/** The room mailbox: `pulumi-nodejs:dynamic/m365-baseline:RoomMailbox`, named by its logical name. */
export class RoomMailboxResource extends ManagedResource<RoomMailboxInputs, RoomMailboxOutputs> {
  constructor(name: string, inputs: ManagedInputs<RoomMailboxInputs & { userId?: string }>, opts?: pulumi.CustomResourceOptions) {
    super(ROOM_MAILBOX_TYPE, name, inputs as ManagedInputs<RoomMailboxInputs>, opts);
  }
}
