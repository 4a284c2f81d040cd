import * as fs from "node:fs";
import * as path from "node:path";
import { Fact, genericFacts, scalar } from "./facts";
import type { Plan, PlannedResource } from "./record";
import type { Risk } from "./risk";

/** Type token of every dynamic-provider resource; they are told apart by their parent component's type. */
export const DYNAMIC_RESOURCE_TYPE = "pulumi-nodejs:dynamic:Resource";

/** What a describer may look up besides the resource itself. */
export interface DescribeContext {
  readonly plan: Plan;
  parentOf(resource: PlannedResource): PlannedResource | undefined;
  /** Object ID or declared resource ID → display name; falls back to the value itself. */
  nameOf(id: string): string;
}

/** Both sides of one resource in a diff; `base` is missing when added, `head` when removed. */
export interface ResourcePair {
  readonly base?: PlannedResource;
  readonly head?: PlannedResource;
  readonly baseContext: DescribeContext;
  readonly headContext: DescribeContext;
}

/** How plans and diffs talk about one resource type. Only `kind` and `facts` are required. */
export interface ResourceDescriber {
  /** Noun used in headings, e.g. "Conditional-access policy". */
  readonly kind: string;
  /** Heading for a group of these; defaults to `kind` + "s". */
  readonly plural?: string;
  /** Where the group appears in the plan's Markdown (lower first); defaults to after every ordered group. */
  readonly order?: number;
  /** True for resources whose facts another resource shows (e.g. a component whose child carries its review). */
  readonly hidden?: boolean;
  /** Heading text; defaults to the resource's logical name. */
  title?(resource: PlannedResource, context: DescribeContext): string;
  /** One line of prose under the heading. */
  summary?(resource: PlannedResource, context: DescribeContext): string | undefined;
  facts(resource: PlannedResource, context: DescribeContext): Fact[];
  /** Fact keys the plan's Markdown leaves out of the bullet list because the heading or summary shows them. */
  readonly shownInHeading?: readonly string[];
  /** Risks a change to this resource raises; flagged at the top of a diff. */
  risks?(pair: ResourcePair): Risk[];
}

export type DescriberRegistry = Record<string, ResourceDescriber>;

export const genericDescriber: ResourceDescriber = {
  kind: "Resource",
  facts: (resource) => genericFacts(resource.inputs),
};

/**
 * Registry key for a resource: its type token, except for dynamic-provider resources, which all share one type
 * token and are keyed `<parent component type>/<DYNAMIC_RESOURCE_TYPE>` instead.
 */
export function describerKey(resource: PlannedResource, parent: PlannedResource | undefined): string {
  return resource.type === DYNAMIC_RESOURCE_TYPE && parent ? `${parent.type}/${DYNAMIC_RESOURCE_TYPE}` : resource.type;
}

export function describerFor(registry: DescriberRegistry, resource: PlannedResource, context: DescribeContext): ResourceDescriber {
  return registry[describerKey(resource, context.parentOf(resource))] ?? registry[resource.type] ?? genericDescriber;
}

/**
 * A resource's facts as plans and diffs show them: its describer's, and, whatever the type, that the first `up`
 * takes over an existing object (Pulumi's `import` option) rather than creating one.
 */
export function factsOf(describer: ResourceDescriber, resource: PlannedResource, context: DescribeContext): Fact[] {
  return [...describer.facts(resource, context), ...scalar("adopts the existing object", resource.adopts)];
}

/** File each component folder may add to describe its resources: it exports `describers: DescriberRegistry`. */
export const COMPONENT_DESCRIBER_FILE = "plan-describers";

/**
 * Built-in describers plus those of every `components/<area>/plan-describers.ts`. Found by convention so a new
 * component area plugs into plans and diffs without editing lib/plan.
 */
export function loadDescribers(builtIn: DescriberRegistry, componentsDir: string): DescriberRegistry {
  const registry: DescriberRegistry = { ...builtIn };
  if (!fs.existsSync(componentsDir)) return registry;
  for (const area of fs.readdirSync(componentsDir).sort()) {
    const file = path.join(componentsDir, area, COMPONENT_DESCRIBER_FILE);
    if (!fs.existsSync(`${file}.ts`) && !fs.existsSync(`${file}.js`)) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- each area's describers are found by convention at run time
    const loaded = require(file) as { describers?: DescriberRegistry };
    Object.assign(registry, loaded.describers ?? {});
  }
  return registry;
}

/** Names for IDs: principals from policy reviews, and each declared resource's mock ID → its display name. */
export function createContext(plan: Plan, mockId: (name: string) => string): DescribeContext {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const names = new Map<string, string>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(collect);
    if (!value || typeof value !== "object") return;
    const o = value as Record<string, unknown>;
    if (typeof o.objectId === "string" && typeof o.displayName === "string") names.set(o.objectId.toLowerCase(), o.displayName);
    Object.values(o).forEach(collect);
  };
  for (const r of plan.resources) {
    collect(r.inputs);
    // A user account (a room's) has no display name among its inputs: its sign-in name says who it is.
    const displayName = r.inputs.displayName ?? r.inputs.userPrincipalName;
    if (typeof displayName === "string") names.set(mockId(r.name), displayName);
  }
  return {
    plan,
    parentOf: (r) => (r.parent ? byUrn.get(r.parent) : undefined),
    nameOf: (id) => names.get(id.toLowerCase()) ?? names.get(id) ?? id,
  };
}
