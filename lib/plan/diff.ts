import { createContext, DescriberRegistry, describerFor, factsOf, ResourcePair } from "./describers";
import type { Fact } from "./facts";
import { mockId, Plan } from "./record";
import { severityOf } from "./risk";
import { Risk, risksOf } from "./risks";

/** One fact of a resource that differs between the plans, in words ("state: report-only → enabled"). */
export interface FieldChange {
  readonly label: string;
  readonly before?: Fact["value"];
  readonly after?: Fact["value"];
  readonly text: string;
}

export interface ResourceChange {
  /** Identity across plans: type chain and logical name (the URN without stack and project). */
  readonly identity: string;
  readonly name: string;
  readonly type: string;
  /** The describer's noun, e.g. "Conditional-access policy". */
  readonly kind: string;
  readonly title: string;
  readonly change: "added" | "removed" | "changed";
  /** Changed: the facts that differ. Added: every fact. Removed: every fact the base had. */
  readonly fields: readonly FieldChange[];
}

export interface PlanDiff {
  readonly base: { readonly stack: string };
  readonly head: { readonly stack: string };
  /** Changes that raise risk, in resource order; reviewers read these first. */
  readonly risks: readonly Risk[];
  readonly added: readonly ResourceChange[];
  readonly removed: readonly ResourceChange[];
  readonly changed: readonly ResourceChange[];
}

export function hasChanges(diff: PlanDiff): boolean {
  return diff.added.length + diff.removed.length + diff.changed.length > 0;
}

/**
 * `urn:pulumi:<stack>::<project>::<type chain>::<name>` → `<type chain>::<name>`: a resource keeps its identity
 * when the same composition is planned under another stack or project name (e.g. a copy of a stack).
 */
export function identityOf(urn: string): string {
  return urn.split("::").slice(2).join("::");
}

/** Semantic diff of two plans. Pure: same plans in, same diff out; resource and list order never matter. */
export function diffPlans(base: Plan, head: Plan, registry: DescriberRegistry): PlanDiff {
  const baseContext = createContext(base, mockId);
  const headContext = createContext(head, mockId);
  const baseById = new Map(base.resources.map((r) => [identityOf(r.urn), r]));
  const headById = new Map(head.resources.map((r) => [identityOf(r.urn), r]));
  const identities = [...new Set([...baseById.keys(), ...headById.keys()])].sort();
  const removedUrns = new Set(base.resources.filter((r) => !headById.has(identityOf(r.urn))).map((r) => r.urn));

  const added: ResourceChange[] = [];
  const removed: ResourceChange[] = [];
  const changed: ResourceChange[] = [];
  const risks: Risk[] = [];
  for (const identity of identities) {
    const pair: ResourcePair = { base: baseById.get(identity), head: headById.get(identity), baseContext, headContext };
    const resource = (pair.head ?? pair.base)!;
    const context = pair.head ? headContext : baseContext;
    const describer = describerFor(registry, resource, context);
    risks.push(...risksOf(pair, registry, removedUrns));
    if (describer.hidden) continue;

    const before = pair.base ? factsOf(describer, pair.base, baseContext) : [];
    const after = pair.head ? factsOf(describer, pair.head, headContext) : [];
    const fields = compareFacts(before, after);
    const title = describer.title?.(resource, context) ?? resource.name;
    const entry = (change: ResourceChange["change"]): ResourceChange => ({
      identity,
      name: resource.name,
      type: resource.type,
      kind: describer.kind,
      title,
      change,
      fields,
    });
    if (!pair.base) added.push(entry("added"));
    else if (!pair.head) removed.push(entry("removed"));
    else if (fields.length > 0) changed.push(entry("changed"));
  }
  // Most severe first; within a severity, resource order (stable sort).
  const rank: Readonly<Record<string, number>> = { high: 0, medium: 1, low: 2 };
  const ordered = risks.map((r) => ({ ...r, severity: severityOf(r) })).sort((a, b) => rank[a.severity] - rank[b.severity]);
  return { base: { stack: base.stack }, head: { stack: head.stack }, risks: ordered, added, removed, changed };
}

/** Facts that differ, in the head's order, then those only the base had. Sets compare as sets. */
export function compareFacts(before: readonly Fact[], after: readonly Fact[]): FieldChange[] {
  const beforeByKey = new Map(before.map((f) => [f.key, f]));
  const afterKeys = new Set(after.map((f) => f.key));
  const changes: FieldChange[] = [];
  for (const fact of after) {
    const old = beforeByKey.get(fact.key);
    if (!old || !sameValue(old.value, fact.value)) changes.push(describeChange(fact.label, old?.value, fact.value));
  }
  for (const fact of before) {
    if (!afterKeys.has(fact.key)) changes.push(describeChange(fact.label, fact.value, undefined));
  }
  return changes;
}

function describeChange(label: string, before: Fact["value"] | undefined, after: Fact["value"] | undefined): FieldChange {
  const isSet = typeof before === "object" || typeof after === "object";
  if (!isSet) {
    return { label, before, after, text: `${label}: ${before ?? "(not set)"} → ${after ?? "(not set)"}` };
  }
  const asSet = (v: Fact["value"] | undefined): string[] => (v === undefined ? [] : typeof v === "string" ? [v] : [...v]);
  const old = asSet(before);
  const now = asSet(after);
  const parts = [...old.filter((v) => !now.includes(v)).map((v) => `− ${v}`), ...now.filter((v) => !old.includes(v)).map((v) => `+ ${v}`)];
  return { label, before, after, text: `${label}: ${parts.join(", ")}` };
}

function sameValue(a: Fact["value"], b: Fact["value"]): boolean {
  if (typeof a === "string" || typeof b === "string") return a === b;
  const bs = new Set(b);
  return a.length === b.length && a.every((v) => bs.has(v));
}
