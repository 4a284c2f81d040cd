import { applicationLabel, DIRECTORY_SYNC_ROLE_IDS, roleLabel } from "../../lib/entra/well-known";
import { TOKENS } from "../../lib/managed/tokens";
import type { DescribeContext, DescriberRegistry, ResourceDescriber, ResourcePair } from "../../lib/plan/describers";
import { Fact, genericFacts, scalar, set, yesNo } from "../../lib/plan/facts";
import type { PlannedResource } from "../../lib/plan/record";
import type { Risk } from "../../lib/plan/risks";
import { LOCATION_RULES, POLICY_RULES, runRules } from "./risk-rules";

export const CA_POLICY_TYPE = TOKENS.conditionalAccessPolicy;
export const CA_COMPONENT_TYPE = TOKENS.conditionalAccessComponent;
export const NAMED_LOCATION_TYPE = TOKENS.namedLocation;

const STATE_WORDS: Readonly<Record<string, string>> = {
  enabled: "enabled",
  enabledForReportingButNotEnforced: "report-only",
  disabled: "disabled",
};
const USER_KEYWORDS: Readonly<Record<string, string>> = { All: "All users", None: "No users", GuestsOrExternalUsers: "All guests and external users" };
const LOCATION_KEYWORDS: Readonly<Record<string, string>> = { All: "Any location", AllTrusted: "All trusted locations" };

/** The review the policy's component carries (see components/conditional-access/payload.ts, `PolicyReview`). */
interface Review {
  readonly description?: string;
  readonly builtInExclusions?: {
    readonly roles?: readonly string[];
    readonly users?: readonly { objectId: string }[];
    readonly groups?: readonly { objectId: string }[];
    readonly servicePrincipals?: readonly { objectId: string }[];
    readonly roomAccounts?: { objectId: string };
  };
  readonly optOuts?: readonly { kind: string; reason: string }[];
  readonly acknowledgedRisks?: readonly { risk: string; reason: string }[];
}

/** Inputs are schemaless JSON in a plan; this reads nested keys without `any`. */
type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => (typeof x === "string" ? x : JSON.stringify(x))) : []);
const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : typeof v === "string" ? v : JSON.stringify(v));

export function reviewOf(policy: PlannedResource, context: DescribeContext): Review | undefined {
  const parent = context.parentOf(policy);
  return parent?.type === CA_COMPONENT_TYPE ? (obj(parent.inputs.review) as Review) : undefined;
}

/** Input paths the policy facts cover; anything else in the inputs is still shown, by its path. */
const COVERED = ["displayName", "state", "conditions", "grantControls", "sessionControls"];

