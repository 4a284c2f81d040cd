import { expect } from "chai";
import { ADMIN_PORTAL_APP } from "../../lib/whatif/apps";
import { Evaluator, unmetRequirements, verdict } from "../../lib/whatif/evaluate";
import type { CaPolicy, NamedLocationModel, SignIn } from "../../lib/whatif/model";
import { ALICE, BLOCK, EXCHANGE, GLOBAL_ADMIN_ROLE, GROUP_A, INTUNE_ENROLLMENT, MFA, policy, SHAREPOINT, signIn, SOME_APP, TEAMS, user } from "./helpers";

// Expected behaviour below follows Microsoft Entra's conditional-access documentation ("Users and groups",
// "Target resources", "Conditions", "Grant", "Session", "Report-only mode", "What If tool").

function applies(p: CaPolicy, s: SignIn, locations: NamedLocationModel[] = []): boolean {
  return new Evaluator([p], locations).evaluate(s).enforced.applied.includes(p.args.displayName);
}

describe("whatif evaluator: users", () => {
  it("All includes every user, guests too", () => {
    const p = policy("p", { grant: MFA });
    expect(applies(p, signIn())).to.equal(true);
    expect(applies(p, signIn({ identity: user({ guestType: "b2bCollaborationGuest" }) }))).to.equal(true);
  });

  it("None includes nobody", () => {
    expect(applies(policy("p", { users: { includedUsers: ["None"] }, grant: MFA }), signIn())).to.equal(false);
  });

  it("exclusion beats inclusion: a user included by ID but excluded through a group is not targeted", () => {
    const p = policy("p", { users: { includedUsers: [ALICE], excludedGroups: [GROUP_A] }, grant: MFA });
    expect(applies(p, signIn({ identity: user({ groups: [GROUP_A] }) }))).to.equal(false);
    expect(applies(p, signIn())).to.equal(true);
  });

  it("directory roles include their holders and exclude them even from All users", () => {
    const admins = policy("admins", { users: { includedRoles: [GLOBAL_ADMIN_ROLE] }, grant: MFA });
    expect(applies(admins, signIn({ identity: user({ roles: [GLOBAL_ADMIN_ROLE.toUpperCase()] }) }))).to.equal(true);
    expect(applies(admins, signIn())).to.equal(false);
    const allButAdmins = policy("all", { users: { includedUsers: ["All"], excludedRoles: [GLOBAL_ADMIN_ROLE] }, grant: MFA });
    expect(applies(allButAdmins, signIn({ identity: user({ roles: [GLOBAL_ADMIN_ROLE] }) }))).to.equal(false);
  });

  it("guest or external user types match by type, and by home tenant when tenants are enumerated", () => {
    const home = "99999999-0000-0000-0000-000000000001";
    const p = policy("guests", {
      users: {
        includedGuestsOrExternalUsers: [
          { guestOrExternalUserTypes: ["b2bCollaborationGuest"], externalTenants: [{ membershipKind: "enumerated", members: [home] }] },
        ],
      },
      grant: MFA,
    });
    expect(applies(p, signIn({ identity: user({ guestType: "b2bCollaborationGuest", externalTenantId: home }) }))).to.equal(true);
    expect(applies(p, signIn({ identity: user({ guestType: "b2bCollaborationGuest", externalTenantId: SOME_APP }) }))).to.equal(false);
    expect(applies(p, signIn({ identity: user({ guestType: "internalGuest", externalTenantId: home }) }))).to.equal(false);
    expect(applies(p, signIn())).to.equal(false);
  });

  it("the legacy GuestsOrExternalUsers keyword matches every guest and no member", () => {
    const p = policy("guests", { users: { includedUsers: ["GuestsOrExternalUsers"] }, grant: MFA });
    expect(applies(p, signIn({ identity: user({ guestType: "otherExternalUser" }) }))).to.equal(true);
    expect(applies(p, signIn())).to.equal(false);
  });

  it("user-targeted policies never apply to a service principal; workload-identity policies only to them", () => {
    const sp = { kind: "servicePrincipal" as const, id: SOME_APP };
    expect(applies(policy("users", { grant: BLOCK }), signIn({ identity: sp }))).to.equal(false);
    const workload = policy("workload", {
      users: { includedUsers: ["None"] },
      conditions: { clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"], excludedServicePrincipals: [ALICE] } },
      grant: BLOCK,
    });
    expect(applies(workload, signIn({ identity: sp }))).to.equal(true);
    expect(applies(workload, signIn({ identity: { kind: "servicePrincipal", id: ALICE } }))).to.equal(false);
    expect(applies(workload, signIn())).to.equal(false);
  });
});

describe("whatif evaluator: target resources", () => {
  it("Office365 covers Exchange Online, SharePoint Online and Teams but not Intune Enrollment or other apps", () => {
    const p = policy("o365", { applications: { includedApplications: ["Office365"] }, grant: MFA });
    for (const app of [EXCHANGE, SHAREPOINT, TEAMS]) expect(applies(p, signIn({ target: { app } })), app).to.equal(true);
    expect(applies(p, signIn({ target: { app: INTUNE_ENROLLMENT } }))).to.equal(false);
    expect(applies(p, signIn({ target: { app: SOME_APP } }))).to.equal(false);
  });

  it("MicrosoftAdminPortals covers the admin portals, not Exchange Online", () => {
    const p = policy("portals", { applications: { includedApplications: ["MicrosoftAdminPortals"] }, grant: MFA });
    expect(applies(p, signIn({ target: { app: ADMIN_PORTAL_APP } }))).to.equal(true);
    expect(applies(p, signIn({ target: { app: EXCHANGE } }))).to.equal(false);
  });

  it("explicit app IDs match case-insensitively, and an excluded app beats All", () => {
    const p = policy("p", { applications: { includedApplications: ["All"], excludedApplications: [INTUNE_ENROLLMENT.toUpperCase()] }, grant: MFA });
    expect(applies(p, signIn({ target: { app: INTUNE_ENROLLMENT } }))).to.equal(false);
    expect(applies(p, signIn({ target: { app: SOME_APP.toUpperCase() } }))).to.equal(true);
    const office365ButTeams = policy("q", { applications: { includedApplications: ["Office365"], excludedApplications: [TEAMS] }, grant: MFA });
    expect(applies(office365ButTeams, signIn({ target: { app: TEAMS } }))).to.equal(false);
    expect(applies(office365ButTeams, signIn({ target: { app: EXCHANGE } }))).to.equal(true);
  });

  it("user actions are targeted only by policies that name them, and app policies do not apply to them", () => {
    const register = { userAction: "urn:user:registersecurityinfo" };
    const p = policy("register", { applications: { includedUserActions: ["urn:user:registersecurityinfo"] }, grant: MFA });
    expect(applies(p, signIn({ target: register }))).to.equal(true);
    expect(applies(p, signIn({ target: { userAction: "urn:user:registerdevice" } }))).to.equal(false);
    expect(applies(p, signIn())).to.equal(false);
    expect(applies(policy("all-apps", { grant: MFA }), signIn({ target: register }))).to.equal(false);
  });
});

describe("whatif evaluator: conditions", () => {
  it("a condition the policy does not configure matches every sign-in", () => {
    const p = policy("bare", { grant: MFA });
    for (const s of [
      signIn({ clientApp: "exchangeActiveSync", platform: "unknown" }),
      signIn({ platform: "linux", ip: "192.0.2.1", country: "NL", signInRisk: "high", userRisk: "medium", device: { isCompliant: false } }),
    ]) {
      expect(applies(p, s)).to.equal(true);
    }
  });

  it("client app types: legacy clients only, or all", () => {
    const legacy = policy("legacy", { conditions: { clientAppTypes: ["exchangeActiveSync", "other"] }, grant: BLOCK });
    expect(applies(legacy, signIn({ clientApp: "exchangeActiveSync" }))).to.equal(true);
    expect(applies(legacy, signIn({ clientApp: "other" }))).to.equal(true);
    expect(applies(legacy, signIn({ clientApp: "browser" }))).to.equal(false);
    expect(applies(legacy, signIn({ clientApp: "mobileAppsAndDesktopClients" }))).to.equal(false);
  });

  it("device platforms: excluded platforms win; 'all' also covers platforms Entra cannot identify, a named list does not", () => {
    const allButIos = policy("p", { conditions: { platforms: { includedPlatforms: ["all"], excludedPlatforms: ["iOS"] } }, grant: MFA });
    expect(applies(allButIos, signIn({ platform: "windows" }))).to.equal(true);
    expect(applies(allButIos, signIn({ platform: "iOS" }))).to.equal(false);
    expect(applies(allButIos, signIn({ platform: "unknown" }))).to.equal(true);
    const android = policy("q", { conditions: { platforms: { includedPlatforms: ["android"] } }, grant: MFA });
    expect(applies(android, signIn({ platform: "android" }))).to.equal(true);
    expect(applies(android, signIn({ platform: "unknown" }))).to.equal(false);
  });

  const office: NamedLocationModel = {
    ids: ["office-id"],
    displayName: "Office",
    trusted: true,
    ipRanges: ["203.0.113.0/24", "2001:db8::/48"],
    countries: [],
    includeUnknownCountries: false,
  };
  const netherlands: NamedLocationModel = {
    ids: ["nl-id"],
    displayName: "NL",
    trusted: false,
    ipRanges: [],
    countries: ["NL"],
    includeUnknownCountries: false,
  };

  it("locations: All except AllTrusted spares sign-ins from trusted IP ranges (IPv4 and IPv6)", () => {
    const p = policy("untrusted", { conditions: { locations: { includedLocations: ["All"], excludedLocations: ["AllTrusted"] } }, grant: MFA });
    expect(applies(p, signIn({ ip: "203.0.113.7" }), [office])).to.equal(false);
    expect(applies(p, signIn({ ip: "2001:db8::1" }), [office])).to.equal(false);
    expect(applies(p, signIn({ ip: "198.51.100.7" }), [office])).to.equal(true);
    expect(applies(p, signIn(), [office])).to.equal(true);
  });

  it("locations: a country named location matches by the sign-in's country", () => {
    const p = policy("nl", { conditions: { locations: { includedLocations: ["nl-id"] } }, grant: BLOCK });
    expect(applies(p, signIn({ country: "nl" }), [netherlands])).to.equal(true);
    expect(applies(p, signIn({ country: "DE" }), [netherlands])).to.equal(false);
  });

  it("device filter, include mode: applies only to devices the rule matches; negative rules catch unregistered devices", () => {
    const unmanaged = policy("unmanaged", {
      conditions: { devices: { filter: { mode: "include", rule: 'device.isCompliant -ne True -and device.trustType -ne "ServerAD"' } } },
      grant: BLOCK,
    });
    expect(applies(unmanaged, signIn({ device: undefined }))).to.equal(true);
    expect(applies(unmanaged, signIn({ device: { isCompliant: true, trustType: "AzureAD" } }))).to.equal(false);
    expect(applies(unmanaged, signIn({ device: { isCompliant: false, trustType: "ServerAD" } }))).to.equal(false);
    expect(applies(unmanaged, signIn({ device: { isCompliant: false, trustType: "Workplace" } }))).to.equal(true);
  });

  it("device filter, exclude mode: matching devices are spared; with a positive rule unregistered devices are not", () => {
    const saw = policy("saw", { conditions: { devices: { filter: { mode: "exclude", rule: 'device.extensionAttribute1 -eq "SAW"' } } }, grant: BLOCK });
    expect(applies(saw, signIn({ device: { extensionAttribute1: "saw" } }))).to.equal(false);
    expect(applies(saw, signIn({ device: { extensionAttribute1: "laptop" } }))).to.equal(true);
    expect(applies(saw, signIn({ device: undefined }))).to.equal(true);
  });

  it("sign-in and user risk: only the listed levels; a sign-in without risk information is 'none'", () => {
    const risky = policy("risky", { conditions: { signInRiskLevels: ["high", "medium"] }, grant: MFA });
    expect(applies(risky, signIn({ signInRisk: "high" }))).to.equal(true);
    expect(applies(risky, signIn({ signInRisk: "low" }))).to.equal(false);
    expect(applies(risky, signIn())).to.equal(false);
    const userRisk = policy("user-risk", { conditions: { userRiskLevels: ["high"] }, grant: { operator: "AND", builtInControls: ["mfa", "passwordChange"] } });
    expect(applies(userRisk, signIn({ userRisk: "high" }))).to.equal(true);
    expect(applies(userRisk, signIn({ signInRisk: "high" }))).to.equal(false);
  });
});

describe("whatif evaluator: results", () => {
  it("block wins over every grant requirement", () => {
    const e = new Evaluator([policy("mfa", { grant: MFA }), policy("block", { grant: BLOCK })]).evaluate(signIn());
    expect(verdict(e.enforced)).to.equal("block");
    expect(e.enforced.blockedBy).to.deep.equal(["block"]);
  });

  it("every applying policy's grant must be met; each policy's own operator decides within it; terms of use count", () => {
    const tou = "0f0f0f0f-0000-0000-0000-000000000001";
    const e = new Evaluator([
      policy("device", { grant: { operator: "OR", builtInControls: ["compliantDevice", "domainJoinedDevice"] } }),
      policy("mfa-and-tou", { grant: { operator: "AND", builtInControls: ["mfa"], termsOfUses: [tou] } }),
    ]).evaluate(signIn());
    expect(verdict(e.enforced)).to.equal("requirements");
    expect(e.enforced.requirements.map((r) => [r.policy, r.operator, [...r.controls].sort()])).to.deep.equal([
      ["device", "OR", ["compliantDevice", "domainJoinedDevice"]],
      ["mfa-and-tou", "AND", ["mfa", `termsOfUse:${tou}`]],
    ]);
    const unmet = (controls: string[]): string[] => unmetRequirements(e.enforced, new Set(controls)).map((r) => r.policy);
    expect(unmet(["domainJoinedDevice", "mfa"])).to.deep.equal(["mfa-and-tou"]);
    expect(unmet(["domainJoinedDevice", "mfa", `termsOfUse:${tou}`])).to.deep.equal([]);
    expect(unmet(["mfa", `termsOfUse:${tou}`])).to.deep.equal(["device"]);
  });

  it("an authentication strength is a requirement named by its ID", () => {
    const e = new Evaluator([
      policy("strength", {
        grant: { operator: "OR", authenticationStrengthPolicyId: "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000002" },
      }),
    ]).evaluate(signIn());
    expect(e.enforced.requirements[0].controls).to.deep.equal(["authenticationStrength:00000000-0000-0000-0000-000000000002"]);
  });

  it("session controls accumulate and the most restrictive setting wins", () => {
    const e = new Evaluator([
      policy("daily", {
        session: { signInFrequency: 1, signInFrequencyPeriod: "days", signInFrequencyInterval: "timeBased", persistentBrowserMode: "always" },
      }),
      policy("hourly", {
        session: { signInFrequency: 4, signInFrequencyPeriod: "hours", signInFrequencyInterval: "timeBased", persistentBrowserMode: "never" },
      }),
      policy("mcas", { session: { cloudAppSecurityPolicy: "blockDownloads", applicationEnforcedRestrictionsEnabled: true } }),
    ]).evaluate(signIn());
    const s = e.enforced.session;
    expect(s.signInFrequency).to.include({ every: "4 hours", policy: "hourly" });
    expect(s.persistentBrowser).to.deep.equal({ mode: "never", policy: "hourly" });
    expect(s.cloudAppSecurity).to.deep.equal([{ mode: "blockDownloads", policy: "mcas" }]);
    expect(s.applicationEnforcedRestrictions).to.deep.equal(["mcas"]);
    expect(verdict(e.enforced)).to.equal("allow");
    const everyTime = new Evaluator([
      policy("hourly", { session: { signInFrequency: 1, signInFrequencyPeriod: "hours", signInFrequencyInterval: "timeBased" } }),
      policy("always-reauth", { session: { signInFrequencyInterval: "everyTime" } }),
    ]).evaluate(signIn());
    expect(everyTime.enforced.session.signInFrequency?.policy).to.equal("always-reauth");
  });

  it("report-only policies are listed as 'would apply' and never enforced; disabled policies are ignored", () => {
    const e = new Evaluator([
      policy("report", { state: "enabledForReportingButNotEnforced", grant: BLOCK }),
      policy("off", { state: "disabled", grant: BLOCK }),
      policy("on", { grant: MFA }),
    ]).evaluate(signIn());
    expect(e.enforced.applied).to.deep.equal(["on"]);
    expect(verdict(e.enforced)).to.equal("requirements");
    expect(e.reportOnly.applied).to.deep.equal(["report"]);
    expect(verdict(e.reportOnly)).to.equal("block");
  });
});
