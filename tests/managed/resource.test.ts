import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { RoomListResource } from "../../components/rooms/room-list-resource";
import { LEGACY_DYNAMIC_TYPE, TOKENS } from "../../lib/managed/tokens";
import { registeredResources } from "../support/provider-host";

class OtherResource extends pulumi.CustomResource {
  constructor(name: string) {
    super("test:index:Other", name, {});
  }
}

const outputValue = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply((v) => resolve(v)));

/** ManagedResource registers its own token, keeps the caller's options and adds the alias from the old token. */
describe("ManagedResource: token, alias and options", () => {
  it("aliases the generic dynamic type earlier versions registered, so existing stacks update in place", async () => {
    let list: RoomListResource | undefined;
    const registered = await registeredResources(() => {
      const other = new OtherResource("other");
      list = new RoomListResource(
        "rooms-london",
        {
          connection: { tenantId: "t" },
          room: "r",
          address: "rooms@contoso.com",
          displayName: "Rooms",
          create: { CmdletName: "New-DistributionGroup", Parameters: {} },
        },
        { aliases: [{ name: "rooms-london-old" }], dependsOn: [other], protect: true },
      );
    }, "alias-test");
    expect(registered.find((r) => r.name === "rooms-london")!.type).to.equal(TOKENS.roomList);
    const aliases = await Promise.all((list as unknown as { __aliases: pulumi.Output<string>[] }).__aliases.map(outputValue));
    expect(aliases).to.include(`urn:pulumi:alias-test::m365-baseline::${LEGACY_DYNAMIC_TYPE}::rooms-london`);
    expect(aliases, "the caller's own alias is kept").to.include(`urn:pulumi:alias-test::m365-baseline::${TOKENS.roomList}::rooms-london-old`);
    expect((list as unknown as { __protect: boolean }).__protect, "the caller's other options are kept").to.equal(true);
  });
});
