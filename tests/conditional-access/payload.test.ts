import { expect } from "chai";
import {
  blockLegacyAuthentication,
  buildPolicyPayload,
  PolicyDefinition,
  requireCompliantOrHybridJoinedDevice,
  requireMfaForAdmins,
  requireMfaForAllUsers,
  requireTermsOfUse,
  routeUnmanagedBrowserSessionsToDefender,
} from "../../components/conditional-access";
import {
  BREAK_GLASS_GROUP,
  BREAK_GLASS_USER,
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE,
  ON_PREMISES_DIRECTORY_SYNC_ACCOUNT_ROLE,
  SYNC_ACCOUNT,
  SYNC_SERVICE_PRINCIPAL,
  testTenant,
} from "../support/tenant";

const AGREEMENT_ID = "dddddddd-0000-4000-8000-000000000001";
const catalog: PolicyDefinition[] = [
  requireTermsOfUse([AGREEMENT_ID]),
  blockLegacyAuthentication(),
  requireMfaForAdmins(),
  requireMfaForAllUsers(),
  requireCompliantOrHybridJoinedDevice(),
  routeUnmanagedBrowserSessionsToDefender("blockDownloads"),
];

// The payload is a plain object whose nested arrays we inspect; typing every level adds nothing here.
type Loose = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function usersOf(def: PolicyDefinition): Loose {
  return (buildPolicyPayload(def, testTenant()).args.conditions as Loose).users;
}

