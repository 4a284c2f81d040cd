import { expect } from "chai";
import {
  blockRoomsOutsideTrustedLocations,
  buildPolicyPayload,
  PolicyDefinition,
  requireCompliantDeviceForRooms,
  requireMfaForAllUsers,
  requireTermsOfUse,
  validatePolicy,
} from "../../components/conditional-access";
import { fromDefinitions } from "../../components/conditional-access/whatif-source";
import { TOKENS } from "../../lib/managed/tokens";
import { diffPlans } from "../../lib/plan/diff";
import type { PlannedResource } from "../../lib/plan/record";
import { defaultDescribers } from "../../lib/plan/registry";
import { ProblemList } from "../../lib/problems";
import { lockoutFindings, throwIfLockout } from "../../lib/whatif/lockout";
import { buildPersonas } from "../../lib/whatif/personas";
import { plan, policy } from "../plan/plans";
import { BREAK_GLASS_GROUP, testTenant } from "../support/tenant";

// Microsoft's Teams Rooms guidance (https://learn.microsoft.com/microsoftteams/rooms/conditional-access-and-compliance-for-devices):
// one group of room resource accounts, excluded from the existing policies, with policies of its own; no
// interactive MFA, which a room console cannot answer. Issue 16 asks for the same built-in treatment as break-glass.
const ROOMS_GROUP = { objectId: "eeeeeeee-0000-4000-8000-0000000000a1", displayName: "SG-TeamsRoomsAccounts" };
const tenant = testTenant({ rooms: { accountsGroup: ROOMS_GROUP } });
const AGREEMENT = "dddddddd-0000-4000-8000-000000000001";
const enabled = (def: PolicyDefinition): PolicyDefinition => ({ ...def, state: "enabled" });
/** The payload's conditions as plain JSON (they are Pulumi inputs in the type; plain values here). */
const conditionsOf = (args: { conditions: unknown }) => args.conditions as { users?: Record<string, string[]>; locations?: unknown };
const controlsOf = (args: { grantControls?: unknown }) => (args.grantControls as { builtInControls?: string[] } | undefined)?.builtInControls;
const roomPersona = "Teams Rooms account (member of SG-TeamsRoomsAccounts)";

function problemsOf(def: PolicyDefinition, settings = tenant): string[] {
  const problems = new ProblemList();
  validatePolicy(def, settings, problems);
  return problems.all.map((p) => `${p.path.join(" › ")}: ${p.problem}`);
}

