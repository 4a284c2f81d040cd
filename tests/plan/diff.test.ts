import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import { diffPlans, hasChanges } from "../../lib/plan/diff";
import { renderDiffMarkdown } from "../../lib/plan/diff-markdown";
import { renderPlanMarkdown } from "../../lib/plan/markdown";
import type { Plan, PlannedResource } from "../../lib/plan/record";
import { defaultDescribers } from "../../lib/plan/registry";
import { BREAK_GLASS, GLOBAL_ADMIN_ROLE, plan, policy, SYNC_ROLE, SYNC_USER, urn } from "./plans";

const registry = defaultDescribers();
const diff = (base: Plan, head: Plan) => diffPlans(base, head, registry);
const kinds = (d: ReturnType<typeof diff>) => d.risks.map((r) => r.kind);

describe("plan diff", () => {
  it("sees no change when resources and every list are reordered", () => {
    const base = plan("t", policy("t", "CA1", { excludedUsers: [SYNC_USER.objectId, BREAK_GLASS.objectId] }), policy("t", "CA2"));
    const head = plan("t", policy("t", "CA2"), policy("t", "CA1", { excludedUsers: [BREAK_GLASS.objectId, SYNC_USER.objectId] }));
    const shuffled: Plan = { ...head, resources: [...head.resources].reverse() };
    const d = diff(base, shuffled);
    expect(hasChanges(d)).to.equal(false);
    expect(d.risks).to.deep.equal([]);
    expect(renderDiffMarkdown(d)).to.contain("No changes");
  });

  it("matches resources by logical name across stack names (a copy of a stack)", () => {
    const d = diff(plan("contoso", policy("contoso", "CA1")), plan("contoso-copy", policy("contoso-copy", "CA1")));
    expect(hasChanges(d)).to.equal(false);
  });

  it("words a state change and flags a policy turned enabled", () => {
    const d = diff(plan("t", policy("t", "CA1")), plan("t", policy("t", "CA1", { state: "enabled" })));
    expect(d.changed.map((c) => c.name)).to.deep.equal(["CA1"]);
    expect(d.changed[0].fields.map((f) => f.text)).to.deep.equal(["state: report-only → enabled"]);
    expect(kinds(d)).to.deep.equal(["policy-enabled"]);
  });

  it("shows a reviewer that the first `up` takes over an existing policy (adopt by ID)", () => {
    const adopted = policy("t", "CA1").map((r) => (r.type === TOKENS.conditionalAccessPolicy ? { ...r, adopts: "0c0a0000-0000-4000-8000-000000000001" } : r));
    const d = diff(plan("t", policy("t", "CA1")), plan("t", adopted));
    expect(d.changed.map((c) => c.fields.map((f) => f.text))).to.deep.equal([["adopts the existing object: (not set) → 0c0a0000-0000-4000-8000-000000000001"]]);
    // Declared before: the stack may already manage another policy under this name, which the import would replace.
    expect(d.risks.map((r) => [r.kind, r.severity])).to.deep.equal([["adoption-replaces", "high"]]);
    expect(
      diff(plan("t"), plan("t", adopted)).risks.map((r) => r.kind),
      "a new resource adopting replaces nothing",
    ).to.not.include("adoption-replaces");
  });

  it("a policy whose only targets the built-in exclusions take back out is shown as applying to nobody", () => {
    const cancelled = plan("t", policy("t", "CA9", { includedUsers: [BREAK_GLASS.objectId], state: "enabled" }));
    expect(renderPlanMarkdown(cancelled)).to.contain("- ⚠️ **applies to:** nobody: every user and group it includes is also excluded");
    expect(renderPlanMarkdown(plan("t", policy("t", "CA1")))).to.not.contain("applies to:");
  });

  it("flags a policy added as enabled, but not one added as report-only", () => {
    const d = diff(plan("t"), plan("t", policy("t", "CA1", { state: "enabled" }), policy("t", "CA2")));
    expect(d.added.map((c) => c.name)).to.deep.equal(["CA1", "CA2"]);
    expect(d.risks.map((r) => [r.kind, r.resource])).to.deep.equal([["policy-enabled", "CA1"]]);
  });

  it("names a removed sync-role exclusion and flags it", () => {
    const d = diff(plan("t", policy("t", "CA1")), plan("t", policy("t", "CA1", { excludedRoles: [] })));
    expect(d.changed[0].fields.map((f) => f.text)).to.deep.equal(["excluded roles: − Directory Synchronization Accounts"]);
    expect(kinds(d)).to.deep.equal(["protected-exclusion-removed"]);
    expect(d.risks[0].message).to.contain("role Directory Synchronization Accounts");
  });

  it("flags a removed break-glass exclusion by the account's name and quotes the opt-out reason", () => {
    const reason = "break-glass must also do MFA during the pilot";
    const d = diff(
      plan("t", policy("t", "CA1")),
      plan("t", policy("t", "CA1", { excludedUsers: [SYNC_USER.objectId], optOuts: [{ kind: "breakGlass", reason }] })),
    );
    expect(kinds(d)).to.deep.equal(["protected-exclusion-removed"]);
    expect(d.risks[0].message).to.contain(BREAK_GLASS.displayName).and.contain(reason);
    const texts = d.changed[0].fields.map((f) => f.text);
    expect(texts).to.include(`excluded users: − ${BREAK_GLASS.displayName}`);
    expect(texts).to.include(`built-in exclusion removed: + breakGlass: ${reason}`);
  });

  it("does not flag an exclusion the author removes that is neither sync nor break-glass", () => {
    const base = plan("t", policy("t", "CA1", { excludedRoles: [SYNC_ROLE, GLOBAL_ADMIN_ROLE] }));
    const d = diff(base, plan("t", policy("t", "CA1")));
    expect(d.changed[0].fields.map((f) => f.text)).to.deep.equal(["excluded roles: − Global Administrator"]);
    expect(d.risks).to.deep.equal([]);
  });

  it("flags a block policy that now matches more client apps", () => {
    const block = { state: "enabled", builtInControls: ["block"], clientAppTypes: ["exchangeActiveSync", "other"] };
    const d = diff(plan("t", policy("t", "CA2", block)), plan("t", policy("t", "CA2", { ...block, clientAppTypes: ["all"] })));
    expect(kinds(d)).to.deep.equal(["block-policy-widened"]);
    expect(d.risks[0].message).to.contain("client apps + all");
    expect(d.changed[0].fields.map((f) => f.text)).to.deep.equal(["client apps: − exchangeActiveSync, − other, + all"]);
  });

  it("flags a policy that starts to block, and does not flag a narrowed block policy", () => {
    const widened = diff(plan("t", policy("t", "CA1")), plan("t", policy("t", "CA1", { builtInControls: ["block"] })));
    expect(kinds(widened)).to.deep.equal(["block-policy-widened"]);
    const block = { builtInControls: ["block"], clientAppTypes: ["all"] };
    const narrowed = diff(plan("t", policy("t", "CA1", block)), plan("t", policy("t", "CA1", { ...block, clientAppTypes: ["other"] })));
    expect(hasChanges(narrowed)).to.equal(true);
    expect(narrowed.risks).to.deep.equal([]);
  });

  it("does not call a wider MFA policy a block policy", () => {
    const d = diff(plan("t", policy("t", "CA1", { clientAppTypes: ["browser"] })), plan("t", policy("t", "CA1", { clientAppTypes: ["all"] })));
    expect(d.risks).to.deep.equal([]);
  });

  /** A terms-of-use component "tou" and its agreement (a dynamic-provider resource named `agreementName`). */
  const termsOfUse = (agreementName: string, inputs: Record<string, unknown> = {}): [PlannedResource, PlannedResource] => {
    const component: PlannedResource = {
      urn: urn("t", TOKENS.termsOfUseComponent, "tou"),
      type: TOKENS.termsOfUseComponent,
      name: "tou",
      parent: null,
      inputs: {},
    };
    const agreement: PlannedResource = {
      urn: urn("t", `m365-baseline:termsofuse:TermsOfUse$${TOKENS.agreement}`, agreementName),
      type: TOKENS.agreement,
      name: agreementName,
      parent: component.urn,
      inputs,
    };
    return [component, agreement];
  };

  it("flags a deleted terms-of-use agreement once, even when its component and its dynamic resource both go", () => {
    const d = diff(plan("t", termsOfUse("tou-agreement", { displayName: "Contoso terms of use" })), plan("t"));
    expect(d.risks.map((r) => [r.kind, r.resource])).to.deep.equal([["terms-of-use-deleted", "tou"]]);
    // The component carries nothing to review (its describer is hidden); the agreement is what reviewers read.
    expect(d.removed.map((c) => c.name).sort()).to.deep.equal(["tou-agreement"]);
  });

  it("flags a deleted agreement whose component stays", () => {
    const [component, agreement] = termsOfUse("de");
    const d = diff(plan("t", [component, agreement]), plan("t", [component]));
    expect(d.risks.map((r) => [r.kind, r.resource])).to.deep.equal([["terms-of-use-deleted", "de"]]);
  });

  it("says a retained agreement stays in the tenant, and a deletable one loses its acceptance records", () => {
    const retained = diff(plan("t", termsOfUse("tou", { displayName: "Contoso terms of use", allowDeletion: false })), plan("t"));
    expect(retained.risks.map((r) => r.message)).to.deep.equal([
      'terms-of-use agreement "tou" leaves the program: it stays in the tenant, unmanaged, with its acceptance records; policies that require it still do',
    ]);
    const deleted = diff(plan("t", termsOfUse("tou", { displayName: "Contoso terms of use", allowDeletion: true })), plan("t"));
    expect(deleted.risks[0].message).to.contain("Entra deletes every user's acceptance record with it");
  });

  it("flags turning on replacement or deletion of a terms-of-use agreement, in words", () => {
    const at = (opts: Record<string, unknown>): PlannedResource[] => termsOfUse("tou", { displayName: "T", files: [], ...opts });
    const d = diff(
      plan("t", at({ allowDeletion: false, allowReplacementDestroyingAcceptances: false })),
      plan("t", at({ allowDeletion: true, allowReplacementDestroyingAcceptances: true })),
    );
    expect(d.risks.map((r) => r.kind).sort()).to.deep.equal(["terms-of-use-deletion-allowed", "terms-of-use-replacement-allowed"]);
    const words = JSON.stringify(d.changed);
    expect(words).to.contain("when removed from the program: kept in the tenant, unmanaged → deleted, with every acceptance record");
  });

  it("tells the reviewer when a new PDF is a major version (everyone must accept again), from the declared field", () => {
    // The declaration says `majorVersion: true` (components/terms-of-use/definition.ts); the reviewer must read it.
    const file = (sha256: string, majorVersion?: boolean) => ({
      language: "en-US",
      fileName: "terms.pdf",
      displayName: "Terms",
      isDefault: true,
      size: 10,
      sha256,
      ...(majorVersion ? { majorVersion } : {}),
    });
    const d = diff(
      plan("t", termsOfUse("tou", { displayName: "T", files: [file("a".repeat(64))] })),
      plan("t", termsOfUse("tou", { displayName: "T", files: [file("b".repeat(64), true)] })),
    );
    expect(JSON.stringify(d.changed)).to.contain("major version (everyone accepts again)");
  });

  it("words changes of a resource type it has no describer for, by input path", () => {
    const room = (capacity: number, tags: string[]): PlannedResource => ({
      urn: urn("t", "m365-baseline:rooms:Room", "board-room"),
      type: "m365-baseline:rooms:Room",
      name: "board-room",
      parent: null,
      inputs: { place: { capacity, tags } },
    });
    const d = diff(plan("t", [room(8, ["a", "b"])]), plan("t", [room(10, ["b", "a", "c"])]));
    expect(d.changed[0].fields.map((f) => f.text)).to.deep.equal(["place.capacity: 8 → 10", "place.tags: + c"]);
  });

  it("puts flagged risks above the changes in the Markdown", () => {
    const md = renderDiffMarkdown(diff(plan("t", policy("t", "CA1")), plan("t", policy("t", "CA1", { state: "enabled" }))));
    expect(md.indexOf("Flagged risks")).to.be.greaterThan(-1);
    expect(md.indexOf("Flagged risks")).to.be.lessThan(md.indexOf("## Changed"));
    expect(md).to.contain("- state: report-only → enabled");
  });
});