describe("conditional-access payload (pure)", () => {
  describe("built-in exclusions", () => {
    for (const def of catalog) {
      it(`${def.name} excludes both sync roles, the sync account and the break-glass user and group`, () => {
        const users = usersOf(def);
        expect(users.excludedRoles).to.include.members([DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE, ON_PREMISES_DIRECTORY_SYNC_ACCOUNT_ROLE]);
        expect(users.excludedUsers).to.include.members([SYNC_ACCOUNT.objectId, BREAK_GLASS_USER.objectId]);
        expect(users.excludedGroups).to.include.members([BREAK_GLASS_GROUP.objectId]);
      });
    }

    it("the terms-of-use policy that breaks sync when the portal creates it cannot catch the sync account here", () => {
      const { args } = buildPolicyPayload(requireTermsOfUse([AGREEMENT_ID]), testTenant());
      const users = (args.conditions as Loose).users;
      expect(users.includedUsers).to.deep.equal(["All"]);
      expect(users.excludedUsers).to.include(SYNC_ACCOUNT.objectId);
      expect(users.excludedRoles).to.include(DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE);
      expect((args.grantControls as Loose).termsOfUses).to.deep.equal([AGREEMENT_ID]);
    });

    it("keeps the author's own exclusions next to the built-in ones", () => {
      const extra = "eeeeeeee-0000-4000-8000-000000000001";
      const users = usersOf(requireMfaForAllUsers({ users: { includeUsers: ["All"], excludeUsers: [extra], excludeRoles: ["Global Administrator"] } }));
      expect(users.excludedUsers).to.have.members([extra, SYNC_ACCOUNT.objectId, BREAK_GLASS_USER.objectId]);
      expect(users.excludedRoles).to.include("62e90394-69f5-4237-9190-012177145e10");
    });

    it("excludes Entra Connect's sync service principal from workload-identity policies", () => {
      const def: PolicyDefinition = {
        name: "CA100-WorkloadIdentities-AllApps-Block",
        users: { includeUsers: ["None"] },
        applications: { include: ["All"] },
        servicePrincipals: { include: ["ServicePrincipalsInMyTenant"] },
        locations: { include: ["All"], exclude: ["AllTrusted"] },
        grant: { controls: ["block"] },
      };
      const conditions = buildPolicyPayload(def, testTenant()).args.conditions as Loose;
      expect(conditions.clientApplications.excludedServicePrincipals).to.deep.equal([SYNC_SERVICE_PRINCIPAL.objectId]);
    });

    it("a cloud-only tenant still excludes the sync roles and its break-glass accounts", () => {
      const users = (buildPolicyPayload(requireMfaForAllUsers(), testTenant({ directorySync: undefined })).args.conditions as Loose).users;
      expect(users.excludedRoles).to.have.members([DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE, ON_PREMISES_DIRECTORY_SYNC_ACCOUNT_ROLE]);
      expect(users.excludedUsers).to.deep.equal([BREAK_GLASS_USER.objectId]);
    });
  });

  describe("exclusion opt-out", () => {
    const reason = "This policy restricts the sync account to the datacentre's IP range.";
    const optedOut = requireMfaForAllUsers({ exclusionOptOut: { directorySync: { reason } } });

    it("removes only the opted-out kind and keeps the break-glass exclusions", () => {
      const users = usersOf(optedOut);
      expect(users.excludedRoles).to.equal(undefined);
      expect(users.excludedUsers).to.deep.equal([BREAK_GLASS_USER.objectId]);
      expect(users.excludedGroups).to.deep.equal([BREAK_GLASS_GROUP.objectId]);
    });

    it("carries the reason into the review every rendering shows", () => {
      const { review } = buildPolicyPayload(optedOut, testTenant());
      expect(review.optOuts).to.deep.equal([{ kind: "directorySync", reason }]);
      expect(review.builtInExclusions.roles).to.deep.equal([]);
    });
  });

  describe("state", () => {
    it("is report-only unless the definition says enabled", () => {
      expect(buildPolicyPayload(requireMfaForAllUsers(), testTenant()).args.state).to.equal("enabledForReportingButNotEnforced");
      expect(buildPolicyPayload(requireMfaForAllUsers({ state: "enabled" }), testTenant()).args.state).to.equal("enabled");
      expect(buildPolicyPayload(requireMfaForAllUsers({ state: "disabled" }), testTenant()).args.state).to.equal("disabled");
    });
  });

  describe("names and stability", () => {
    it("resolves well-known application and role names to the IDs Graph expects", () => {
      const def: PolicyDefinition = {
        name: "CA200-Admins-Exchange-RequireMFA",
        users: { includeRoles: ["Exchange Administrator"] },
        applications: { include: ["Exchange Online", "SharePoint Online", "Microsoft Teams"] },
        grant: { controls: ["mfa"] },
      };
      const c = buildPolicyPayload(def, testTenant()).args.conditions as Loose;
      expect(c.applications.includedApplications).to.have.members([
        "00000002-0000-0ff1-ce00-000000000000",
        "00000003-0000-0ff1-ce00-000000000000",
        "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
      ]);
      expect(c.users.includedRoles).to.deep.equal(["29232cdf-9323-42fd-ade2-1d097af3e4de"]);
    });

    it("gives the same payload whatever order lists are written in, and drops duplicates", () => {
      const a = requireMfaForAdmins();
      const b = { ...a, users: { includeRoles: [...a.users.includeRoles!].reverse().concat(a.users.includeRoles![0]) } };
      expect(buildPolicyPayload(b, testTenant()).args).to.deep.equal(buildPolicyPayload(a, testTenant()).args);
    });

    it("uses the logical name as display name unless one is given", () => {
      expect(buildPolicyPayload(requireMfaForAllUsers(), testTenant()).args.displayName).to.equal("CA004-Global-AllApps-RequireMFA");
      expect(buildPolicyPayload(requireMfaForAllUsers({ displayName: "MFA for everyone" }), testTenant()).args.displayName).to.equal("MFA for everyone");
    });

    it("omits what the author did not configure instead of sending empty lists", () => {
      const { args } = buildPolicyPayload(requireMfaForAllUsers(), testTenant());
      const c = args.conditions as Loose;
      expect(c).to.not.have.any.keys("platforms", "locations", "devices", "signInRiskLevels", "clientApplications");
      expect(c.applications).to.not.have.key("excludedApplications");
      expect(args).to.not.have.key("sessionControls");
    });
  });

  describe("controls", () => {
    it("maps sign-in frequency, persistent browser and authentication strength to azuread's fields", () => {
      const def = requireMfaForAdmins({
        grant: { authenticationStrengthId: "00000000-0000-0000-0000-000000000002" },
        session: { signInFrequency: { value: 4, unit: "hours" }, persistentBrowser: "never" },
      });
      const { args } = buildPolicyPayload(def, testTenant());
      expect(args.grantControls).to.deep.equal({
        operator: "OR",
        authenticationStrengthPolicyId: "/policies/authenticationStrengthPolicies/00000000-0000-0000-0000-000000000002",
      });
      expect(args.sessionControls).to.deep.equal({
        persistentBrowserMode: "never",
        signInFrequency: 4,
        signInFrequencyPeriod: "hours",
        signInFrequencyInterval: "timeBased",
        signInFrequencyAuthenticationType: "primaryAndSecondaryAuthentication",
      });
    });

    it("routes unmanaged browser sessions through Defender for Cloud Apps with the chosen mode", () => {
      const { args } = buildPolicyPayload(routeUnmanagedBrowserSessionsToDefender("monitorOnly"), testTenant());
      const c = args.conditions as Loose;
      expect(c.clientAppTypes).to.deep.equal(["browser"]);
      expect(c.devices.filter.mode).to.equal("include");
      expect(c.devices.filter.rule).to.contain("device.isCompliant -ne True");
      expect(args.sessionControls).to.deep.equal({ cloudAppSecurityPolicy: "monitorOnly" });
    });
  });
});

describe("catalog overrides", () => {
  it("replace a field whole, so narrowing users to a pilot group drops the catalog's All users", () => {
    const pilot = "ffffffff-0000-4000-8000-000000000001";
    const def = requireMfaForAllUsers({ users: { includeGroups: [pilot] } });
    const users = (buildPolicyPayload(def, testTenant()).args.conditions as Loose).users;
    expect(users.includedUsers).to.equal(undefined);
    expect(users.includedGroups).to.deep.equal([pilot]);
  });
});

describe("review stability", () => {
  it("does not change when the tenant settings list the same accounts in another order", () => {
    const second = { objectId: "bbbbbbbb-0000-4000-8000-000000000002", displayName: "breakglass02" };
    const a = testTenant({ breakGlass: { users: [BREAK_GLASS_USER, second], groups: [BREAK_GLASS_GROUP] } });
    const b = testTenant({ breakGlass: { users: [second, BREAK_GLASS_USER], groups: [BREAK_GLASS_GROUP] } });
    const ra = buildPolicyPayload(requireMfaForAllUsers(), a);
    const rb = buildPolicyPayload(requireMfaForAllUsers(), b);
    expect(JSON.stringify(rb.review)).to.equal(JSON.stringify(ra.review));
    expect(JSON.stringify(rb.args)).to.equal(JSON.stringify(ra.args));
  });
});
