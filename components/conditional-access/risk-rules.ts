import type { DescribeContext, ResourcePair } from "../../lib/plan/describers";
import type { Fact } from "../../lib/plan/facts";
import type { PlannedResource } from "../../lib/plan/record";
import type { Risk, Severity } from "../../lib/plan/risk";
import { frequencyOf } from "../../lib/whatif/evaluate";

/**
 * The reviewer's weakening rules for conditional access, one named object each: what it flags, how severe, and why
 * in a reviewer's words. `docs/cli.md` ("Risk rules") lists them; each has a test in tests/plan/risk-rules.test.ts.
 */
export interface RiskRule {
  readonly kind: string;
  readonly severity: Severity;
  /** One line for the docs: when the rule fires. */
  readonly description: string;
  check(pair: ResourcePair, facts: FactsOf): Risk[];
}

/** The policy describer's facts (plan-describers.ts), passed in so the rules and the describer share one reading. */
export type FactsOf = (resource: PlannedResource, context: DescribeContext) => Fact[];

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const controlsOf = (p: PlannedResource): string[] => strings(obj(p.inputs.grantControls).builtInControls);
const stateOf = (p: PlannedResource | undefined): string => String(p?.inputs.state ?? "");
const STATE_WORDS: Readonly<Record<string, string>> = { enabled: "enabled", enabledForReportingButNotEnforced: "report-only", disabled: "disabled" };

// ---- named locations ---------------------------------------------------------------------------------------

const ipOf = (r: PlannedResource | undefined): { ranges: string[]; trusted: boolean } => {
  const ip = obj(r?.inputs.ip);
  return { ranges: strings(ip.ipRanges).map((x) => x.toLowerCase()), trusted: ip.trusted === true };
};

/** How many addresses a CIDR range holds, in words ("2,147,483,648 addresses", "2^80 addresses"). */
export function addressCount(cidr: string): string {
  const [address, prefix] = cidr.split("/");
  const bits = (address.includes(":") ? 128 : 32) - Number(prefix);
  if (!Number.isInteger(bits) || bits < 0) return "an unknown number of addresses";
  return bits > 48 ? `2^${bits} addresses` : `${(2n ** BigInt(bits)).toLocaleString("en-US")} addresses`;
}

export const trustedLocationWidened: RiskRule = {
  kind: "trusted-location-widened",
  severity: "high",
  description: "a range is added to a trusted named location: every policy that excludes trusted locations now exempts sign-ins from it",
  check: ({ base, head }) => {
    if (!base || !head || !ipOf(base).trusted || !ipOf(head).trusted) return [];
    const added = ipOf(head).ranges.filter((r) => !ipOf(base).ranges.includes(r));
    if (added.length === 0) return [];
    const name = String(head.inputs.displayName ?? head.name);
    return [
      {
        kind: "trusted-location-widened",
        resource: head.name,
        message: `trusted location "${name}" now also trusts ${added.map((r) => `${r} (${addressCount(r)})`).join(", ")}: every policy that excludes trusted locations exempts sign-ins from there`,
      },
    ];
  },
};

export const locationMarkedTrusted: RiskRule = {
  kind: "location-marked-trusted",
  severity: "high",
  description: "a named location becomes trusted (or is added as trusted): policies that exclude trusted locations stop applying there",
  check: ({ base, head }) => {
    if (!head || !ipOf(head).trusted || (base && ipOf(base).trusted)) return [];
    const name = String(head.inputs.displayName ?? head.name);
    const ranges = ipOf(head)
      .ranges.map((r) => `${r} (${addressCount(r)})`)
      .join(", ");
    return [{ kind: "location-marked-trusted", resource: head.name, message: `location "${name}" is ${base ? "now" : "added as"} trusted: ${ranges}` }];
  },
};

// ---- policies ----------------------------------------------------------------------------------------------

export const policyWeakened: RiskRule = {
  kind: "policy-weakened",
  severity: "high",
  description: "an enforced policy is deleted, disabled or moved to report-only: it stops protecting anyone",
  check: ({ base, head }) => {
    if (stateOf(base) !== "enabled" || stateOf(head) === "enabled") return [];
    const name = base!.name;
    const message = head
      ? `policy ${name} is no longer enforced (enabled → ${STATE_WORDS[stateOf(head)] ?? stateOf(head)}): what it required is no longer asked`
      : `policy ${name} is deleted while enforced: what it required is no longer asked`;
    return [{ kind: "policy-weakened", resource: name, message }];
  },
};

