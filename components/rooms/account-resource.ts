import * as pulumi from "@pulumi/pulumi";
import { ManagedInputs, ManagedResource } from "../../lib/managed/resource";
import { ROOM_ACCOUNT_TYPE, RoomAccountInputs, RoomAccountOutputs } from "./account-provider";

/** The room's sign-in account: `pulumi-nodejs:dynamic/m365-baseline:RoomAccount`, named by its logical name. */
export class RoomAccountResource extends ManagedResource<RoomAccountInputs, RoomAccountOutputs> {
  constructor(name: string, inputs: ManagedInputs<RoomAccountInputs & { userId?: string }>, opts?: pulumi.CustomResourceOptions) {
    // The provider never returns the password, but marking it a secret output as well means no future change to
    // the outputs can put it in state in plain text (and the CrossGuard rule checks for exactly this).
    super(ROOM_ACCOUNT_TYPE, name, inputs as ManagedInputs<RoomAccountInputs>, pulumi.mergeOptions(opts, { additionalSecretOutputs: ["password"] }));
  }
}