export function policyFacts(policy: PlannedResource, context: DescribeContext): Fact[] {
  const i = policy.inputs;
  const c = obj(i.conditions);
  const u = obj(c.users);
  const a = obj(c.applications);
  const sp = obj(c.clientApplications);
  const g = obj(i.grantControls);
  const review = reviewOf(policy, context);
  const user = (id: string): string => USER_KEYWORDS[id] ?? context.nameOf(id);
  const location = (id: string): string => LOCATION_KEYWORDS[id] ?? context.nameOf(id);
  const guests = (v: unknown): string[] => (Array.isArray(v) ? v.flatMap((x) => strings(obj(x).guestOrExternalUserTypes)) : []);
  const filter = obj(obj(c.devices).filter);
  const known = new Set([
    "users",
    "applications",
    "clientApplications",
    "clientAppTypes",
    "platforms",
    "locations",
    "devices",
    "signInRiskLevels",
    "userRiskLevels",
  ]);
  const requires = [...strings(g.builtInControls)];
  const session = obj(i.sessionControls);

  return [
    ...scalar("display name", str(i.displayName)),
    ...scalar("state", STATE_WORDS[String(i.state)] ?? str(i.state)),
    ...scalar("description", review?.description),
    ...cancelledByExclusions(u, sp),
    ...set("included users", strings(u.includedUsers).map(user)),
    ...set("included groups", strings(u.includedGroups).map(user)),
    ...set("included roles", strings(u.includedRoles).map(roleLabel)),
    ...set("included guests or external users", guests(u.includedGuestsOrExternalUsers)),
    ...set("excluded users", strings(u.excludedUsers).map(user)),
    ...set("excluded groups", strings(u.excludedGroups).map(user)),
    ...set("excluded roles", strings(u.excludedRoles).map(roleLabel)),
    ...set("excluded guests or external users", guests(u.excludedGuestsOrExternalUsers)),
    ...set("included apps", strings(a.includedApplications).map(applicationLabel)),
    ...set("excluded apps", strings(a.excludedApplications).map(applicationLabel)),
    ...set("user actions", strings(a.includedUserActions)),
    ...set("included workload identities", strings(sp.includedServicePrincipals).map(context.nameOf)),
    ...set("excluded workload identities", strings(sp.excludedServicePrincipals).map(context.nameOf)),
    ...set("client apps", strings(c.clientAppTypes)),
    ...set("included platforms", strings(obj(c.platforms).includedPlatforms)),
    ...set("excluded platforms", strings(obj(c.platforms).excludedPlatforms)),
    ...set("included locations", strings(obj(c.locations).includedLocations).map(location)),
    ...set("excluded locations", strings(obj(c.locations).excludedLocations).map(location)),
    ...scalar("device filter", filter.rule === undefined ? undefined : `${str(filter.mode)} devices where ${str(filter.rule)}`),
    ...set("sign-in risk", strings(c.signInRiskLevels)),
    ...set("user risk", strings(c.userRiskLevels)),
    ...genericFacts(Object.fromEntries(Object.entries(c).filter(([k]) => !known.has(k)))).map(prefixed("conditions")),
    ...set("requires", requires.length > 1 ? [`${g.operator === "AND" ? "all" : "one"} of: ${requires.sort().join(", ")}`] : requires),
    ...set("terms of use", strings(g.termsOfUses).map(context.nameOf)),
    ...termsOfUseSyncNote(g, review),
    ...roomAccountsNote(requires, strings(g.termsOfUses), g, review),
    ...scalar("authentication strength", str(g.authenticationStrengthPolicyId)),
    ...Object.keys(session)
      .sort()
      .flatMap((k) => scalar(`session: ${k}`, str(session[k]))),
    ...set(
      "built-in exclusion removed",
      (review?.optOuts ?? []).map((o) => `${o.kind}: ${o.reason}`),
    ).map((f) => ({ ...f, warn: true })),
    ...set(
      "acknowledged risk",
      (review?.acknowledgedRisks ?? []).map((a) => `${a.risk}: ${a.reason}`),
    ).map((f) => ({ ...f, warn: true })),
    ...genericFacts(Object.fromEntries(Object.entries(i).filter(([k]) => !COVERED.includes(k)))),
  ];
}

/**
 * A policy that names only users and groups it also excludes (typically: it targets the break-glass group, which
 * the built-in exclusions take back out) applies to nobody. It would plan as "enabled" and protect no one.
 */
function cancelledByExclusions(u: Json, sp: Json): Fact[] {
  if (strings(sp.includedServicePrincipals).length > 0) return [];
  const users = strings(u.includedUsers).filter((v) => v.toLowerCase() !== "none");
  const groups = strings(u.includedGroups);
  if (users.length + groups.length === 0 || strings(u.includedRoles).length > 0 || u.includedGuestsOrExternalUsers) return [];
  const excluded = new Set([...strings(u.excludedUsers), ...strings(u.excludedGroups)].map((id) => id.toLowerCase()));
  const cancelled = [...users, ...groups].every((id) => excluded.has(id.toLowerCase()));
  return cancelled ? [{ key: "applies to", label: "applies to", value: "nobody: every user and group it includes is also excluded", warn: true }] : [];
}

/**
 * Why a terms-of-use policy excludes the directory-sync accounts: they sign in without a person to accept anything,
 * so a terms-of-use policy that catches them stops directory synchronization for the whole tenant.
 */
function termsOfUseSyncNote(g: Json, review: Review | undefined): Fact[] {
  if (strings(g.termsOfUses).length === 0) return [];
  const excluded = (review?.builtInExclusions?.users?.length ?? 0) > 0 || (review?.builtInExclusions?.roles?.length ?? 0) > 0;
  const optedOut = (review?.optOuts ?? []).some((o) => o.kind === "directorySync");
  if (!excluded || optedOut) return [];
  return scalar("directory-sync accounts", "excluded: they cannot accept terms of use, and a terms-of-use policy that catches them stops directory sync");
}

/**
 * Why a policy that asks for a person's step excludes the Teams Rooms accounts: nobody at a room console can answer
 * MFA, accept terms of use or meet an authentication strength (Microsoft's Teams Rooms conditional-access guidance).
 */