describe("Teams Rooms accounts: the built-in exclusion and the room policies", () => {
  it("every policy excludes the room accounts group, beside the break-glass group, and the review names it", () => {
    for (const def of [requireMfaForAllUsers(), requireTermsOfUse([AGREEMENT])]) {
      const payload = buildPolicyPayload(def, tenant);
      expect(conditionsOf(payload.args).users?.excludedGroups, def.name).to.have.members([BREAK_GLASS_GROUP.objectId, ROOMS_GROUP.objectId]);
      expect(payload.review.builtInExclusions.roomAccounts, def.name).to.deep.equal(ROOMS_GROUP);
    }
  });

  it("a tenant without a room accounts group excludes no extra group", () => {
    const payload = buildPolicyPayload(requireMfaForAllUsers(), testTenant());
    expect(conditionsOf(payload.args).users?.excludedGroups).to.deep.equal([BREAK_GLASS_GROUP.objectId]);
    expect(payload.review.builtInExclusions.roomAccounts).to.equal(undefined);
  });

  it("CA008 blocks the room accounts outside trusted locations; CA009 requires a compliant console; both include the group and opt out of its exclusion", () => {
    const block = buildPolicyPayload(blockRoomsOutsideTrustedLocations(tenant), tenant);
    expect(block.args.displayName).to.equal("CA008-TeamsRooms-AllApps-BlockOutsideTrustedLocations");
    expect(conditionsOf(block.args).users?.includedGroups).to.deep.equal([ROOMS_GROUP.objectId]);
    expect(conditionsOf(block.args).users?.excludedGroups).to.deep.equal([BREAK_GLASS_GROUP.objectId]);
    expect(conditionsOf(block.args).locations).to.deep.equal({ includedLocations: ["All"], excludedLocations: ["AllTrusted"] });
    expect(controlsOf(block.args)).to.deep.equal(["block"]);
    expect(block.args.state).to.equal("enabledForReportingButNotEnforced");
    expect(block.review.optOuts.map((o) => o.kind)).to.deep.equal(["roomAccounts"]);

    const compliant = buildPolicyPayload(requireCompliantDeviceForRooms(tenant), tenant);
    expect(conditionsOf(compliant.args).users?.includedGroups).to.deep.equal([ROOMS_GROUP.objectId]);
    expect(controlsOf(compliant.args)).to.deep.equal(["compliantDevice"]);
  });

  it("a room policy in a tenant without the group is refused before anything is declared, naming the setting", () => {
    expect(() => blockRoomsOutsideTrustedLocations(testTenant())).to.throw(
      "tenant test-tenant › policy CA008-TeamsRooms-AllApps-BlockOutsideTrustedLocations › users: Pulumi.test-tenant.yaml names no room accounts group",
    );
  });

  it("validation: a roomAccounts opt-out needs a reason and a group to opt out of, and, unlike break-glass, may be enabled", () => {
    expect(problemsOf(enabled(requireCompliantDeviceForRooms(tenant)))).to.deep.equal([]);
    expect(problemsOf({ ...requireMfaForAllUsers(), exclusionOptOut: { roomAccounts: { reason: "short" } } })).to.deep.equal([
      "tenant test-tenant › policy CA004-Global-AllApps-RequireMFA › exclusionOptOut.roomAccounts.reason: an exclusion opt-out needs a written reason a reviewer can judge",
    ]);
    const withoutGroup = testTenant();
    const optOut = { ...requireMfaForAllUsers(), exclusionOptOut: { roomAccounts: { reason: "the rooms are meant to be caught by this policy" } } };
    expect(problemsOf(optOut, withoutGroup)).to.deep.equal([
      "tenant test-tenant › policy CA004-Global-AllApps-RequireMFA › exclusionOptOut.roomAccounts: the tenant settings name no room accounts group, so there is nothing to opt out of",
    ]);
  });

  describe("the lockout gate: the room persona is protected from what needs a person", () => {
    const personas = buildPersonas(tenant);
    const findings = (...defs: PolicyDefinition[]) => lockoutFindings(fromDefinitions(tenant, defs), personas).filter((f) => f.persona === roomPersona);

    it("with a room accounts group, the room persona is protected, unattended and a member of the group", () => {
      const room = personas.find((p) => p.kind === "room")!;
      expect(room).to.include({ protected: true, unattended: true, label: roomPersona });
      expect(room.identity.groups).to.deep.equal([ROOMS_GROUP.objectId]);
      expect(buildPersonas(testTenant()).find((p) => p.kind === "room")!.protected).to.equal(false);
    });

    it("enabled MFA and terms-of-use policies keep the room exclusion, so they reach no room", () => {
      expect(findings(enabled(requireMfaForAllUsers()), enabled(requireTermsOfUse([AGREEMENT])))).to.deep.equal([]);
    });

    it("enabled room policies with device-based controls are what the guidance asks for: no finding", () => {
      expect(findings(enabled(blockRoomsOutsideTrustedLocations(tenant)), enabled(requireCompliantDeviceForRooms(tenant)))).to.deep.equal([]);
    });

    it("an enabled policy that asks the rooms for MFA is refused: nobody at the console can answer it", () => {
      const asked = requireCompliantDeviceForRooms(tenant, {
        displayName: "CA090-TeamsRooms-MFA",
        grant: { controls: ["mfa", "compliantDevice"], operator: "AND" },
      });
      const mfaForRooms = enabled({ ...asked, name: "CA090-TeamsRooms-MFA" });
      const found = findings(mfaForRooms);
      // The payload sorts every list, so the controls read alphabetically.
      expect(found.map((f) => [f.policy, f.effect])).to.deep.equal([["CA090-TeamsRooms-MFA", "require compliantDevice and mfa"]]);
      expect(() => throwIfLockout("test-tenant", found)).to.throw(/nobody is at a room console to answer it, so the room stops signing in/);
    });

    it("a one-of requirement a console can meet (MFA or a compliant device) is not a lockout", () => {
      const either = enabled(requireCompliantDeviceForRooms(tenant, { grant: { controls: ["mfa", "compliantDevice"], operator: "OR" } }));
      expect(findings(either)).to.deep.equal([]);
    });
  });

  describe("what the reviewer reads", () => {
    /** CA004 as the plan records it, excluding the room group (or not), with the review the payload writes. */
    const ca004 = (excludesRooms: boolean): PlannedResource[] =>
      policy("t", "CA004").map((r) => {
        if (r.type === TOKENS.conditionalAccessComponent) {
          const review = r.inputs.review as Record<string, Record<string, unknown>>;
          const builtIn = excludesRooms ? { ...review.builtInExclusions, groups: [ROOMS_GROUP], roomAccounts: ROOMS_GROUP } : review.builtInExclusions;
          return { ...r, inputs: { review: { ...review, builtInExclusions: builtIn } } };
        }
        const conditions = r.inputs.conditions as { users: Record<string, unknown> };
        const users = { ...conditions.users, excludedGroups: excludesRooms ? [ROOMS_GROUP.objectId] : [] };
        return { ...r, inputs: { ...r.inputs, conditions: { ...conditions, users } } };
      });

    it("a policy asking for MFA says why the room accounts are excluded", () => {
      const result = diffPlans(plan("t"), plan("t", ca004(true)), defaultDescribers());
      const added = result.added.find((c) => c.name === "CA004")!;
      expect(JSON.stringify(added)).to.contain("nobody at a room console can answer MFA or accept terms of use");
    });

    it("removing the room exclusion from a policy is flagged high, naming the group as the rooms' exclusion", () => {
      const risks = diffPlans(plan("t", ca004(true)), plan("t", ca004(false)), defaultDescribers()).risks;
      expect(risks.map((r) => [r.kind, r.severity, r.message])).to.deep.equal([
        ["protected-exclusion-removed", "high", "policy CA004 no longer excludes SG-TeamsRoomsAccounts (Teams Rooms accounts)"],
      ]);
    });
  });
});
