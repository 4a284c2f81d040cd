import { compileConditions, Condition, locationResolver, PreparedSignIn, prepareSignIn, ResolvedLocation } from "./conditions";
import { unknownValues } from "./coverage";
import type { CaPolicy, NamedLocationModel, SignIn } from "./model";

/** What one applying policy asks of the sign-in: its own operator decides between its controls. */
export interface Requirement {
  readonly policy: string;
  readonly operator: "AND" | "OR";
  /** `mfa`, `compliantDevice`, ..., `termsOfUse:<agreement>`, `authenticationStrength:<id>`. */
  readonly controls: readonly string[];
}

export interface SessionOutcome {
  /** Defender for Cloud Apps (Conditional Access App Control) modes, each with the policy that asked for it. */
  readonly cloudAppSecurity: readonly { readonly mode: string; readonly policy: string }[];
  /** The most restrictive sign-in frequency among applying policies (`everyTime` beats any period). */
  readonly signInFrequency?: { readonly every: string; readonly hours: number; readonly policy: string };
  /** `never` beats `always`: the most restrictive setting wins. */
  readonly persistentBrowser?: { readonly mode: string; readonly policy: string };
  readonly applicationEnforcedRestrictions: readonly string[];
}

/** A policy whose evaluable conditions match but which the evaluator cannot fully decide: it *may* apply. */
export interface Undetermined {
  readonly policy: string;
  /** What it would do if it applies: `block`, or `require mfa or …`. */
  readonly effect: string;
  /** Why it cannot be decided, e.g. "condition insiderRiskLevels is not modelled". */
  readonly because: readonly string[];
  /** What it would require, when it requires something (not for a block or session controls only). */
  readonly requirement?: Requirement;
}

export interface Outcome {
  /** Display names of every policy that applies, sorted. */
  readonly applied: readonly string[];
  /** Policies that may apply: their other conditions match, but something in them is not evaluable. */
  readonly undetermined: readonly Undetermined[];
  /** Policies whose grant is `block`; any one of them blocks the sign-in. */
  readonly blockedBy: readonly string[];
  /** Every applying policy's grant must be met (unless a block wins). */
  readonly requirements: readonly Requirement[];
  readonly session: SessionOutcome;
}

export interface Evaluation {
  /** Enabled policies: what Entra enforces. */
  readonly enforced: Outcome;
  /** Report-only policies: what they *would* do; never enforced. Disabled policies appear nowhere. */
  readonly reportOnly: Outcome;
}

export type Verdict = "block" | "requirements" | "allow";

export function verdict(o: Outcome): Verdict {
  if (o.blockedBy.length > 0) return "block";
  return o.requirements.length > 0 ? "requirements" : "allow";
}

/** Requirements the sign-in has not met, given the controls it satisfies (e.g. `mfa`). A block is never met. */
export function unmetRequirements(o: Outcome, satisfied: ReadonlySet<string>): Requirement[] {
  return o.requirements.filter((r) => (r.operator === "AND" ? !r.controls.every((c) => satisfied.has(c)) : !r.controls.some((c) => satisfied.has(c))));
}

interface Compiled {
  readonly label: string;
  readonly notEvaluable: readonly string[];
  readonly conditions: readonly Condition[];
  readonly blocks: boolean;
  readonly requirement?: Requirement;
  readonly session: CaPolicy["args"]["sessionControls"];
}

const EVERY_TIME_HOURS = 0;

/**
 * Whether Entra enforces a policy: `enabled` ones; report-only and disabled policies never block anyone. A state
 * not known before apply counts as enforced (it may be), and the policy is not evaluable for that reason.
 */
export function isEnforced(policy: CaPolicy): boolean {
  return stateOf(policy) !== "enabledforreportingbutnotenforced" && stateOf(policy) !== "disabled";
}

function isReportOnly(policy: CaPolicy): boolean {
  return stateOf(policy) === "enabledforreportingbutnotenforced";
}

