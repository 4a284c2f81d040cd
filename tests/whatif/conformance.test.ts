import { expect } from "chai";
import { Evaluator, verdict } from "../../lib/whatif/evaluate";
import type { CaPolicy, NamedLocationModel, SignIn } from "../../lib/whatif/model";
import { ALICE, BLOCK, EXCHANGE, GLOBAL_ADMIN_ROLE, GROUP_A, INTUNE_ENROLLMENT, MFA, policy, SHAREPOINT, signIn, SOME_APP, TEAMS, user } from "./helpers";

/**
 * Conformance suite (issue 14): sign-in scenarios whose expected outcome is written from Microsoft's documentation,
 * one row each, the page beside it; never from running the evaluator. `outcome` is the enforced verdict: `block`,
 * `requirements` (the policy applies and asks for controls), `allow` (no policy applies), or `may` (a policy may
 * apply but cannot be decided offline).
 */
const DOCS = "https://learn.microsoft.com/entra/identity/conditional-access/";
const USERS = `${DOCS}concept-conditional-access-users-groups`;
const APPS = `${DOCS}concept-conditional-access-cloud-apps`;
const CONDITIONS = `${DOCS}concept-conditional-access-conditions`;
const FILTERS = `${DOCS}concept-condition-filters-for-devices`;
const LOCATIONS = `${DOCS}concept-assignment-network`;
const GRANT = `${DOCS}concept-conditional-access-grant`;
const REPORT_ONLY = `${DOCS}concept-conditional-access-report-only`;
const LEGACY = `${DOCS}policy-block-legacy-authentication`;
const FLOWS = `${DOCS}concept-authentication-flows`;
const WORKLOAD = `${DOCS}workload-identity`;
const INSIDER = `${DOCS}how-to-policy-insider-risk`;
const CONTEXT = `${DOCS}concept-conditional-access-cloud-apps#authentication-context`;

type Outcome = "block" | "requirements" | "allow" | "may";
interface Scenario {
  readonly doc: string;
  readonly name: string;
  readonly policies: readonly CaPolicy[];
  readonly signIn: SignIn;
  readonly outcome: Outcome;
  readonly locations?: readonly NamedLocationModel[];
}

const GROUP_B = "bbbbbbbb-0000-0000-0000-0000000000b1";
const BOB = "bbbbbbbb-0000-0000-0000-000000000002";
const SP = "5e0a0000-0000-4000-8000-0000000000aa";
const AZURE_PORTAL = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";
const FORMS = "c9a559d2-7aab-4f13-a6ed-e7e9c52aec87";
const OFFICE_COM = "4b233688-031c-404b-9a80-a4f3f2351f90";
const SECURITY_ADMIN = "194ae4cb-b126-40b2-bd5b-6091b380977d";
const office: NamedLocationModel = {
  ids: ["office"],
  displayName: "Office",
  trusted: true,
  ipRanges: ["203.0.113.0/24", "2001:db8::/48"],
  countries: [],
  includeUnknownCountries: false,
};
const blocked: NamedLocationModel = {
  ids: ["blocked"],
  displayName: "Blocked countries",
  trusted: false,
  ipRanges: [],
  countries: ["KP", "IR"],
  includeUnknownCountries: true,
};
const untrusted: NamedLocationModel = {
  ids: ["partner"],
  displayName: "Partner",
  trusted: false,
  ipRanges: ["198.51.100.0/24"],
  countries: [],
  includeUnknownCountries: false,
};
const LOCS = [office, blocked, untrusted];

const p = policy;
const on = (overrides: Partial<SignIn>): SignIn => signIn(overrides);
const sp = { kind: "servicePrincipal" as const, id: SP };
const compliant = { isCompliant: true, trustType: "AzureAD", deviceOwnership: "Company" };