export const blockRemoved: RiskRule = {
  kind: "block-removed",
  severity: "high",
  description: "a block policy no longer blocks (its grant becomes a requirement, or nothing)",
  check: ({ base, head }) => {
    if (!base || !head || !controlsOf(base).includes("block") || controlsOf(head).includes("block")) return [];
    const now = controlsOf(head);
    return [
      { kind: "block-removed", resource: head.name, message: `policy ${head.name} no longer blocks${now.length ? `: it now requires ${now.join(", ")}` : ""}` },
    ];
  },
};

export const grantLoosened: RiskRule = {
  kind: "grant-loosened",
  severity: "medium",
  description: "a required control is removed, all-of becomes one-of, or an authentication strength is removed",
  check: ({ base, head }) => {
    if (!base || !head || controlsOf(base).includes("block") || controlsOf(head).includes("block")) return [];
    const before = obj(base.inputs.grantControls);
    const after = obj(head.inputs.grantControls);
    const reasons: string[] = [];
    const removed = controlsOf(base).filter((c) => !controlsOf(head).includes(c));
    if (removed.length) reasons.push(`no longer requires ${removed.join(", ")}`);
    if (before.operator === "AND" && after.operator === "OR" && controlsOf(head).length > 1)
      reasons.push("now requires one of its controls instead of all of them");
    if (before.authenticationStrengthPolicyId && !after.authenticationStrengthPolicyId) reasons.push("no longer requires an authentication strength");
    const terms = strings(before.termsOfUses).filter((t) => !strings(after.termsOfUses).includes(t));
    if (terms.length) reasons.push("no longer requires accepting the terms of use");
    return reasons.length ? [{ kind: "grant-loosened", resource: head.name, message: `policy ${head.name} ${reasons.join("; ")}` }] : [];
  },
};

/** Sign-in frequency in hours, read the way the what-if evaluator reads it (one definition of "longer"). */
const frequencyHours = (s: Json): number | undefined => frequencyOf(s as Parameters<typeof frequencyOf>[0])?.hours;

export const sessionRelaxed: RiskRule = {
  kind: "session-relaxed",
  severity: "medium",
  description: "sign-in frequency longer or removed, persistent browser allowed, or Defender for Cloud Apps session control removed",
  check: ({ base, head }) => {
    if (!base || !head) return [];
    const before = obj(base.inputs.sessionControls);
    const after = obj(head.inputs.sessionControls);
    const reasons: string[] = [];
    const was = frequencyHours(before);
    const now = frequencyHours(after);
    if (was !== undefined && (now === undefined || now > was))
      reasons.push(now === undefined ? "sign-in frequency removed" : `sign-in frequency longer (${was} h → ${now} h)`);
    if (before.persistentBrowserMode === "never" && after.persistentBrowserMode !== "never") reasons.push("browser sessions may persist again");
    if (before.cloudAppSecurityPolicy && !after.cloudAppSecurityPolicy)
      reasons.push("Defender for Cloud Apps session control removed: sessions are no longer routed");
    return reasons.length ? [{ kind: "session-relaxed", resource: head.name, message: `policy ${head.name}: ${reasons.join("; ")}` }] : [];
  },
};

/** Exclusion facts whose growth takes people, apps or places out of a policy. */
const EXCLUSIONS = [
  "excluded users",
  "excluded groups",
  "excluded roles",
  "excluded apps",
  "excluded locations",
  "excluded platforms",
  "excluded workload identities",
];

export const exclusionAdded: RiskRule = {
  kind: "exclusion-added",
  severity: "medium",
  description: "an enforced policy excludes another user, group, role, app, location or platform",
  check: (pair, facts) => {
    const { base, head } = pair;
    if (!base || !head || stateOf(head) !== "enabled") return [];
    const before = new Map(facts(base, pair.baseContext).map((f) => [f.key, new Set(typeof f.value === "string" ? [f.value] : f.value)]));
    return facts(head, pair.headContext)
      .filter((f) => EXCLUSIONS.includes(f.key))
      .flatMap((f) =>
        (typeof f.value === "string" ? [f.value] : f.value)
          .filter((v) => !before.get(f.key)?.has(v))
          .map((v) => ({
            kind: "exclusion-added",
            resource: head.name,
            message: `policy ${head.name} now excludes ${v} (${f.label})`,
            subject: `${v} is newly excluded (${f.label})`,
          })),
      );
  },
};

export const POLICY_RULES: readonly RiskRule[] = [policyWeakened, blockRemoved, grantLoosened, sessionRelaxed, exclusionAdded];
export const LOCATION_RULES: readonly RiskRule[] = [trustedLocationWidened, locationMarkedTrusted];

/** Runs rules and stamps each risk with its rule's severity. */
export function runRules(rules: readonly RiskRule[], pair: ResourcePair, facts: FactsOf): Risk[] {
  return rules.flatMap((rule) => rule.check(pair, facts).map((risk) => ({ severity: rule.severity, ...risk })));
}
