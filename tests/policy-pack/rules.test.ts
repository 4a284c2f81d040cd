import type { PolicyResourceOptions, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import * as path from "node:path";
import { recordPlan } from "../../lib/plan/record";
import { loadLockoutContext } from "../../lib/whatif/settings";
import {
  allUsersPoliciesNameExclusions,
  AZUREAD_USER_TYPE,
  CA_POLICY_TYPE,
  enabledPoliciesExcludeSyncAndBreakGlass,
  ExclusionConfig,
  otherPoliciesExcludeSyncAndBreakGlass,
  MANAGED_TOKENS,
  POLICIES,
  POLICIES_BY_AREA,
  roomAccountPasswordsAreSecrets,
  termsOfUseProtectedFromDeletion,
} from "../../policy-pack/rules";

// Drives the rules the way the policy server would, with fake validation arguments (as pulumi-policy-aws's tests
// do), so no PolicyPack (and no gRPC server) is ever created.
const DYNAMIC = "pulumi-nodejs:dynamic:Resource";
const SYNC_ROLE = "d29b2b05-8046-44ba-8758-1e26182fcf32";
const ON_PREM_SYNC_ROLE = "a92aed5d-d78a-4d16-b381-09adb37eb3b0";
const SYNC_USER = "aaaaaaaa-0000-4000-8000-000000000001";
const SYNC_SP = "aaaaaaaa-0000-4000-8000-000000000009";
const BREAK_GLASS = "bbbbbbbb-0000-4000-8000-000000000001";
const BREAK_GLASS_GROUP = "bbbbbbbb-0000-4000-8000-0000000000f0";
const CONFIG: ExclusionConfig = {
  directorySyncUserIds: [SYNC_USER],
  directorySyncServicePrincipalIds: [SYNC_SP],
  breakGlassUserIds: [BREAK_GLASS],
  breakGlassGroupIds: [BREAK_GLASS_GROUP],
};

interface Fake {
  type: string;
  name?: string;
  props: Record<string, unknown>;
  urn?: string;
  opts?: Partial<PolicyResourceOptions>;
  config?: object;
}

function violations(policy: ResourceValidationPolicy, r: Fake): string[] {
  const found: string[] = [];
  const name = r.name ?? "res";
  const args = {
    type: r.type,
    name,
    props: r.props,
    urn: r.urn ?? `urn:pulumi:test::proj::${r.type}::${name}`,
    opts: {
      protect: false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
      ...r.opts,
    },
    stackTags: new Map(),
    // Policies here dispatch on args.type, never on classes; these must not be reached.
    isType: () => {
      throw new Error("not used");
    },
    asType: () => {
      throw new Error("not used");
    },
    getConfig: () => r.config ?? {},
    notApplicable: () => {
      throw new Error("not applicable");
    },
  } as unknown as ResourceValidationArgs;
  const result = policy.validateResource;
  if (typeof result !== "function") throw new Error("expected one validateResource function");
  void result(args, (message) => found.push(message));
  return found;
}

function caPolicy(
  state: string,
  users: Record<string, unknown>,
  grant: Record<string, unknown> = { operator: "OR", builtInControls: ["mfa"] },
  extra: Record<string, unknown> = {},
): Fake {
  return {
    type: CA_POLICY_TYPE,
    name: "CA-test",
    props: {
      displayName: "CA test",
      state,
      conditions: { clientAppTypes: ["all"], applications: { includedApplications: ["All"] }, users, ...extra },
      grantControls: grant,
    },
    config: CONFIG,
  };
}

const PROTECTED = { includedUsers: ["All"], excludedRoles: [SYNC_ROLE, ON_PREM_SYNC_ROLE], excludedUsers: [SYNC_USER, BREAK_GLASS] };

describe("policy pack: enabled policies exclude directory sync and break-glass (mandatory)", () => {
  const rule = enabledPoliciesExcludeSyncAndBreakGlass;

  it("passes an enabled policy excluding the sync roles, the sync account and the break-glass account", () => {
    expect(violations(rule, caPolicy("enabled", PROTECTED))).to.deep.equal([]);
  });

  it("passes when the break-glass group is excluded instead of each break-glass account", () => {
    expect(
      violations(rule, caPolicy("enabled", { ...PROTECTED, excludedUsers: [SYNC_USER], excludedGroups: [BREAK_GLASS_GROUP.toUpperCase()] })),
    ).to.deep.equal([]);
  });

  it("fails an enabled policy missing the sync role, naming the policy, the role and the field", () => {
    const [message] = violations(rule, caPolicy("enabled", { ...PROTECTED, excludedRoles: [ON_PREM_SYNC_ROLE] }));
    expect(message).to.contain(
      'conditional-access policy "CA test" (CA-test) (state enabled) does not exclude directory-sync roles d29b2b05-8046-44ba-8758-1e26182fcf32 (excludedRoles)',
    );
  });

  it("fails an enabled policy that spares the sync account but not the break-glass account or group", () => {
    const [message] = violations(rule, caPolicy("enabled", { ...PROTECTED, excludedUsers: [SYNC_USER] }));
    expect(message).to.contain(`break-glass accounts ${BREAK_GLASS} (excludedUsers)`);
  });

  it("without any config still requires the directory-sync roles", () => {
    const messages = violations(rule, { ...caPolicy("enabled", { includedUsers: ["All"] }), config: {} });
    expect(messages[0]).to.contain(`directory-sync roles ${SYNC_ROLE}, ${ON_PREM_SYNC_ROLE}`);
  });

  it("workload-identity policies must exclude the Entra Connect service principal, and only that", () => {
    const workload = (excluded: string[]) =>
      caPolicy(
        "enabled",
        { includedUsers: ["None"] },
        { operator: "OR", builtInControls: ["block"] },
        { clientApplications: { includedServicePrincipals: ["ServicePrincipalsInMyTenant"], excludedServicePrincipals: excluded } },
      );
    expect(violations(rule, workload([SYNC_SP]))).to.deep.equal([]);
    expect(violations(rule, workload([]))[0]).to.contain(`directory-sync service principals ${SYNC_SP} (excludedServicePrincipals)`);
  });

  it("leaves report-only policies and other resource types to other rules", () => {
    expect(violations(rule, caPolicy("enabledForReportingButNotEnforced", { includedUsers: ["All"] }))).to.deep.equal([]);
    expect(violations(rule, { type: "azuread:index/group:Group", props: {}, config: CONFIG })).to.deep.equal([]);
  });
});

describe("policy pack: report-only and disabled policies exclude directory sync and break-glass (advisory)", () => {
  const rule = otherPoliciesExcludeSyncAndBreakGlass;
  it("warns about a report-only policy without the exclusions, and passes one with them", () => {
    expect(violations(rule, caPolicy("enabledForReportingButNotEnforced", { includedUsers: ["All"] }))[0]).to.contain(
      "enabling one as written would lock the tenant out",
    );
    expect(violations(rule, caPolicy("disabled", PROTECTED))).to.deep.equal([]);
  });
});

describe("policy pack: enabled All-users block / MFA / terms-of-use policies name their exclusions (mandatory)", () => {
  const rule = allUsersPoliciesNameExclusions;
  it("fails an enabled All-users terms-of-use policy that excludes nobody but a role", () => {
    const [message] = violations(
      rule,
      caPolicy("enabled", { includedUsers: ["All"], excludedRoles: [SYNC_ROLE] }, { operator: "OR", termsOfUses: ["11111111-0000-4000-8000-000000000001"] }),
    );
    expect(message).to.contain('"CA test" (CA-test) is enabled and applies terms of use to All users, but excludes no user or group');
  });

  it("fails a block, passes once a group is excluded, and ignores report-only or session-only policies", () => {
    expect(violations(rule, caPolicy("enabled", { includedUsers: ["All"] }, { operator: "OR", builtInControls: ["block"] }))[0]).to.contain(
      "applies block to All users",
    );
    expect(violations(rule, caPolicy("enabled", { includedUsers: ["All"], excludedGroups: [BREAK_GLASS_GROUP] }))).to.deep.equal([]);
    expect(violations(rule, caPolicy("enabledForReportingButNotEnforced", { includedUsers: ["All"] }))).to.deep.equal([]);
    expect(violations(rule, caPolicy("enabled", { includedUsers: ["All"] }, { operator: "OR", builtInControls: ["compliantDevice"] }))).to.deep.equal([]);
  });
});

describe("policy pack: terms-of-use agreements are protected from deletion (mandatory)", () => {
  const rule = termsOfUseProtectedFromDeletion;
  const agreement = (props: Record<string, unknown>, opts: Partial<PolicyResourceOptions> = {}): Fake => ({
    type: TOKENS.agreement,
    name: "contoso-terms",
    urn: `urn:pulumi:contoso::m365-baseline::m365-baseline:termsofuse:TermsOfUse$${TOKENS.agreement}::contoso-terms`,
    props,
    opts,
  });

  it("fails an agreement that allows deletion and is not protected", () => {
    expect(violations(rule, agreement({ allowDeletion: true }))[0]).to.contain(
      'terms-of-use agreement "contoso-terms" can be deleted (allowDeletion is true and protect is off)',
    );
  });

  it("passes an agreement that refuses deletion, or one that is protected", () => {
    expect(violations(rule, agreement({ allowDeletion: false }))).to.deep.equal([]);
    expect(violations(rule, agreement({ allowDeletion: true }, { protect: true }))).to.deep.equal([]);
  });

  it("recognises the agreement by its own type token too, as the components now register it", () => {
    expect(
      violations(rule, {
        ...agreement({ allowDeletion: true }),
        type: TOKENS.agreement,
        urn: `urn:pulumi:c::m::m365-baseline:termsofuse:TermsOfUse$${TOKENS.agreement}::t`,
      }),
    ).to.have.length(1);
  });

  it("spells the library's tokens exactly as lib/managed/tokens.ts does (the pack cannot import it)", () => {
    expect(MANAGED_TOKENS).to.deep.equal({ agreement: TOKENS.agreement, roomAccount: TOKENS.roomAccount });
  });

  it("ignores other dynamic resources", () => {
    expect(violations(rule, { type: DYNAMIC, props: { allowDeletion: true } })).to.deep.equal([]);
  });
});

describe("policy pack: room-account passwords are secrets (mandatory)", () => {
  const rule = roomAccountPasswordsAreSecrets;
  it("fails a user account whose password is not a declared secret output", () => {
    expect(violations(rule, { type: AZUREAD_USER_TYPE, name: "room-boardroom", props: { password: "hunter2" } })[0]).to.contain(
      'account "room-boardroom" (azuread:index/user:User) has a password that is not declared secret',
    );
  });

  it("never repeats the password in its message", () => {
    expect(violations(rule, { type: AZUREAD_USER_TYPE, props: { password: "S3cr3t-Value" } }).join()).not.to.contain("S3cr3t-Value");
  });

  it("passes a user whose password is a secret output (as @pulumi/azuread declares it), and a user without password", () => {
    expect(violations(rule, { type: AZUREAD_USER_TYPE, props: { password: "x" }, opts: { additionalSecretOutputs: ["password"] } })).to.deep.equal([]);
    expect(violations(rule, { type: AZUREAD_USER_TYPE, props: { displayName: "x" } })).to.deep.equal([]);
  });

  it("applies to room accounts by their own type token", () => {
    expect(violations(rule, { type: TOKENS.roomAccount, props: { password: "x" } })).to.have.length(1);
    expect(violations(rule, { type: TOKENS.roomAccount, props: { password: "x" }, opts: { additionalSecretOutputs: ["password"] } })).to.deep.equal([]);
  });

  it("matches by type token, never by URN: a generic dynamic resource under a rooms component is not a room account", () => {
    const urn = `urn:pulumi:contoso::m365-baseline::m365-baseline:rooms:Room$${DYNAMIC}::boardroom-account`;
    expect(violations(rule, { type: DYNAMIC, urn, props: { password: "x" } })).to.deep.equal([]);
  });
});

describe("policy pack on the example stacks' own plans", () => {
  const ROOT = path.resolve(__dirname, "..", "..");
  for (const stack of ["contoso-hybrid", "fabrikam-cloud"]) {
    it(`${stack}: every recorded conditional-access policy passes every rule`, async () => {
      const plan = await recordPlan({ root: ROOT, stack });
      const { tenant } = loadLockoutContext(ROOT, stack);
      const config: ExclusionConfig = {
        directorySyncUserIds: tenant.directorySync.accounts.map((a) => a.objectId),
        breakGlassUserIds: tenant.breakGlass.users.map((u) => u.objectId),
        breakGlassGroupIds: tenant.breakGlass.groups.map((g) => g.objectId),
      };
      const policies = plan.resources.filter((r) => r.type === CA_POLICY_TYPE);
      expect(policies.length).to.be.greaterThan(0);
      for (const r of policies) {
        for (const rule of POLICIES)
          expect(violations(rule, { type: r.type, name: r.name, props: r.inputs, config }), `${r.name} / ${rule.name}`).to.deep.equal([]);
      }
    });
  }
});

describe("policy pack: enforcement levels", () => {
  it("blocks the preview for lockout, deletion and secret risks, and only advises on policies that enforce nothing yet", () => {
    expect(Object.fromEntries(POLICIES.map((p) => [p.name, p.enforcementLevel]))).to.deep.equal({
      "ca-enabled-excludes-sync-and-break-glass": "mandatory",
      "ca-report-only-excludes-sync-and-break-glass": "advisory",
      "ca-all-users-names-exclusions": "mandatory",
      "terms-of-use-protected-from-deletion": "mandatory",
      "room-account-passwords-are-secrets": "mandatory",
    });
  });
});

describe("policy pack: one named rule per object, grouped by area", () => {
  it("every rule has a unique name, a description and an enforcement level, and sits in exactly one area", () => {
    const all = Object.values(POLICIES_BY_AREA).flat();
    expect(Object.keys(POLICIES_BY_AREA).sort()).to.deep.equal(["conditional-access", "rooms", "terms-of-use"]);
    expect(new Set(all.map((p) => p.name)).size).to.equal(all.length);
    for (const p of all)
      expect(
        [p.name, p.description, p.enforcementLevel].every((v) => typeof v === "string" && v.length > 0),
        p.name,
      ).to.equal(true);
    expect(POLICIES).to.deep.equal(all);
  });
});
