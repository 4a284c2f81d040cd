import { expect } from "chai";
import * as path from "node:path";
import { renderPlanMarkdown } from "../../lib/plan/markdown";
import { TOKENS } from "../../lib/managed/tokens";
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
      .filter((r) => r.type === TOKENS.roomMailboxComponent)
      .map((r) => r.name)
      .sort();

  it("contoso-hybrid: Teams Rooms devices with redacted passwords and a room list per building", () => {
    const plan = plans["contoso-hybrid"];
    expect(rooms("contoso-hybrid")).to.deep.equal(["room-london-severn", "room-london-thames", "room-manchester-irwell"]);
    const lists = plan.resources
      .filter((r) => r.type === TOKENS.roomListComponent)
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

  it("the reviewer reads each room in the admin center's words: password policy, licences by product name, MailTip, calendar, Room Finder", () => {
    const markdown = renderPlanMarkdown(plans["contoso-hybrid"]);
    const thames = markdown.slice(markdown.indexOf("### London – Thames (12)"), markdown.indexOf("### Manchester – Irwell (8)"));
    expect(thames).to.contain("**MailTip:** Teams Room. Please end meetings on time");
    expect(thames).to.contain("**booking requests:** accepted automatically");
    expect(thames).to.contain("**capacity:** 12");
    expect(thames).to.contain("**room list:** rooms-london@contoso.com");
    const account = markdown.slice(markdown.indexOf("### thames@contoso.com"));
    expect(account).to.contain("**password:** generated, stored as a secret; never expires");
    expect(account).to.contain("**licences:** Microsoft Teams Domestic Calling Plan (MCOPSTN1), Microsoft Teams Rooms Pro (Microsoft_Teams_Rooms_Pro)");
    expect(markdown, "the components only group, the resources speak").to.not.contain(`(\`${TOKENS.roomMailboxComponent}\`)`);
  });
});
