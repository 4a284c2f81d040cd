import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { exchangeTargetFor } from "../../lib/exchange";
import { checkSignIn, Connection, ServiceEndpoints } from "../../lib/graph";
import { TOKENS } from "../../lib/managed/tokens";
import { ProblemList } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";
import { RoomAccountResource } from "./account-resource";
import type { RoomDefinition } from "./definition";
import { RoomMailboxResource } from "./mailbox-resource";
import { buildRoomMailboxPayload, licenceSkus } from "./payload";
import type { PollSettings } from "../../lib/managed/poll";
import { checkRoomAccountsGroup, validateRoom } from "./validate";

export interface RoomMailboxArgs {
  /** The tenant's validated settings: `tenantId` and `graph` (cloud, credential) say how to reach it. */
  readonly tenant: TenantSettings;
  /** The room as declared (see `RoomDefinition`: Exchange `New-Mailbox -Room`, `Set-CalendarProcessing`, Graph `room`). */
  readonly room: RoomDefinition;
  /** Where Exchange and Graph are, when not the tenant cloud's (a test host), and the retry pace. @default the cloud's endpoints */
  readonly endpoints?: ServiceEndpoints;
  /** Replication-lag polling. @default about four minutes, exponential back-off */
  readonly poll?: PollSettings;
}

/** Provisioning the room, in declaration order: mailbox (Exchange), then — for a Teams Rooms device — its account. */
export class RoomMailbox extends pulumi.ComponentResource {
  /** Entra object ID of the room's account. */
  readonly userId: pulumi.Output<string>;
  /** The Teams Rooms device's sign-in password, a Pulumi secret (`pulumi stack output --show-secrets`); undefined for a bookable room. */
  readonly devicePassword?: pulumi.Output<string>;

  constructor(name: string, args: RoomMailboxArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new ProblemList([`tenant ${args.tenant.stack}`]);
    validateRoom(args.room, problems);
    checkRoomAccountsGroup(args.room, args.tenant, problems);
    checkSignIn(args.tenant, "rooms", problems);
    problems.throwIfAny();
    super(TOKENS.roomMailboxComponent, name, { address: args.room.address.toLowerCase(), teamsRooms: args.room.teamsRooms !== undefined }, opts);

    const target = exchangeTargetFor(args.tenant, "rooms", args.endpoints);
    const connection: Connection = target.connection;
    const shared = { ...target, ...(args.poll ? { poll: args.poll } : {}) };

    const mailbox = new RoomMailboxResource(`${name}-mailbox`, { ...buildRoomMailboxPayload(args.room), ...shared, userId: undefined }, { parent: this });
    this.userId = mailbox.id;

    const device = args.room.teamsRooms;
    if (device) {
      const revision = device.passwordRevision ?? 1;
      // A long random password the device types once; special characters limited to what Teams Rooms setup accepts.
      const password = new random.RandomPassword(
        `${name}-password`,
        { length: 32, special: true, overrideSpecial: "!#%*-_=+", keepers: { revision: String(revision) } },
        { parent: this },
      );
      const account = new RoomAccountResource(
        `${name}-account`,
        {
          connection,
          room: args.room.name,
          userPrincipalName: args.room.address.toLowerCase(),
          // Secret by construction, not only because the random provider marks `result` secret.
          password: pulumi.secret(password.result),
          passwordRevision: revision,
          usageLocation: device.usageLocation,
          licences: licenceSkus(device),
          ...(args.poll ? { poll: args.poll } : {}),
          userId: undefined,
        },
        { parent: this, dependsOn: [mailbox] },
      );
      this.userId = account.id;
      this.devicePassword = pulumi.secret(password.result);
      const group = args.tenant.rooms;
      if (group?.membership === "assigned") {
        // The group every conditional-access policy excludes (tenant setting rooms.accountsGroup): the account joins
        // it as soon as it exists, before anyone sets the device up with its password.
        new azuread.GroupMember(`${name}-room-accounts-member`, { groupObjectId: group.accountsGroup.objectId, memberObjectId: account.id }, { parent: this });
      }
    }
    this.registerOutputs({ userId: this.userId, ...(this.devicePassword ? { devicePassword: this.devicePassword } : {}) });
  }
}
