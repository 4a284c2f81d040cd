import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import { diffPlans } from "../../lib/plan/diff";
import type { Plan, PlannedResource } from "../../lib/plan/record";
import { defaultDescribers } from "../../lib/plan/registry";
import { plan, policy, urn } from "./plans";

// One test per weakening rule (components/conditional-access/risk-rules.ts); expected findings are what a reviewer
// must be told about the change, written from the scenario.
const diff = (base: Plan, head: Plan) => diffPlans(base, head, defaultDescribers());
const found = (base: Plan, head: Plan) => diff(base, head).risks.map((r) => [r.kind, r.severity, r.message]);
const edit = (resources: PlannedResource[], inputs: (i: Record<string, unknown>) => Record<string, unknown>): PlannedResource[] =>
  resources.map((r) => (r.type === TOKENS.conditionalAccessPolicy ? { ...r, inputs: inputs(r.inputs) } : r));
const location = (ranges: string[], trusted: boolean): PlannedResource => ({
  urn: urn("t", "m365-baseline:conditionalaccess:PolicySet$" + TOKENS.namedLocation, "offices"),
  type: TOKENS.namedLocation,
  name: "offices",
  parent: null,
  inputs: { displayName: "Offices", ip: { ipRanges: ranges, trusted } },
});

describe("diff weakening rules", () => {
  it("trusted-location-widened: a range added to a trusted location, with how many addresses it trusts", () => {
    const risks = found(plan("t", [location(["203.0.113.0/24"], true)]), plan("t", [location(["203.0.113.0/24", "0.0.0.0/1"], true)]));
    expect(risks).to.deep.equal([
      [
        "trusted-location-widened",
        "high",
        'trusted location "Offices" now also trusts 0.0.0.0/1 (2,147,483,648 addresses): every policy that excludes trusted locations exempts sign-ins from there',
      ],
    ]);
  });

  it("location-marked-trusted: an untrusted location becomes trusted", () => {
    const risks = found(plan("t", [location(["198.51.100.0/24"], false)]), plan("t", [location(["198.51.100.0/24"], true)]));
    expect(risks).to.deep.equal([["location-marked-trusted", "high", 'location "Offices" is now trusted: 198.51.100.0/24 (256 addresses)']]);
  });

  it("policy-weakened: an enforced policy moved to report-only, or deleted", () => {
    const enforced = policy("t", "CA1", { state: "enabled" });
    expect(found(plan("t", enforced), plan("t", policy("t", "CA1")))).to.deep.include([
      "policy-weakened",
      "high",
      "policy CA1 is no longer enforced (enabled → report-only): what it required is no longer asked",
    ]);
    expect(found(plan("t", enforced), plan("t"))).to.deep.include([
      "policy-weakened",
      "high",
      "policy CA1 is deleted while enforced: what it required is no longer asked",
    ]);
  });

  it("block-removed: a block policy now only requires MFA", () => {
    const risks = found(plan("t", policy("t", "CA1", { builtInControls: ["block"] })), plan("t", policy("t", "CA1", { builtInControls: ["mfa"] })));
    expect(risks).to.deep.include(["block-removed", "high", "policy CA1 no longer blocks: it now requires mfa"]);
  });

  it("grant-loosened: a control removed, and all-of turned one-of", () => {
    const base = plan(
      "t",
      edit(policy("t", "CA1", { builtInControls: ["mfa", "compliantDevice"] }), (i) => ({
        ...i,
        grantControls: { operator: "AND", builtInControls: ["mfa", "compliantDevice"] },
      })),
    );
    const head = plan(
      "t",
      edit(policy("t", "CA1"), (i) => ({ ...i, grantControls: { operator: "OR", builtInControls: ["mfa", "domainJoinedDevice"] } })),
    );
    expect(found(base, head)).to.deep.include([
      "grant-loosened",
      "medium",
      "policy CA1 no longer requires compliantDevice; now requires one of its controls instead of all of them",
    ]);
  });

  it("session-relaxed: sign-in frequency longer, persistent browser allowed, Defender session control removed", () => {
    const base = plan(
      "t",
      edit(policy("t", "CA1"), (i) => ({
        ...i,
        sessionControls: { signInFrequency: 4, signInFrequencyPeriod: "hours", persistentBrowserMode: "never", cloudAppSecurityPolicy: "mcasConfigured" },
      })),
    );
    const head = plan(
      "t",
      edit(policy("t", "CA1"), (i) => ({ ...i, sessionControls: { signInFrequency: 1, signInFrequencyPeriod: "days" } })),
    );
    expect(found(base, head)).to.deep.include([
      "session-relaxed",
      "medium",
      "policy CA1: sign-in frequency longer (4 h → 24 h); browser sessions may persist again; Defender for Cloud Apps session control removed: sessions are no longer routed",
    ]);
  });

  it("exclusion-added: an enforced policy excludes one more user; the same exclusion across policies groups on its subject", () => {
    const extra = "99999999-0000-4000-8000-000000000001";
    const base = plan("t", policy("t", "CA1", { state: "enabled" }), policy("t", "CA2", { state: "enabled" }));
    const head = plan(
      "t",
      edit(policy("t", "CA1", { state: "enabled" }), (i) => ({
        ...i,
        conditions: { ...(i.conditions as object), users: { ...(i.conditions as { users: object }).users, excludedUsers: [extra] } },
      })),
      edit(policy("t", "CA2", { state: "enabled" }), (i) => ({
        ...i,
        conditions: { ...(i.conditions as object), users: { ...(i.conditions as { users: object }).users, excludedUsers: [extra] } },
      })),
    );
    const added = diff(base, head).risks.filter((r) => r.kind === "exclusion-added");
    expect(added.map((r) => [r.resource, r.severity, r.subject])).to.deep.equal([
      ["CA1", "medium", `${extra} is newly excluded (excluded users)`],
      ["CA2", "medium", `${extra} is newly excluded (excluded users)`],
    ]);
  });

  it("a report-only policy gaining an exclusion is not flagged (it enforces nothing)", () => {
    const extra = "99999999-0000-4000-8000-000000000001";
    const head = plan(
      "t",
      edit(policy("t", "CA1"), (i) => ({
        ...i,
        conditions: { ...(i.conditions as object), users: { ...(i.conditions as { users: object }).users, excludedUsers: [extra] } },
      })),
    );
    expect(diff(plan("t", policy("t", "CA1")), head).risks.filter((r) => r.kind === "exclusion-added")).to.deep.equal([]);
  });
});

