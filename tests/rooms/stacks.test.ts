import { expect } from "chai";
import * as path from "node:path";
import { Plan, recordPlan, SECRET_MARKER } from "../../lib/plan/record";

const ROOT = path.join(__dirname, "..", "..");

describe("rooms: example tenants declare rooms in their offline plan", () => {
  const plans: Record<string, Plan> = {};
  before(async () => {
    // Each recordPlan call installs the Pulumi mocks itself (inside before(), never at file top level).
    for (const stack of ["contoso-hybrid", "fabrikam-cloud"]) plans[stack] = await recordPlan({ root: ROOT, stack });
  });

  const rooms = (stack: string) =>
    plans[stack].resources
      .filter((r) => r.type === "m365-baseline:rooms:RoomMailbox")
      .map((r) => r.name)
      .sort();

  it("contoso-hybrid: Teams Rooms devices with redacted passwords and a room list per building", () => {
    const plan = plans["contoso-hybrid"];
    expect(rooms("contoso-hybrid")).to.deep.equal(["room-london-severn", "room-london-thames", "room-manchester-irwell"]);
    const lists = plan.resources
      .filter((r) => r.type === "m365-baseline:rooms:RoomList")
      .map((r) => r.inputs.address)
      .sort();
    expect(lists).to.deep.equal(["rooms-london@contoso.com", "rooms-manchester@contoso.com"]);
    const accounts = plan.resources.filter((r) => r.name.endsWith("-account"));
    expect(accounts.map((a) => a.name)).to.deep.equal(["room-london-thames-account", "room-manchester-irwell-account"]);
    // Offline, the random password is not generated yet; the plan still says what it is: a secret.
    for (const account of accounts) {
      const shown = account.inputs.password;
      expect(shown, account.name).to.equal(SECRET_MARKER);
    }
  });

  it("fabrikam-cloud: bookable rooms only, no account and no password", () => {
    expect(rooms("fabrikam-cloud")).to.deep.equal(["room-boardroom", "room-focus-1"]);
    expect(plans["fabrikam-cloud"].resources.filter((r) => /-(account|password)$/.test(r.name))).to.deep.equal([]);
  });

  it("the same declaration twice gives the same plan", async () => {
    const again = await recordPlan({ root: ROOT, stack: "fabrikam-cloud" });
    const roomsOnly = (p: Plan) => JSON.stringify(p.resources.filter((r) => r.urn.includes("rooms")));
    expect(roomsOnly(again)).to.equal(roomsOnly(plans["fabrikam-cloud"]));
  });
});