function stateOf(policy: CaPolicy): string {
  return typeof policy.args.state === "string" ? policy.args.state.toLowerCase() : "";
}

const KNOWN_STATES = new Set(["enabled", "enabledforreportingbutnotenforced", "disabled"]);

/**
 * Offline conditional-access evaluation. Policies are compiled once; `evaluate` is then cheap enough to run a
 * persona matrix or thousands of sign-ins. Pure: no I/O, no clock.
 */
export class Evaluator {
  private readonly enforced: Compiled[];
  private readonly reportOnly: Compiled[];
  private readonly resolveLocation: (s: SignIn) => ResolvedLocation;

  constructor(policies: readonly CaPolicy[], namedLocations: readonly NamedLocationModel[] = []) {
    this.enforced = policies.filter(isEnforced).map(compile);
    this.reportOnly = policies.filter(isReportOnly).map(compile);
    this.resolveLocation = locationResolver(namedLocations);
  }

  evaluate(signIn: SignIn): Evaluation {
    const prepared = prepareSignIn(signIn, this.resolveLocation(signIn));
    return { enforced: outcome(this.enforced, prepared), reportOnly: outcome(this.reportOnly, prepared) };
  }
}

function compile(policy: CaPolicy): Compiled {
  const g = policy.args.grantControls;
  const builtIn = g?.builtInControls ?? [];
  const controls = [
    ...builtIn.filter((c) => c !== "block"),
    ...(g?.termsOfUses ?? []).map((t) => `termsOfUse:${t}`),
    ...(g?.authenticationStrengthPolicyId ? [`authenticationStrength:${g.authenticationStrengthPolicyId.split("/").pop()}`] : []),
  ];
  const label = policy.args.displayName;
  return {
    label,
    notEvaluable: [
      ...(KNOWN_STATES.has(stateOf(policy)) ? [] : ["its state is known only after apply"]),
      ...(policy.notEvaluable ?? []),
      ...unknownValues(policy),
    ],
    conditions: compileConditions(policy),
    blocks: builtIn.includes("block"),
    requirement: controls.length > 0 ? { policy: label, operator: g?.operator === "AND" ? "AND" : "OR", controls } : undefined,
    session: policy.args.sessionControls,
  };
}

function outcome(policies: readonly Compiled[], signIn: PreparedSignIn): Outcome {
  const applied: string[] = [];
  const blockedBy: string[] = [];
  const requirements: Requirement[] = [];
  const undetermined: Undetermined[] = [];
  let session: SessionAccumulator | undefined;
  const legacy = LEGACY_CLIENTS.get(signIn.raw.clientApp ?? "browser");
  for (const p of policies) {
    if (!appliesTo(p.conditions, signIn)) continue;
    if (p.notEvaluable.length > 0) {
      undetermined.push({ policy: p.label, effect: effectOf(p), because: p.notEvaluable, ...(p.requirement ? { requirement: p.requirement } : {}) });
      continue;
    }
    applied.push(p.label);
    // A grant the client cannot satisfy is the block the user gets (legacy clients cannot do MFA).
    if (p.blocks || (legacy && p.requirement && !legacy.canSatisfy(p.requirement))) blockedBy.push(p.label);
    else if (p.requirement) requirements.push(p.requirement);
    if (p.session) (session ??= new SessionAccumulator()).add(p.label, p.session);
  }
  const byPolicy = (a: { policy: string }, b: { policy: string }): number => a.policy.localeCompare(b.policy);
  return {
    applied: applied.sort(),
    undetermined: undetermined.sort(byPolicy),
    blockedBy: blockedBy.sort(),
    requirements: requirements.sort(byPolicy),
    session: session?.result() ?? NO_SESSION,
  };
}

function effectOf(p: Compiled): string {
  if (p.blocks) return "block";
  return p.requirement ? `require ${p.requirement.controls.join(p.requirement.operator === "AND" ? " and " : " or ")}` : "apply session controls";
}