describe("diff weakening rules: terms of use and session policies", () => {
  const resource = (type: string, name: string, inputs: Record<string, unknown>): PlannedResource => ({
    urn: urn("t", type, name),
    type,
    name,
    parent: null,
    inputs,
  });
  const agreement = (inputs: Record<string, unknown>) =>
    resource(TOKENS.agreement, "tou", {
      displayName: "Terms",
      isViewingBeforeAcceptanceRequired: true,
      isPerDeviceAcceptanceRequired: true,
      userReacceptRequiredFrequency: "P90D",
      termsExpiration: null,
      files: [{ language: "en-US", fileName: "t.pdf", displayName: "Terms", isDefault: true, size: 1, sha256: "a".repeat(64) }],
      ...inputs,
    });

  it("terms-of-use-relaxed: users may accept without opening, once for every device, and never again", () => {
    const head = agreement({ isViewingBeforeAcceptanceRequired: false, isPerDeviceAcceptanceRequired: false, userReacceptRequiredFrequency: null });
    expect(found(plan("t", [agreement({})]), plan("t", [head]))).to.deep.include([
      "terms-of-use-relaxed",
      "medium",
      "terms of use tou: users may accept without opening the terms; one acceptance now covers every device; re-acceptance no longer required",
    ]);
  });

  it("terms-of-use-major-version: a new major version makes everyone of that language accept again", () => {
    const head = agreement({
      files: [{ language: "en-US", fileName: "t.pdf", displayName: "Terms", isDefault: true, size: 2, sha256: "b".repeat(64), majorVersion: true }],
    });
    expect(found(plan("t", [agreement({})]), plan("t", [head]))).to.deep.include([
      "terms-of-use-major-version",
      "medium",
      "terms of use tou: a major version of the en-US PDF: everyone reading it in en-US must accept again at next sign-in",
    ]);
  });

  const session = (action: Record<string, unknown>, apps = ["00000002-0000-0ff1-ce00-000000000000"]) =>
    resource(TOKENS.sessionPolicy, "downloads", {
      sessionPolicy: {
        name: "downloads",
        displayName: "Block downloads",
        description: "Block downloads on unmanaged devices.",
        category: "dlp",
        controlType: "controlFileDownload",
        severity: "medium",
        alerts: { enabled: false },
        action,
        activities: { apps, deviceTags: { operator: "doesNotEqual", values: ["intuneCompliant"] } },
      },
    });

  it("session-policy-relaxed: a block becomes monitor only; a changed filter is called out", () => {
    expect(found(plan("t", [session({ kind: "block" })]), plan("t", [session({ kind: "test" })]))).to.deep.include([
      "session-policy-relaxed",
      "high",
      'session policy "Block downloads": block → monitor only',
    ]);
    const narrowed = found(plan("t", [session({ kind: "block" })]), plan("t", [session({ kind: "block" }, ["Office365"])]));
    expect(narrowed.map((r) => r[0])).to.deep.equal(["session-policy-filter-changed"]);
  });
});

describe("diff weakening rules: rooms", () => {
  const room = (external: boolean): PlannedResource => ({
    urn: urn("t", `m365-baseline:rooms:RoomMailbox$${TOKENS.roomMailbox}`, "room-a-mailbox"),
    type: TOKENS.roomMailbox,
    name: "room-a-mailbox",
    parent: null,
    inputs: {
      address: "a@contoso.com",
      mailbox: { Alias: "a", DisplayName: "Room A", MailTip: "" },
      calendar: { AutomateProcessing: "AutoAccept", ProcessExternalMeetingMessages: external },
    },
  });

  it("room-opened-externally: a room starts accepting meeting requests from outside the organization", () => {
    expect(found(plan("t", [room(false)]), plan("t", [room(true)]))).to.deep.include([
      "room-opened-externally",
      "medium",
      'room "Room A" now accepts meeting requests from outside the organization',
    ]);
    expect(found(plan("t", [room(true)]), plan("t", [room(false)])).map((r) => r[0])).to.not.include("room-opened-externally");
  });
});