const scenarios: Scenario[] = [
  // Users and groups
  { doc: USERS, name: "All users includes a member", policies: [p("a", { grant: MFA })], signIn: on({}), outcome: "requirements" },
  {
    doc: USERS,
    name: "All users includes a guest",
    policies: [p("a", { grant: MFA })],
    signIn: on({ identity: user({ guestType: "b2bCollaborationGuest" }) }),
    outcome: "requirements",
  },
  { doc: USERS, name: "None includes nobody", policies: [p("a", { users: { includedUsers: ["None"] }, grant: BLOCK })], signIn: on({}), outcome: "allow" },
  { doc: USERS, name: "a named user is included", policies: [p("a", { users: { includedUsers: [ALICE] }, grant: BLOCK })], signIn: on({}), outcome: "block" },
  { doc: USERS, name: "another user is not included", policies: [p("a", { users: { includedUsers: [BOB] }, grant: BLOCK })], signIn: on({}), outcome: "allow" },
  {
    doc: USERS,
    name: "user IDs are case-insensitive",
    policies: [p("a", { users: { includedUsers: [ALICE.toUpperCase()] }, grant: BLOCK })],
    signIn: on({}),
    outcome: "block",
  },
  {
    doc: USERS,
    name: "a group member is included",
    policies: [p("a", { users: { includedGroups: [GROUP_A] }, grant: BLOCK })],
    signIn: on({ identity: user({ groups: [GROUP_A] }) }),
    outcome: "block",
  },
  {
    doc: USERS,
    name: "a non-member of the group is not",
    policies: [p("a", { users: { includedGroups: [GROUP_A] }, grant: BLOCK })],
    signIn: on({ identity: user({ groups: [GROUP_B] }) }),
    outcome: "allow",
  },
  {
    doc: USERS,
    name: "a role holder is included",
    policies: [p("a", { users: { includedRoles: [GLOBAL_ADMIN_ROLE] }, grant: MFA })],
    signIn: on({ identity: user({ roles: [GLOBAL_ADMIN_ROLE] }) }),
    outcome: "requirements",
  },
  {
    doc: USERS,
    name: "a holder of another role is not",
    policies: [p("a", { users: { includedRoles: [GLOBAL_ADMIN_ROLE] }, grant: MFA })],
    signIn: on({ identity: user({ roles: [SECURITY_ADMIN] }) }),
    outcome: "allow",
  },
  {
    doc: USERS,
    name: "user exclusion beats All",
    policies: [p("a", { users: { includedUsers: ["All"], excludedUsers: [ALICE] }, grant: BLOCK })],
    signIn: on({}),
    outcome: "allow",
  },
  {
    doc: USERS,
    name: "group exclusion beats user inclusion",
    policies: [p("a", { users: { includedUsers: [ALICE], excludedGroups: [GROUP_A] }, grant: BLOCK })],
    signIn: on({ identity: user({ groups: [GROUP_A] }) }),
    outcome: "allow",
  },
  {
    doc: USERS,
    name: "role exclusion beats group inclusion",
    policies: [p("a", { users: { includedGroups: [GROUP_A], excludedRoles: [GLOBAL_ADMIN_ROLE] }, grant: BLOCK })],
    signIn: on({ identity: user({ groups: [GROUP_A], roles: [GLOBAL_ADMIN_ROLE] }) }),
    outcome: "allow",
  },
  {
    doc: USERS,
    name: "excluding another group leaves the user in",
    policies: [p("a", { users: { includedUsers: ["All"], excludedGroups: [GROUP_B] }, grant: BLOCK })],
    signIn: on({ identity: user({ groups: [GROUP_A] }) }),
    outcome: "block",
  },
  {
    doc: USERS,
    name: "a guest type is included",
    policies: [
      p("a", {
        users: { includedGuestsOrExternalUsers: [{ guestOrExternalUserTypes: ["b2bCollaborationGuest"], externalTenants: [{ membershipKind: "all" }] }] },
        grant: MFA,
      }),
    ],
    signIn: on({ identity: user({ guestType: "b2bCollaborationGuest" }) }),
    outcome: "requirements",
  },
  {
    doc: USERS,
    name: "another guest type is not",
    policies: [
      p("a", {
        users: { includedGuestsOrExternalUsers: [{ guestOrExternalUserTypes: ["b2bCollaborationGuest"], externalTenants: [{ membershipKind: "all" }] }] },
        grant: MFA,
      }),
    ],
    signIn: on({ identity: user({ guestType: "internalGuest" }) }),
    outcome: "allow",
  },
  {
    doc: USERS,
    name: "a member is not a guest",
    policies: [
      p("a", {
        users: { includedGuestsOrExternalUsers: [{ guestOrExternalUserTypes: ["b2bCollaborationGuest"], externalTenants: [{ membershipKind: "all" }] }] },
        grant: MFA,
      }),
    ],
    signIn: on({}),
    outcome: "allow",
  },
  {
    doc: USERS,
    name: "guests excluded from All",
    policies: [
      p("a", {
        users: {
          includedUsers: ["All"],
          excludedGuestsOrExternalUsers: [{ guestOrExternalUserTypes: ["b2bCollaborationGuest"], externalTenants: [{ membershipKind: "all" }] }],
        },
        grant: BLOCK,
      }),
    ],
    signIn: on({ identity: user({ guestType: "b2bCollaborationGuest" }) }),
    outcome: "allow",
  },
  {
    doc: USERS,
    name: "a user policy never applies to a service principal",
    policies: [p("a", { grant: BLOCK })],
    signIn: on({ identity: sp }),
    outcome: "allow",
  },
  // Workload identities
  {
    doc: WORKLOAD,
    name: "all service principals in the tenant",
    policies: [
      p("a", {
        users: { includedUsers: ["None"] },
        conditions: { clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"] } },
        grant: BLOCK,
      }),
    ],
    signIn: on({ identity: sp }),
    outcome: "block",
  },
  {
    doc: WORKLOAD,
    name: "an excluded service principal",
    policies: [
      p("a", {
        users: { includedUsers: ["None"] },
        conditions: { clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"], excludedServicePrincipals: [SP] } },
        grant: BLOCK,
      }),
    ],
    signIn: on({ identity: sp }),
    outcome: "allow",
  },
  {
    doc: WORKLOAD,
    name: "a workload policy never applies to a user",
    policies: [
      p("a", {
        users: { includedUsers: ["None"] },
        conditions: { clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"] } },
        grant: BLOCK,
      }),
    ],
    signIn: on({}),
    outcome: "allow",
  },
  {
    doc: WORKLOAD,
    name: "service-principal risk matches",
    policies: [
      p("a", {
        users: { includedUsers: ["None"] },
        conditions: { clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"] }, servicePrincipalRiskLevels: ["high"] },
        grant: BLOCK,
      }),
    ],
    signIn: on({ identity: sp, servicePrincipalRisk: "high" }),
    outcome: "block",
  },
  {
    doc: WORKLOAD,
    name: "service-principal risk below the level",
    policies: [
      p("a", {
        users: { includedUsers: ["None"] },
        conditions: { clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"] }, servicePrincipalRiskLevels: ["high"] },
        grant: BLOCK,
      }),
    ],
    signIn: on({ identity: sp, servicePrincipalRisk: "medium" }),
    outcome: "allow",
  },
  // Target resources
  { doc: APPS, name: "All resources includes any app", policies: [p("a", { grant: BLOCK })], signIn: on({ target: { app: SOME_APP } }), outcome: "block" },
  {
    doc: APPS,
    name: "None includes no app",
    policies: [p("a", { applications: { includedApplications: ["None"] }, grant: BLOCK })],
    signIn: on({}),
    outcome: "allow",
  },
  {
    doc: APPS,
    name: "a named app",
    policies: [p("a", { applications: { includedApplications: [EXCHANGE] }, grant: BLOCK })],
    signIn: on({ target: { app: EXCHANGE } }),
    outcome: "block",
  },
  {
    doc: APPS,
    name: "another app",
    policies: [p("a", { applications: { includedApplications: [EXCHANGE] }, grant: BLOCK })],
    signIn: on({ target: { app: SHAREPOINT } }),
    outcome: "allow",
  },
  {
    doc: APPS,
    name: "an excluded app beats All",
    policies: [p("a", { applications: { includedApplications: ["All"], excludedApplications: [INTUNE_ENROLLMENT] }, grant: BLOCK })],
    signIn: on({ target: { app: INTUNE_ENROLLMENT } }),
    outcome: "allow",
  },
  {
    doc: APPS,
    name: "Office 365 includes Exchange Online",
    policies: [p("a", { applications: { includedApplications: ["Office365"] }, grant: MFA })],
    signIn: on({ target: { app: EXCHANGE } }),
    outcome: "requirements",
  },
  {
    doc: APPS,
    name: "Office 365 includes SharePoint Online",
    policies: [p("a", { applications: { includedApplications: ["Office365"] }, grant: MFA })],
    signIn: on({ target: { app: SHAREPOINT } }),
    outcome: "requirements",
  },
  {
    doc: APPS,
    name: "Office 365 includes Teams",
    policies: [p("a", { applications: { includedApplications: ["Office365"] }, grant: MFA })],
    signIn: on({ target: { app: TEAMS } }),
    outcome: "requirements",
  },
  {
    doc: APPS,
    name: "Office 365 includes Microsoft Forms",
    policies: [p("a", { applications: { includedApplications: ["Office365"] }, grant: MFA })],
    signIn: on({ target: { app: FORMS } }),
    outcome: "requirements",
  },
  {
    doc: APPS,
    name: "Office 365 includes Office.com",
    policies: [p("a", { applications: { includedApplications: ["Office365"] }, grant: MFA })],
    signIn: on({ target: { app: OFFICE_COM } }),
    outcome: "requirements",
  },
  {
    doc: APPS,
    name: "Office 365 does not include Intune Enrollment",
    policies: [p("a", { applications: { includedApplications: ["Office365"] }, grant: MFA })],
    signIn: on({ target: { app: INTUNE_ENROLLMENT } }),
    outcome: "allow",
  },
  {
    doc: APPS,
    name: "Office 365 excluded from All",
    policies: [p("a", { applications: { includedApplications: ["All"], excludedApplications: ["Office365"] }, grant: BLOCK })],
    signIn: on({ target: { app: EXCHANGE } }),
    outcome: "allow",
  },
  {
    doc: APPS,
    name: "admin portals include the Azure portal",
    policies: [p("a", { applications: { includedApplications: ["MicrosoftAdminPortals"] }, grant: MFA })],
    signIn: on({ target: { app: AZURE_PORTAL } }),
    outcome: "requirements",
  },
  {
    doc: APPS,
    name: "admin portals do not include Exchange Online",
    policies: [p("a", { applications: { includedApplications: ["MicrosoftAdminPortals"] }, grant: MFA })],
    signIn: on({ target: { app: EXCHANGE } }),
    outcome: "allow",
  },
  {
    doc: APPS,
    name: "the service management API covers the Azure portal",
    policies: [p("a", { applications: { includedApplications: ["797f4846-ba00-4fd7-ba43-dac1f8f63013"] }, grant: MFA })],
    signIn: on({ target: { app: AZURE_PORTAL } }),
    outcome: "requirements",
  },
  {
    doc: APPS,
    name: "a user action policy applies to that action",
    policies: [p("a", { applications: { includedUserActions: ["urn:user:registersecurityinfo"] }, grant: MFA })],
    signIn: on({ target: { userAction: "urn:user:registersecurityinfo" } }),
    outcome: "requirements",
  },
  {
    doc: APPS,
    name: "a user action policy does not apply to apps",
    policies: [p("a", { applications: { includedUserActions: ["urn:user:registersecurityinfo"] }, grant: BLOCK })],
    signIn: on({ target: { app: SOME_APP } }),
    outcome: "allow",
  },
  {
    doc: APPS,
    name: "an app policy does not apply to a user action",
    policies: [p("a", { grant: BLOCK })],
    signIn: on({ target: { userAction: "urn:user:registerdevice" } }),
    outcome: "allow",
  },
  {
    doc: APPS,
    name: "keywords are case-insensitive",
    policies: [p("a", { applications: { includedApplications: ["office365"] }, grant: BLOCK })],
    signIn: on({ target: { app: EXCHANGE } }),
    outcome: "block",
  },
  {
    doc: CONTEXT,
    name: "an authentication context the app asks for",
    policies: [{ ...p("a", { applications: {}, grant: MFA }), authenticationContexts: ["c1"] }],
    signIn: on({ authenticationContexts: ["c1"] }),
    outcome: "requirements",
  },
  {
    doc: CONTEXT,
    name: "no authentication context asked for",
    policies: [{ ...p("a", { applications: {}, grant: MFA }), authenticationContexts: ["c1"] }],
    signIn: on({}),
    outcome: "allow",
  },
  {
    doc: CONTEXT,
    name: "another authentication context",
    policies: [{ ...p("a", { applications: {}, grant: MFA }), authenticationContexts: ["c1"] }],
    signIn: on({ authenticationContexts: ["c2"] }),
    outcome: "allow",
  },
  // Client apps
  { doc: CONDITIONS, name: "not configured: every client", policies: [p("a", { grant: BLOCK })], signIn: on({ clientApp: "other" }), outcome: "block" },
  {
    doc: CONDITIONS,
    name: "browser policy, browser sign-in",
    policies: [p("a", { conditions: { clientAppTypes: ["browser"] }, grant: BLOCK })],
    signIn: on({ clientApp: "browser" }),
    outcome: "block",
  },
  {
    doc: CONDITIONS,
    name: "browser policy, desktop client",
    policies: [p("a", { conditions: { clientAppTypes: ["browser"] }, grant: BLOCK })],
    signIn: on({ clientApp: "mobileAppsAndDesktopClients" }),
    outcome: "allow",
  },
  {
    doc: LEGACY,
    name: "legacy block, Exchange ActiveSync",
    policies: [p("a", { conditions: { clientAppTypes: ["exchangeActiveSync", "other"] }, grant: BLOCK })],
    signIn: on({ clientApp: "exchangeActiveSync" }),
    outcome: "block",
  },
  {
    doc: LEGACY,
    name: "legacy block, other legacy client",
    policies: [p("a", { conditions: { clientAppTypes: ["exchangeActiveSync", "other"] }, grant: BLOCK })],
    signIn: on({ clientApp: "other" }),
    outcome: "block",
  },
  {
    doc: LEGACY,
    name: "legacy block, modern browser",
    policies: [p("a", { conditions: { clientAppTypes: ["exchangeActiveSync", "other"] }, grant: BLOCK })],
    signIn: on({ clientApp: "browser" }),
    outcome: "allow",
  },
  {
    doc: LEGACY,
    name: "MFA asked of Exchange ActiveSync is a block",
    policies: [p("a", { grant: MFA })],
    signIn: on({ clientApp: "exchangeActiveSync" }),
    outcome: "block",
  },
  {
    doc: LEGACY,
    name: "MFA asked of another legacy client is a block",
    policies: [p("a", { grant: MFA })],
    signIn: on({ clientApp: "other" }),
    outcome: "block",
  },
  {
    doc: LEGACY,
    name: "compliant device asked of Exchange ActiveSync stays a requirement",
    policies: [p("a", { grant: { operator: "OR", builtInControls: ["compliantDevice"] } })],
    signIn: on({ clientApp: "exchangeActiveSync" }),
    outcome: "requirements",
  },
  {
    doc: CONDITIONS,
    name: "client app types are case-insensitive",
    policies: [p("a", { conditions: { clientAppTypes: ["Browser"] }, grant: BLOCK })],
    signIn: on({ clientApp: "browser" }),
    outcome: "block",
  },
  // Device platforms
  {
    doc: CONDITIONS,
    name: "a named platform",
    policies: [p("a", { conditions: { platforms: { includedPlatforms: ["iOS"] } }, grant: BLOCK })],
    signIn: on({ platform: "iOS" }),
    outcome: "block",
  },
  {
    doc: CONDITIONS,
    name: "another platform",
    policies: [p("a", { conditions: { platforms: { includedPlatforms: ["iOS"] } }, grant: BLOCK })],
    signIn: on({ platform: "android" }),
    outcome: "allow",
  },
  {
    doc: CONDITIONS,
    name: "any platform includes an unknown one",
    policies: [p("a", { conditions: { platforms: { includedPlatforms: ["all"] } }, grant: BLOCK })],
    signIn: on({ platform: "unknown" }),
    outcome: "block",
  },
  {
    doc: CONDITIONS,
    name: "a named list does not include an unknown platform",
    policies: [p("a", { conditions: { platforms: { includedPlatforms: ["android", "iOS"] } }, grant: BLOCK })],
    signIn: on({ platform: "unknown" }),
    outcome: "allow",
  },
  {
    doc: CONDITIONS,
    name: "an excluded platform beats any",
    policies: [p("a", { conditions: { platforms: { includedPlatforms: ["all"], excludedPlatforms: ["windows"] } }, grant: BLOCK })],
    signIn: on({ platform: "windows" }),
    outcome: "allow",
  },
  {
    doc: CONDITIONS,
    name: "platforms are case-insensitive",
    policies: [p("a", { conditions: { platforms: { includedPlatforms: ["MACOS"] } }, grant: BLOCK })],
    signIn: on({ platform: "macOS" }),
    outcome: "block",
  },
  // Locations
  {
    doc: LOCATIONS,
    name: "any location",
    policies: [p("a", { conditions: { locations: { includedLocations: ["All"] } }, grant: BLOCK })],
    signIn: on({ ip: "192.0.2.1" }),
    outcome: "block",
    locations: LOCS,
  },
  {
    doc: LOCATIONS,
    name: "trusted locations excluded: inside the office",
    policies: [p("a", { conditions: { locations: { includedLocations: ["All"], excludedLocations: ["AllTrusted"] } }, grant: MFA })],
    signIn: on({ ip: "203.0.113.9" }),
    outcome: "allow",
    locations: LOCS,
  },
  {
    doc: LOCATIONS,
    name: "trusted locations excluded: IPv6 inside the office",
    policies: [p("a", { conditions: { locations: { includedLocations: ["All"], excludedLocations: ["AllTrusted"] } }, grant: MFA })],
    signIn: on({ ip: "2001:db8::1" }),
    outcome: "allow",
    locations: LOCS,
  },
  {
    doc: LOCATIONS,
    name: "trusted locations excluded: elsewhere",
    policies: [p("a", { conditions: { locations: { includedLocations: ["All"], excludedLocations: ["AllTrusted"] } }, grant: MFA })],
    signIn: on({ ip: "192.0.2.1" }),
    outcome: "requirements",
    locations: LOCS,
  },
  {
    doc: LOCATIONS,
    name: "an untrusted named location is not trusted",
    policies: [p("a", { conditions: { locations: { includedLocations: ["All"], excludedLocations: ["AllTrusted"] } }, grant: MFA })],
    signIn: on({ ip: "198.51.100.4" }),
    outcome: "requirements",
    locations: LOCS,
  },
  {
    doc: LOCATIONS,
    name: "a country location matches the country",
    policies: [p("a", { conditions: { locations: { includedLocations: ["blocked"] } }, grant: BLOCK })],
    signIn: on({ country: "KP" }),
    outcome: "block",
    locations: LOCS,
  },
  {
    doc: LOCATIONS,
    name: "a country location, another country",
    policies: [p("a", { conditions: { locations: { includedLocations: ["blocked"] } }, grant: BLOCK })],
    signIn: on({ country: "NL" }),
    outcome: "allow",
    locations: LOCS,
  },
  {
    doc: LOCATIONS,
    name: "unknown countries included: no country known",
    policies: [p("a", { conditions: { locations: { includedLocations: ["blocked"] } }, grant: BLOCK })],
    signIn: on({ ip: "192.0.2.1" }),
    outcome: "block",
    locations: LOCS,
  },
  {
    doc: LOCATIONS,
    name: "a named IP location by ID",
    policies: [p("a", { conditions: { locations: { includedLocations: ["partner"] } }, grant: BLOCK })],
    signIn: on({ ip: "198.51.100.200" }),
    outcome: "block",
    locations: LOCS,
  },
  {
    doc: LOCATIONS,
    name: "outside a named IP location",
    policies: [p("a", { conditions: { locations: { includedLocations: ["partner"] } }, grant: BLOCK })],
    signIn: on({ ip: "198.51.101.1" }),
    outcome: "allow",
    locations: LOCS,
  },
  // Device filters
  {
    doc: FILTERS,
    name: "include filter, matching device",
    policies: [p("a", { conditions: { devices: { filter: { mode: "include", rule: 'device.trustType -eq "AzureAD"' } } }, grant: BLOCK })],
    signIn: on({ device: compliant }),
    outcome: "block",
  },
  {
    doc: FILTERS,
    name: "include filter, unregistered device (positive operator false)",
    policies: [p("a", { conditions: { devices: { filter: { mode: "include", rule: 'device.trustType -eq "AzureAD"' } } }, grant: BLOCK })],
    signIn: on({}),
    outcome: "allow",
  },
  {
    doc: FILTERS,
    name: "exclude filter, matching device",
    policies: [p("a", { conditions: { devices: { filter: { mode: "exclude", rule: "device.isCompliant -eq True" } } }, grant: BLOCK })],
    signIn: on({ device: compliant }),
    outcome: "allow",
  },
  {
    doc: FILTERS,
    name: "exclude filter, unregistered device",
    policies: [p("a", { conditions: { devices: { filter: { mode: "exclude", rule: "device.isCompliant -eq True" } } }, grant: BLOCK })],
    signIn: on({}),
    outcome: "block",
  },
  {
    doc: FILTERS,
    name: "negative operator, unregistered device (true)",
    policies: [p("a", { conditions: { devices: { filter: { mode: "include", rule: 'device.model -ne "Surface"' } } }, grant: BLOCK })],
    signIn: on({}),
    outcome: "block",
  },
  {
    doc: FILTERS,
    name: "physicalIds -contains an element",
    policies: [p("a", { conditions: { devices: { filter: { mode: "include", rule: 'device.physicalIds -contains "[OrderId]:42"' } } }, grant: BLOCK })],
    signIn: on({ device: { physicalIds: ["[ZTDId]:abc", "[OrderId]:42"] } }),
    outcome: "block",
  },
  {
    doc: FILTERS,
    name: "physicalIds -contains part of an element is no match",
    policies: [p("a", { conditions: { devices: { filter: { mode: "include", rule: 'device.physicalIds -contains "[OrderId]"' } } }, grant: BLOCK })],
    signIn: on({ device: { physicalIds: ["[OrderId]:42"] } }),
    outcome: "allow",
  },
  {
    doc: FILTERS,
    name: "string -contains a substring",
    policies: [p("a", { conditions: { devices: { filter: { mode: "include", rule: 'device.model -contains "Surface"' } } }, grant: BLOCK })],
    signIn: on({ device: { model: "Surface Pro 9" } }),
    outcome: "block",
  },
  {
    doc: FILTERS,
    name: "-in a list",
    policies: [p("a", { conditions: { devices: { filter: { mode: "include", rule: 'device.operatingSystem -in ["Windows", "MacMDM"]' } } }, grant: BLOCK })],
    signIn: on({ device: { operatingSystem: "windows" } }),
    outcome: "block",
  },
  // Risk
  {
    doc: CONDITIONS,
    name: "sign-in risk at the level",
    policies: [p("a", { conditions: { signInRiskLevels: ["high", "medium"] }, grant: MFA })],
    signIn: on({ signInRisk: "medium" }),
    outcome: "requirements",
  },
  {
    doc: CONDITIONS,
    name: "sign-in risk below the level",
    policies: [p("a", { conditions: { signInRiskLevels: ["high"] }, grant: MFA })],
    signIn: on({ signInRisk: "low" }),
    outcome: "allow",
  },
  {
    doc: CONDITIONS,
    name: "no sign-in risk",
    policies: [p("a", { conditions: { signInRiskLevels: ["high"] }, grant: MFA })],
    signIn: on({}),
    outcome: "allow",
  },
  {
    doc: CONDITIONS,
    name: "user risk at the level",
    policies: [p("a", { conditions: { userRiskLevels: ["high"] }, grant: { operator: "AND", builtInControls: ["mfa", "passwordChange"] } })],
    signIn: on({ userRisk: "high" }),
    outcome: "requirements",
  },
  {
    doc: CONDITIONS,
    name: "user risk below the level",
    policies: [p("a", { conditions: { userRiskLevels: ["high"] }, grant: MFA })],
    signIn: on({ userRisk: "medium" }),
    outcome: "allow",
  },
  {
    doc: INSIDER,
    name: "insider risk at the level",
    policies: [p("a", { conditions: { insiderRiskLevels: "elevated" }, grant: BLOCK })],
    signIn: on({ insiderRisk: "elevated" }),
    outcome: "block",
  },
  {
    doc: INSIDER,
    name: "insider risk below the level",
    policies: [p("a", { conditions: { insiderRiskLevels: "elevated" }, grant: BLOCK })],
    signIn: on({ insiderRisk: "minor" }),
    outcome: "allow",
  },
  {
    doc: INSIDER,
    name: "no insider risk",
    policies: [p("a", { conditions: { insiderRiskLevels: "minor,moderate,elevated" }, grant: BLOCK })],
    signIn: on({}),
    outcome: "allow",
  },
  // Authentication flows
  {
    doc: FLOWS,
    name: "device code flow policy, device code sign-in",
    policies: [p("a", { conditions: { authenticationFlowTransferMethods: ["deviceCodeFlow"] }, grant: BLOCK })],
    signIn: on({ authenticationFlow: "deviceCodeFlow" }),
    outcome: "block",
  },
  {
    doc: FLOWS,
    name: "device code flow policy, ordinary sign-in",
    policies: [p("a", { conditions: { authenticationFlowTransferMethods: ["deviceCodeFlow"] }, grant: BLOCK })],
    signIn: on({}),
    outcome: "allow",
  },
  {
    doc: FLOWS,
    name: "authentication transfer policy, transfer sign-in",
    policies: [p("a", { conditions: { authenticationFlowTransferMethods: ["authenticationTransfer"] }, grant: BLOCK })],
    signIn: on({ authenticationFlow: "authenticationTransfer" }),
    outcome: "block",
  },
  {
    doc: FLOWS,
    name: "authentication transfer policy, device code sign-in",
    policies: [p("a", { conditions: { authenticationFlowTransferMethods: ["authenticationTransfer"] }, grant: BLOCK })],
    signIn: on({ authenticationFlow: "deviceCodeFlow" }),
    outcome: "allow",
  },
  // Grant and state
  { doc: GRANT, name: "block wins over a requirement", policies: [p("a", { grant: MFA }), p("b", { grant: BLOCK })], signIn: on({}), outcome: "block" },
  {
    doc: GRANT,
    name: "two requirements both apply",
    policies: [p("a", { grant: MFA }), p("b", { grant: { operator: "OR", builtInControls: ["compliantDevice"] } })],
    signIn: on({}),
    outcome: "requirements",
  },
  {
    doc: GRANT,
    name: "a policy with only session controls applies without a grant",
    policies: [p("a", { session: { signInFrequency: 4, signInFrequencyPeriod: "hours" } })],
    signIn: on({}),
    outcome: "allow",
  },
  {
    doc: REPORT_ONLY,
    name: "report-only never blocks",
    policies: [p("a", { state: "enabledForReportingButNotEnforced", grant: BLOCK })],
    signIn: on({}),
    outcome: "allow",
  },
  { doc: REPORT_ONLY, name: "disabled never blocks", policies: [p("a", { state: "disabled", grant: BLOCK })], signIn: on({}), outcome: "allow" },
  {
    doc: REPORT_ONLY,
    name: "an enabled policy beside a report-only one",
    policies: [p("a", { state: "enabledForReportingButNotEnforced", grant: BLOCK }), p("b", { grant: MFA })],
    signIn: on({}),
    outcome: "requirements",
  },
  // Not evaluable offline
  {
    doc: APPS,
    name: "an app filter cannot be decided offline",
    policies: [{ ...p("a", { grant: BLOCK }), notEvaluable: ["conditions.applications.applicationFilter is not evaluated offline"] }],
    signIn: on({}),
    outcome: "may",
  },
  {
    doc: USERS,
    name: "an excluded group known only after apply",
    policies: [p("a", { users: { includedUsers: ["All"], excludedGroups: [null as unknown as string] }, grant: BLOCK })],
    signIn: on({}),
    outcome: "may",
  },
  {
    doc: REPORT_ONLY,
    name: "a state known only after apply",
    policies: [p("a", { state: "(known after apply)", grant: BLOCK })],
    signIn: on({}),
    outcome: "may",
  },
];

function outcomeOf(s: Scenario): Outcome {
  const o = new Evaluator(s.policies, s.locations ?? []).evaluate(s.signIn).enforced;
  const v = verdict(o);
  return v === "allow" && o.undetermined.length > 0 ? "may" : v;
}

describe(`whatif conformance: ${scenarios.length} documented sign-in scenarios`, () => {
  it("covers at least 100 scenarios", () => expect(scenarios.length).to.be.at.least(100));
  for (const s of scenarios) {
    it(`${s.name} → ${s.outcome} (${s.doc.replace(DOCS, "")})`, () => expect(outcomeOf(s)).to.equal(s.outcome));
  }
});
