import { TOKENS } from "../managed/tokens";
import * as pulumi from "@pulumi/pulumi";
import { mockId, Plan } from "../plan/record";
import type { CaPolicy, NamedLocationModel, PolicyArgs } from "./model";

export const CA_POLICY_TYPE = TOKENS.conditionalAccessPolicy;
export const NAMED_LOCATION_TYPE = TOKENS.namedLocation;

/** Stands in for a value known only after deployment (an agreement ID from another resource, for instance). */
export const UNKNOWN_VALUE = "(known after deployment)";

export interface PolicySource {
  readonly policies: readonly CaPolicy[];
  readonly namedLocations: readonly NamedLocationModel[];
}

/**
 * Policies and named locations from a recorded plan. Policies reference named locations by resource ID, which
 * offline is the plan recorder's mock ID; the logical name identifies the location too.
 */
export function fromPlan(plan: Plan): PolicySource {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const policies = plan.resources
    .filter((r) => r.type === CA_POLICY_TYPE)
    .map((r): CaPolicy => {
      // The policy's component carries the review, and with it the risks the stack acknowledged for this policy.
      const review = (r.parent ? byUrn.get(r.parent)?.inputs.review : undefined) as { acknowledgedRisks?: { risk: string; reason: string }[] } | undefined;
      const acknowledged = review?.acknowledgedRisks ?? [];
      return {
        name: r.name,
        args: r.inputs as unknown as PolicyArgs,
        ...(acknowledged.length > 0 ? { acknowledgedRisks: Object.fromEntries(acknowledged.map((a) => [a.risk, a.reason])) } : {}),
      };
    });
  const namedLocations = plan.resources
    .filter((r) => r.type === NAMED_LOCATION_TYPE)
    .map((r) => namedLocationModel([r.name, mockId(r.name)], r.inputs as LocationArgs));
  return { policies, namedLocations };
}

/** A named location's arguments as azuread takes them (what the plan records). */
export interface LocationArgs {
  displayName?: string;
  ip?: { ipRanges?: string[]; trusted?: boolean };
  country?: { countriesAndRegions?: string[]; includeUnknownCountriesAndRegions?: boolean };
}

export function namedLocationModel(ids: string[], args: LocationArgs): NamedLocationModel {
  return {
    ids,
    displayName: args.displayName ?? ids[0],
    trusted: args.ip?.trusted ?? false,
    ipRanges: args.ip?.ipRanges ?? [],
    countries: args.country?.countriesAndRegions ?? [],
    includeUnknownCountries: args.country?.includeUnknownCountriesAndRegions ?? false,
  };
}

/** Replaces values only a deployment can know (outputs) with a visible placeholder; everything else is plain data. */
export function known(value: unknown): unknown {
  if (pulumi.Output.isInstance(value) || value instanceof Promise) return UNKNOWN_VALUE;
  if (Array.isArray(value)) return value.map(known);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, known(v)]));
  return value;
}
