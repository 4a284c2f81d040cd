import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import {
  blockLegacyAuthentication,
  ConditionalAccessPolicy,
  ConditionalAccessPolicySet,
  requireMfaForAdmins,
  requireMfaForAllUsers,
} from "../../components/conditional-access";
import { MockedResource, startMocks, valueOf } from "../support/pulumi-mocks";
import {
  BREAK_GLASS_GROUP,
  BREAK_GLASS_USER,
  DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE,
  ON_PREMISES_DIRECTORY_SYNC_ACCOUNT_ROLE,
  SYNC_ACCOUNT,
  testTenant,
} from "../support/tenant";

const CA_TYPE = TOKENS.conditionalAccessPolicy;
const LOCATION_TYPE = "azuread:index/namedLocation:NamedLocation";

describe("ConditionalAccessPolicy component (mocks)", () => {
  let resources: MockedResource[];
  let settle: () => Promise<void>;

  beforeEach(async () => {
    ({ resources, settle } = await startMocks());
  });

  it("registers exactly one azuread policy with the built-in exclusions and report-only state", async () => {
    const policy = new ConditionalAccessPolicy("mfa", { tenant: testTenant(), definition: requireMfaForAllUsers() });
    await settle();
    const declared = resources.filter((r) => r.type === CA_TYPE);
    expect(declared).to.have.length(1);
    expect(declared[0].name).to.equal("CA004-Global-AllApps-RequireMFA");
    expect(declared[0].inputs).to.deep.equal({
      displayName: "CA004-Global-AllApps-RequireMFA",
      state: "enabledForReportingButNotEnforced",
      conditions: {
        users: {
          includedUsers: ["All"],
          excludedUsers: [SYNC_ACCOUNT.objectId, BREAK_GLASS_USER.objectId].sort(),
          excludedGroups: [BREAK_GLASS_GROUP.objectId],
          excludedRoles: [ON_PREMISES_DIRECTORY_SYNC_ACCOUNT_ROLE, DIRECTORY_SYNCHRONIZATION_ACCOUNTS_ROLE].sort(),
        },
        applications: { includedApplications: ["All"] },
        clientAppTypes: ["all"],
      },
      grantControls: { operator: "OR", builtInControls: ["mfa"] },
    });
    expect(await valueOf(policy.policyId)).to.equal("CA004-Global-AllApps-RequireMFA-id");
  });

  it("parents the azuread policy to the component and carries the review as the component's input", async () => {
    new ConditionalAccessPolicy("mfa", { tenant: testTenant(), definition: requireMfaForAllUsers() });
    await settle();
    const component = resources.find((r) => r.type === TOKENS.conditionalAccessComponent)!;
    const child = resources.find((r) => r.type === CA_TYPE)!;
    expect(child.urn).to.contain(`${TOKENS.conditionalAccessComponent}$${TOKENS.conditionalAccessPolicy}::`);
    const review = component.inputs.review as { builtInExclusions: { users: { displayName: string }[] } };
    expect(review.builtInExclusions.users.map((u) => u.displayName)).to.include(SYNC_ACCOUNT.displayName);
  });

  it("throws before declaring anything when an opt-out has no reason", async () => {
    const create = (): unknown =>
      new ConditionalAccessPolicy("bad", {
        tenant: testTenant(),
        definition: requireMfaForAllUsers({ exclusionOptOut: { directorySync: { reason: "" } } }),
      });
    expect(create).to.throw("exclusionOptOut.directorySync.reason: an exclusion opt-out needs a written reason");
    await settle();
    expect(resources).to.have.length(0);
  });
});

