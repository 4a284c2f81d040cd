import type * as pulumi from "@pulumi/pulumi";
import { ManagedInputs, ManagedResource } from "../../lib/managed/resource";
import { ROOM_LIST_TYPE, RoomListInputs } from "./room-list-provider";

/** The room-list group: `pulumi-nodejs:dynamic/m365-baseline:RoomList`, named by its logical name. */
export class RoomListResource extends ManagedResource<RoomListInputs, RoomListInputs> {
  constructor(name: string, inputs: ManagedInputs<RoomListInputs>, opts?: pulumi.CustomResourceOptions) {
    super(ROOM_LIST_TYPE, name, inputs, opts);
  }
}