function roomAccountsNote(controls: readonly string[], termsOfUse: readonly string[], g: Json, review: Review | undefined): Fact[] {
  if (!review?.builtInExclusions?.roomAccounts) return [];
  const asksAPerson =
    controls.includes("mfa") || controls.includes("passwordChange") || termsOfUse.length > 0 || g.authenticationStrengthPolicyId !== undefined;
  if (!asksAPerson) return [];
  return scalar("Teams Rooms accounts", "excluded: nobody at a room console can answer MFA or accept terms of use");
}

function prefixed(prefix: string): (f: Fact) => Fact {
  return (f) => ({ ...f, key: `${prefix}.${f.key}`, label: `${prefix}.${f.label}` });
}

const conditionalAccessPolicy: ResourceDescriber = {
  kind: "Conditional-access policy",
  plural: "Conditional-access policies",
  order: 0,
  title: (r) => `${str(r.inputs.displayName) ?? r.name} (\`${r.name}\`)`,
  summary: (r, context) => {
    const description = reviewOf(r, context)?.description;
    // Report-only policies are evaluated and logged but enforce nothing: say so where the reviewer reads the policy.
    const reportOnly = r.inputs.state === "enabledForReportingButNotEnforced" ? "Report-only: logged, not enforced, so it protects no one yet." : undefined;
    return [description, reportOnly].filter(Boolean).join(" ") || undefined;
  },
  facts: policyFacts,
  shownInHeading: ["display name", "description"],
  risks: allPolicyRisks,
};

const namedLocation: ResourceDescriber = {
  kind: "Named location",
  order: 1,
  risks: (pair) => runRules(LOCATION_RULES, pair, () => []),
  shownInHeading: ["display name"],
  title: (r) => `${str(r.inputs.displayName) ?? r.name} (\`${r.name}\`)`,
  facts: (r) => {
    const ip = obj(r.inputs.ip);
    const country = obj(r.inputs.country);
    return [
      ...scalar("display name", str(r.inputs.displayName)),
      ...set("IP ranges", strings(ip.ipRanges)),
      ...scalar("trusted", yesNo(ip.trusted)),
      ...set("countries and regions", strings(country.countriesAndRegions)),
      ...scalar("unknown countries included", yesNo(country.includeUnknownCountriesAndRegions)),
    ];
  },
};

/** The component's only input is the review, which the policy's own facts show (description, opt-outs, names). */
const policyComponent: ResourceDescriber = { kind: "Conditional-access policy component", hidden: true, facts: () => [] };

/** Plans and diffs describe conditional access in the portal's words (loaded by convention, lib/plan/registry.ts). */
export const describers: DescriberRegistry = {
  [CA_POLICY_TYPE]: conditionalAccessPolicy,
  [NAMED_LOCATION_TYPE]: namedLocation,
  [CA_COMPONENT_TYPE]: policyComponent,
};

// ---- risks -------------------------------------------------------------------------------------------------

const EXCLUDED_KEYS = ["excludedUsers", "excludedGroups", "excludedRoles"] as const;
/** Facts whose growth widens who or what a policy applies to. */
const WIDEN_ON_ADD = [
  "included users",
  "included groups",
  "included roles",
  "included guests or external users",
  "included apps",
  "user actions",
  "included workload identities",
  "client apps",
  "included platforms",
  "included locations",
  "sign-in risk",
  "user risk",
];
/** Values that already mean "everything" in an include list. */
const EVERYTHING = new Set(["all", "All users", "All cloud apps", "Any location"]);
/** Facts whose shrinking widens a policy. */
const WIDEN_ON_REMOVE = [
  "excluded users",
  "excluded groups",
  "excluded roles",
  "excluded guests or external users",
  "excluded apps",
  "excluded workload identities",
  "excluded platforms",
  "excluded locations",
];
/** Conditions that, when dropped or rewritten, may let the policy match more sign-ins. */
const WIDEN_ON_CHANGE = ["device filter", "sign-in risk", "user risk", "included platforms", "included locations"];

function excludedIds(policy: PlannedResource): Set<string> {
  const u = obj(obj(policy.inputs.conditions).users);
  const sp = obj(obj(policy.inputs.conditions).clientApplications);
  return new Set([...EXCLUDED_KEYS.flatMap((k) => strings(u[k])), ...strings(sp.excludedServicePrincipals)].map((id) => id.toLowerCase()));
}

/** Sync roles, and the sync and break-glass principals the base plan's review says the library excluded. */
function protectedIds(review: Review | undefined): string[] {
  const b = review?.builtInExclusions ?? {};
  const principals = [...(b.users ?? []), ...(b.groups ?? []), ...(b.servicePrincipals ?? [])].map((p) => p.objectId);
  return [...new Set([...DIRECTORY_SYNC_ROLE_IDS, ...(b.roles ?? []), ...principals].map((id) => id.toLowerCase()))];
}

