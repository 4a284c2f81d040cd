import type * as Graph from "@microsoft/microsoft-graph-types";
import { ConditionalAccessPolicySet, definitionFromGraph, logicalNameOf, namedLocationFromGraph } from "../components/conditional-access";
import type { Discovery } from "../lib/discover/discover";
import type { Adoption } from "../lib/discover/render";
import { TOKENS } from "../lib/managed/tokens";
import { Plan, recordPlan } from "../lib/plan/record";
import type { TenantSettings } from "../lib/tenant-settings";

export interface CurrentPlan {
  readonly plan: Plan;
  /** Per policy, what the declaration cannot say (conditions it cannot express, exclusions the policy lacks). */
  readonly notes: readonly { readonly policy: string; readonly note: string }[];
}

/**
 * The tenant's conditional access as it is today, planned as this stack would declare it: same logical names (the
 * adoption match, else one made from the display name), same composition. `m365-baseline diff current.json
 * head.json` then shows, in the reviewer's words, what the stack's baseline changes in the tenant.
 */
export async function recordCurrentPlan(
  root: string,
  stack: string,
  tenant: TenantSettings,
  d: Discovery,
  adoption: Adoption,
  stackPlan: Plan | undefined,
): Promise<CurrentPlan> {
  // A description is the stack's words for a reviewer, never sent to Graph: carried over so the comparison shows
  // only what changes in the tenant.
  const descriptions = new Map(
    (stackPlan?.resources ?? [])
      .filter((r) => r.type === TOKENS.conditionalAccessComponent)
      .map((r) => [r.name, (r.inputs.review as { description?: string } | undefined)?.description]),
  );
  const policyNames = invert(adoption.conditionalAccessPolicies);
  const locationNames = invert(adoption.namedLocations);
  const locations = d.graph.namedLocations.map((l) => {
    const name = locationNames.get(l.id ?? "") ?? logicalNameOf(l.displayName ?? l.id ?? "location");
    return namedLocationFromGraph(l as Graph.NamedLocation & Graph.IpNamedLocation & Graph.CountryNamedLocation, name);
  });
  // Policies name locations by ID; the declaration names them by logical name, so both plans read the same.
  const byLocationId = new Map(d.graph.namedLocations.map((l, i) => [(l.id ?? "").toLowerCase(), locations[i].name]));
  const notes: { policy: string; note: string }[] = [];
  const definitions = d.graph.policies.map((p) => {
    const discovered = definitionFromGraph(withLocationNames(p, byLocationId), tenant, policyNames.get(p.id ?? ""));
    notes.push(...discovered.notes.map((note) => ({ policy: discovered.definition.name, note })));
    const description = descriptions.get(discovered.definition.name);
    return description ? { ...discovered.definition, description } : discovered.definition;
  });
  const plan = await recordPlan({
    root,
    stack,
    config: {},
    program: () => void new ConditionalAccessPolicySet("conditional-access", { tenant, policies: definitions, namedLocations: locations }),
  });
  return { plan, notes };
}

function withLocationNames(policy: Graph.ConditionalAccessPolicy, byId: ReadonlyMap<string, string>): Graph.ConditionalAccessPolicy {
  const l = policy.conditions?.locations;
  if (!l) return policy;
  const name = (id: string): string => byId.get(id.toLowerCase()) ?? id;
  return {
    ...policy,
    conditions: { ...policy.conditions, locations: { ...l, includeLocations: l.includeLocations?.map(name), excludeLocations: l.excludeLocations?.map(name) } },
  };
}

function invert(byName: Readonly<Record<string, string>>): Map<string, string> {
  return new Map(Object.entries(byName).map(([name, id]) => [id, name]));
}