/**
 * Controls a legacy client cannot satisfy. Exchange ActiveSync and other legacy-authentication clients cannot
 * perform multifactor authentication or any interactive step (Microsoft Entra, "Block legacy authentication with
 * Conditional Access": https://learn.microsoft.com/entra/identity/conditional-access/policy-block-legacy-authentication),
 * so a policy that requires one of them blocks the sign-in. Other clients (IMAP, POP, SMTP, ...) carry no device
 * either, so nothing they are asked for can be met; Exchange ActiveSync devices can still be compliant.
 */
const INTERACTIVE = ["mfa", "passwordchange", "riskremediation", "termsofuse:", "authenticationstrength:"];
const isDeviceSatisfiable = (control: string): boolean => !INTERACTIVE.some((i) => control.toLowerCase().startsWith(i));

/**
 * True when only a person can meet the requirement: every way to satisfy it (OR) or one of its parts (AND) is an
 * interactive step. A device with nobody at it (a legacy client, a Teams Rooms console) cannot meet it.
 */
export function needsAPerson(r: Requirement): boolean {
  return !satisfiable(r, isDeviceSatisfiable);
}

const LEGACY_CLIENTS = new Map<string, { canSatisfy(r: Requirement): boolean }>([
  ["exchangeActiveSync", { canSatisfy: (r) => !needsAPerson(r) }],
  ["other", { canSatisfy: () => false }],
]);

function satisfiable(r: Requirement, possible: (control: string) => boolean): boolean {
  return r.operator === "AND" ? r.controls.every(possible) : r.controls.some(possible);
}

const NO_SESSION: SessionOutcome = Object.freeze({ cloudAppSecurity: [], applicationEnforcedRestrictions: [] });

function appliesTo(conditions: readonly Condition[], signIn: PreparedSignIn): boolean {
  for (const check of conditions) if (!check(signIn)) return false;
  return true;
}

class SessionAccumulator {
  private readonly cloudAppSecurity: { mode: string; policy: string }[] = [];
  private frequency?: { every: string; hours: number; policy: string };
  private persistent?: { mode: string; policy: string };
  private readonly restrictions: string[] = [];

  add(policy: string, s: NonNullable<Compiled["session"]>): void {
    if (s.cloudAppSecurityPolicy) this.cloudAppSecurity.push({ mode: s.cloudAppSecurityPolicy, policy });
    if (s.applicationEnforcedRestrictionsEnabled) this.restrictions.push(policy);
    if (s.persistentBrowserMode && (!this.persistent || (s.persistentBrowserMode === "never" && this.persistent.mode !== "never"))) {
      this.persistent = { mode: s.persistentBrowserMode, policy };
    }
    const f = frequencyOf(s);
    if (f && (!this.frequency || f.hours < this.frequency.hours)) this.frequency = { ...f, policy };
  }

  result(): SessionOutcome {
    return {
      cloudAppSecurity: [...this.cloudAppSecurity].sort((a, b) => a.policy.localeCompare(b.policy)),
      signInFrequency: this.frequency,
      persistentBrowser: this.persistent,
      applicationEnforcedRestrictions: [...this.restrictions].sort(),
    };
  }
}

/** A policy's sign-in frequency in hours (`everyTime` is 0), as Entra applies it; undefined when the policy sets none. */
export function frequencyOf(
  s: Pick<NonNullable<Compiled["session"]>, "signInFrequencyInterval" | "signInFrequency" | "signInFrequencyPeriod">,
): { every: string; hours: number } | undefined {
  if (s.signInFrequencyInterval === "everyTime") return { every: "everyTime", hours: EVERY_TIME_HOURS };
  if (s.signInFrequency === undefined || s.signInFrequencyPeriod === undefined) return undefined;
  const hours = s.signInFrequencyPeriod === "days" ? s.signInFrequency * 24 : s.signInFrequency;
  return { every: `${s.signInFrequency} ${s.signInFrequencyPeriod}`, hours };
}