function isBlock(policy: PlannedResource | undefined): boolean {
  return !!policy && strings(obj(policy.inputs.grantControls).builtInControls).includes("block");
}

function policyRisks(pair: ResourcePair): Risk[] {
  const { base, head } = pair;
  if (!head) return [];
  const risks: Risk[] = [];
  const name = head.name;
  const headState = String(head.inputs.state);
  const baseState = base ? String(base.inputs.state) : undefined;
  const headReview = reviewOf(head, pair.headContext);

  if (headState === "enabled" && baseState !== "enabled") {
    const from = baseState ? `${STATE_WORDS[baseState] ?? baseState} → enabled` : "added as enabled";
    risks.push({
      kind: "policy-enabled",
      resource: name,
      message: `policy ${name} is now enforced (${from}): it blocks or challenges real sign-ins from now on`,
    });
  }

  const reasons = (headReview?.optOuts ?? []).map((o) => `${o.kind} opt-out: "${o.reason}"`).join("; ");
  if (base) {
    const before = excludedIds(base);
    const after = excludedIds(head);
    const lost = protectedIds(reviewOf(base, pair.baseContext)).filter((id) => before.has(id) && !after.has(id));
    const roomGroup = reviewOf(base, pair.baseContext)?.builtInExclusions?.roomAccounts?.objectId.toLowerCase();
    for (const id of lost) {
      const label = roleLabel(id) !== id ? `role ${roleLabel(id)}` : pair.baseContext.nameOf(id);
      const who = id === roomGroup ? "Teams Rooms accounts" : "sync or break-glass";
      risks.push({
        kind: "protected-exclusion-removed",
        resource: name,
        message: `policy ${name} no longer excludes ${label} (${who})${reasons ? ` — ${reasons}` : ""}`,
        subject: `${label} is no longer excluded (${who})`,
      });
    }
  } else if (headReview?.optOuts?.some((o) => o.kind !== "roomAccounts")) {
    // A new room policy opting out of the room exclusion is what room policies are for; the lockout gate judges it.
    risks.push({ kind: "protected-exclusion-removed", resource: name, message: `new policy ${name} applies to sync or break-glass accounts — ${reasons}` });
  }

  if (isBlock(head)) risks.push(...blockWidening(pair, name, headState));
  return risks;
}

/** The original rules above, then the named weakening rules (risk-rules.ts); a deleted policy has no head. */
function allPolicyRisks(pair: ResourcePair): Risk[] {
  return [...policyRisks(pair), ...runRules(POLICY_RULES, pair, policyFacts)];
}

function blockWidening(pair: ResourcePair, name: string, headState: string): Risk[] {
  const state = STATE_WORDS[headState] ?? headState;
  if (!pair.base) return [];
  if (!isBlock(pair.base)) {
    return [{ kind: "block-policy-widened", resource: name, message: `policy ${name} now blocks access (${state})` }];
  }
  const before = factMap(policyFacts(pair.base, pair.baseContext));
  const after = factMap(policyFacts(pair.head!, pair.headContext));
  const reasons: string[] = [];
  for (const label of WIDEN_ON_ADD) {
    if ([...(before.get(label) ?? [])].some((v) => EVERYTHING.has(v))) continue; // nothing is wider than "all"
    const added = [...(after.get(label) ?? [])].filter((v) => !(before.get(label) ?? new Set()).has(v));
    if (added.length) reasons.push(`${label} + ${added.join(", ")}`);
  }
  for (const label of WIDEN_ON_REMOVE) {
    const removed = [...(before.get(label) ?? [])].filter((v) => !(after.get(label) ?? new Set()).has(v));
    if (removed.length) reasons.push(`${label} − ${removed.join(", ")}`);
  }
  for (const label of WIDEN_ON_CHANGE) {
    if (before.has(label) && !after.has(label)) reasons.push(`${label} condition removed`);
    else if (label === "device filter" && before.has(label) && !sameSet(before.get(label)!, after.get(label)!)) reasons.push("device filter rewritten");
  }
  return reasons.length === 0
    ? []
    : [{ kind: "block-policy-widened", resource: name, message: `block policy ${name} (${state}) now matches more sign-ins: ${reasons.join("; ")}` }];
}

function factMap(facts: readonly Fact[]): Map<string, Set<string>> {
  return new Map(facts.map((f) => [f.key, new Set(typeof f.value === "string" ? [f.value] : f.value)]));
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((v) => b.has(v));
}
