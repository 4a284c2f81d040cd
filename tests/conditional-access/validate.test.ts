import { expect } from "chai";
import {
  blockLegacyAuthentication,
  NamedLocationDefinition,
  PolicyDefinition,
  requireMfaForAllUsers,
  validatePolicySet,
} from "../../components/conditional-access";
import { ValidationError } from "../../lib/problems";
import { testTenant } from "../support/tenant";

/** The validation message for a set, or "" when it is valid. */
function problemsOf(policies: PolicyDefinition[], locations: NamedLocationDefinition[] = []): string {
  try {
    validatePolicySet(policies, locations, testTenant());
    return "";
  } catch (err) {
    expect(err).to.be.instanceOf(ValidationError);
    return (err as Error).message;
  }
}

const base = (overrides: Partial<PolicyDefinition> = {}): PolicyDefinition => requireMfaForAllUsers(overrides);
const prefix = "tenant test-tenant › policy CA004-Global-AllApps-RequireMFA";

describe("conditional-access validation", () => {
  it("accepts every catalog policy as shipped", () => {
    expect(problemsOf([base(), blockLegacyAuthentication({ state: "enabled" })])).to.equal("");
  });

  it("rejects a malformed user object ID, naming tenant, policy and field", () => {
    const msg = problemsOf([base({ users: { includeUsers: ["All"], excludeUsers: ["not-a-guid"] } })]);
    expect(msg).to.contain(`${prefix} › users.excludeUsers[0]: "not-a-guid" is not a user object ID`);
    expect(msg).to.contain("Allowed: All, None, GuestsOrExternalUsers, or a user object ID (GUID)");
  });

  it("rejects a malformed group object ID", () => {
    expect(problemsOf([base({ users: { includeGroups: ["Sales"] } })])).to.contain(`${prefix} › users.includeGroups[0]: "Sales" is not a group object ID`);
  });

  it("rejects an empty include set for users", () => {
    expect(problemsOf([base({ users: {} })])).to.contain(`${prefix} › users: includes nobody`);
  });

  it("rejects an empty include set for applications", () => {
    expect(problemsOf([base({ applications: {} })])).to.contain(`${prefix} › applications: targets no application or user action`);
  });

  it("rejects an unknown application name and lists the known ones", () => {
    const msg = problemsOf([base({ applications: { include: ["Exchange"] } })]);
    expect(msg).to.contain(`${prefix} › applications.include[0]: unknown application "Exchange"`);
    expect(msg).to.contain("Allowed: All, None, Office365, MicrosoftAdminPortals, Exchange Online, SharePoint Online, Microsoft Teams");
  });

  it("rejects an unknown role name and lists the known ones", () => {
    const msg = problemsOf([base({ users: { includeRoles: ["Global Admin"] } })]);
    expect(msg).to.contain(`${prefix} › users.includeRoles[0]: unknown role "Global Admin"`);
    expect(msg).to.contain("Global Administrator, Privileged Role Administrator");
  });

  it("rejects a grant control Graph does not accept", () => {
    const msg = problemsOf([base({ grant: { controls: ["requireMfa" as never] } })]);
    expect(msg).to.contain(`${prefix} › grant.controls[0]: "requireMfa" is not accepted by Graph`);
    expect(msg).to.contain("Allowed: block, mfa, compliantDevice, domainJoinedDevice");
  });

  it("rejects block combined with other grant controls", () => {
    expect(problemsOf([base({ grant: { controls: ["block", "mfa"] } })])).to.contain(
      `${prefix} › grant.controls: block cannot be combined with other grant controls`,
    );
  });

  it("rejects block combined with terms of use", () => {
    expect(problemsOf([base({ grant: { controls: ["block"], termsOfUse: ["dddddddd-0000-4000-8000-000000000001"] } })])).to.contain("block cannot be combined");
  });

  it("rejects a policy that neither grants nor restricts", () => {
    expect(problemsOf([base({ grant: undefined })])).to.contain(`${prefix} › grant: the policy neither grants nor restricts anything`);
  });

  it("rejects an enabled policy that blocks All users on All apps with no condition", () => {
    const msg = problemsOf([base({ state: "enabled", grant: { controls: ["block"] } })]);
    expect(msg).to.contain("an enabled policy that blocks All users on All apps with no other condition locks the whole tenant out");
  });

  it("allows the same block when a condition narrows it (block legacy authentication)", () => {
    expect(problemsOf([blockLegacyAuthentication({ state: "enabled" })])).to.equal("");
  });

  it("an acknowledged wide-impact risk needs a known risk name and a written reason", () => {
    const msg = problemsOf([
      base({
        acknowledgedRisks: { blocksEveryMember: { reason: "short" }, blocksEveryone: { reason: "Because we decided so in the change board." } } as never,
      }),
    ]);
    expect(msg).to.contain(`${prefix} › acknowledgedRisks.blocksEveryMember.reason: an acknowledged risk needs a written reason a reviewer can judge`);
    expect(msg).to.contain(
      `${prefix} › acknowledgedRisks.blocksEveryone: is not a risk the lockout gate knows. Allowed: blocksEveryGlobalAdministrator, blocksEveryMember`,
    );
    expect(problemsOf([base({ acknowledgedRisks: { blocksEveryMember: { reason: "Tenant in lockdown during the incident response." } } })])).to.equal("");
  });

  it("rejects an opt-out without a written reason", () => {
    const msg = problemsOf([base({ exclusionOptOut: { breakGlass: { reason: " " } } })]);
    expect(msg).to.contain(`${prefix} › exclusionOptOut.breakGlass.reason: an exclusion opt-out needs a written reason a reviewer can judge`);
  });

  it("refuses to enable a policy whose opt-out lets it apply to the sync accounts", () => {
    const msg = problemsOf([base({ state: "enabled", exclusionOptOut: { directorySync: { reason: "The sync server only signs in from the datacentre." } } })]);
    expect(msg).to.contain(`${prefix} › state: an enabled policy would apply to the directory-sync accounts because of exclusionOptOut.directorySync`);
    expect(msg).to.contain("Allowed: reportOnly or disabled while the opt-out stands");
  });

  it("accepts an opt-out with a reason on a report-only policy", () => {
    expect(problemsOf([base({ exclusionOptOut: { directorySync: { reason: "The sync server only signs in from the datacentre." } } })])).to.equal("");
  });

  it("rejects duplicate logical names and duplicate display names in one tenant", () => {
    const msg = problemsOf([base(), base(), blockLegacyAuthentication({ displayName: "Same" }), base({ name: "CA099-Other", displayName: "same" })]);
    expect(msg).to.contain("tenant test-tenant › policy CA004-Global-AllApps-RequireMFA › name: is declared more than once");
    expect(msg).to.contain('tenant test-tenant › display name "same": is used by more than one policy');
  });

  it("rejects a Defender for Cloud Apps session control on non-browser client apps, explaining why", () => {
    const msg = problemsOf([
      base({ grant: undefined, session: { cloudAppSecurity: "monitorOnly" }, clientAppTypes: ["browser", "mobileAppsAndDesktopClients"] }),
    ]);
    expect(msg).to.contain(`${prefix} › clientAppTypes: Conditional Access App Control only applies to browser sessions`);
  });

  it("rejects a sign-in frequency outside Graph's range", () => {
    const msg = problemsOf([base({ session: { signInFrequency: { value: 30, unit: "hours" } } })]);
    expect(msg).to.contain(`${prefix} › session.signInFrequency.value: 30 hours is outside Graph's range. Allowed: a whole number from 1 to 23 hours`);
  });

  it("rejects an unknown client app type and combining 'all' with others", () => {
    const msg = problemsOf([base({ clientAppTypes: ["all", "legacy" as never] })]);
    expect(msg).to.contain(`${prefix} › clientAppTypes[1]: "legacy" is not accepted by Graph`);
    expect(msg).to.contain(`${prefix} › clientAppTypes: "all" cannot be combined`);
  });

  it("rejects a malformed authentication strength ID and mfa together with a strength", () => {
    const msg = problemsOf([base({ grant: { controls: ["mfa"], authenticationStrengthId: "phishing-resistant" } })]);
    expect(msg).to.contain("mfa and an authentication strength cannot both be required");
    expect(msg).to.contain(`${prefix} › grant.authenticationStrengthId: "phishing-resistant" is not an authentication strength ID`);
  });

  it("rejects a location that is neither keyword, ID nor declared named location, listing the declared ones", () => {
    const offices: NamedLocationDefinition = { name: "offices", ipRanges: ["203.0.113.0/24"], trusted: true };
    const msg = problemsOf([base({ locations: { include: ["All"], exclude: ["office"] } })], [offices]);
    expect(msg).to.contain(
      `${prefix} › locations.exclude[0]: "office" is neither a keyword, a named-location ID nor a declared named location. Allowed: All, AllTrusted, offices`,
    );
    expect(problemsOf([base({ locations: { include: ["All"], exclude: ["offices"] } })], [offices])).to.equal("");
  });

  it("rejects a named location with a bad CIDR, or with both IP ranges and countries", () => {
    const msg = problemsOf([], [{ name: "hq", ipRanges: ["203.0.113.0/33"], countries: ["NL"] }]);
    expect(msg).to.contain('tenant test-tenant › named location hq › ipRanges[0]: "203.0.113.0/33" is not a CIDR range');
    expect(msg).to.contain("a named location is either an IP-ranges location or a countries location");
  });

  it("reports every problem at once, not only the first", () => {
    const msg = problemsOf([base({ users: {}, applications: {} })]);
    expect(msg).to.match(/^m365-baseline found 2 problems; nothing was declared:/);
  });
});