describe("ConditionalAccessPolicySet component (mocks)", () => {
  let resources: MockedResource[];
  let settle: () => Promise<void>;

  beforeEach(async () => {
    ({ resources, settle } = await startMocks());
  });

  it("writes named locations and policies one after another, each depending on the previous (Graph: 1 write/s, no Retry-After)", async () => {
    new ConditionalAccessPolicySet("ca", {
      tenant: testTenant(),
      policies: [requireMfaForAllUsers(), blockLegacyAuthentication(), requireMfaForAdmins()],
      namedLocations: [{ name: "offices", ipRanges: ["203.0.113.0/24"], trusted: true }],
    });
    await settle();
    // The resources that write to Graph must form the chain, not just their components.
    const chain = resources.filter((r) => r.type === LOCATION_TYPE || r.type === CA_TYPE);
    expect(chain.map((r) => r.name)).to.deep.equal([
      "offices",
      "CA002-Global-AllApps-BlockLegacyAuthentication",
      "CA003-Admins-AllApps-RequireMFA",
      "CA004-Global-AllApps-RequireMFA",
    ]);
    chain.slice(1).forEach((r, i) => expect(r.dependencies, r.name).to.include(chain[i].urn));
    expect(chain[0].dependencies).to.deep.equal([]);
  });

  it("resolves a policy's named-location reference to that location's ID", async () => {
    new ConditionalAccessPolicySet("ca", {
      tenant: testTenant(),
      policies: [requireMfaForAllUsers({ locations: { include: ["All"], exclude: ["offices"] } })],
      namedLocations: [{ name: "offices", displayName: "Head office", ipRanges: ["203.0.113.0/24", "198.51.100.0/28"], trusted: true }],
    });
    await settle();
    const policy = resources.find((r) => r.type === CA_TYPE)!;
    expect((policy.inputs.conditions as { locations: unknown }).locations).to.deep.equal({ includedLocations: ["All"], excludedLocations: ["offices-id"] });
    const location = resources.find((r) => r.type === LOCATION_TYPE)!;
    expect(location.inputs).to.deep.equal({ displayName: "Head office", ip: { ipRanges: ["198.51.100.0/28", "203.0.113.0/24"], trusted: true } });
  });

  it("validates the whole set before declaring anything", async () => {
    expect(() => new ConditionalAccessPolicySet("ca", { tenant: testTenant(), policies: [requireMfaForAllUsers(), requireMfaForAllUsers()] })).to.throw(
      "policy CA004-Global-AllApps-RequireMFA › name: is declared more than once",
    );
    await settle();
    expect(resources).to.have.length(0);
  });

  it("declares the same payloads whatever order the stack lists its policies in", async () => {
    const tenant = testTenant();
    new ConditionalAccessPolicySet("a", { tenant, policies: [requireMfaForAllUsers(), blockLegacyAuthentication()] });
    await settle();
    const first = resources.filter((r) => r.type === CA_TYPE).map((r) => r.inputs);
    ({ resources, settle } = await startMocks());
    new ConditionalAccessPolicySet("a", { tenant, policies: [blockLegacyAuthentication(), requireMfaForAllUsers()] });
    await settle();
    expect(resources.filter((r) => r.type === CA_TYPE).map((r) => r.inputs)).to.deep.equal(first);
  });
});

describe("reference order (mocks)", () => {
  it("sorts and de-duplicates named-location references, whatever order the author wrote them in", async () => {
    const declare = async (exclude: string[]): Promise<unknown> => {
      const { resources, settle } = await startMocks();
      new ConditionalAccessPolicySet("ca", {
        tenant: testTenant(),
        policies: [requireMfaForAllUsers({ locations: { include: ["All"], exclude } })],
        namedLocations: [
          { name: "office-b", ipRanges: ["198.51.100.0/28"], trusted: true },
          { name: "office-a", ipRanges: ["203.0.113.0/24"], trusted: true },
        ],
      });
      await settle();
      return (resources.find((r) => r.type === CA_TYPE)!.inputs.conditions as { locations: unknown }).locations;
    };
    const forwards = await declare(["office-a", "office-b"]);
    expect(forwards).to.deep.equal({ includedLocations: ["All"], excludedLocations: ["office-a-id", "office-b-id"] });
    expect(await declare(["office-b", "office-a", "office-b"])).to.deep.equal(forwards);
  });
});
