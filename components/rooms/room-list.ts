import * as pulumi from "@pulumi/pulumi";
import { exchangeTargetFor } from "../../lib/exchange";
import { checkSignIn, ServiceEndpoints } from "../../lib/graph";
import { TOKENS } from "../../lib/managed/tokens";
import { ProblemList } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { RoomListDefinition } from "./definition";
import { buildNewRoomListCall } from "./payload";
import type { PollSettings } from "../../lib/managed/poll";
import { RoomListResource } from "./room-list-resource";
import { validateRoomList } from "./validate";

export interface RoomListArgs {
  readonly tenant: TenantSettings;
  /** The list (Exchange `New-DistributionGroup -RoomList`; Outlook Room Finder shows it as a building). */
  readonly list: RoomListDefinition;
  /** Where Exchange and Graph are, when not the tenant cloud's (a test host), and the retry pace. @default the cloud's endpoints */
  readonly endpoints?: ServiceEndpoints;
  /** @default about four minutes, exponential back-off */
  readonly poll?: PollSettings;
}

/** A room-list distribution group, created only if no group with its address exists yet. */
export class RoomList extends pulumi.ComponentResource {
  /** The list's primary SMTP address. */
  readonly address: pulumi.Output<string>;

  constructor(name: string, args: RoomListArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new ProblemList([`tenant ${args.tenant.stack}`]);
    validateRoomList(args.list, problems);
    checkSignIn(args.tenant, "rooms", problems);
    problems.throwIfAny();
    super(TOKENS.roomListComponent, name, { address: args.list.address.toLowerCase() }, opts);
    const group = new RoomListResource(
      `${name}-group`,
      {
        ...exchangeTargetFor(args.tenant, "rooms", args.endpoints),
        room: args.list.name,
        address: args.list.address.toLowerCase(),
        displayName: args.list.displayName,
        create: buildNewRoomListCall(args.list),
        ...(args.poll ? { poll: args.poll } : {}),
      },
      { parent: this },
    );
    this.address = group.id;
    this.registerOutputs({ address: this.address });
  }
}
