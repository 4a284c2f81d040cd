import { impactOf } from "../lib/whatif/impact";
import { buildPersonas } from "../lib/whatif/personas";
import { BenchResult, measure } from "./measure";
import { generatePolicies } from "./whatif";

/**
 * The reviewer's impact table for a 50-policy tenant: base and head (every fifth policy's state flipped) evaluated
 * over the persona matrix. Issue 17's goal, "under one second for a 50-policy tenant", as a ratio: 2.5× the
 * reference (about 0.4 s on 2 cores).
 */
const POLICY_COUNT = 50;

export async function bench(): Promise<BenchResult[]> {
  const base = generatePolicies(POLICY_COUNT);
  const head = base.map((p, i) => (i % 5 === 0 ? { ...p, args: { ...p.args, state: p.args.state === "enabled" ? "disabled" : "enabled" } } : p));
  const personas = buildPersonas({
    stack: "bench",
    displayName: "Bench",
    tenantId: "00000000-0000-4000-8000-000000000001",
    directorySync: { accounts: [{ objectId: "00000000-0000-4000-8000-000000000002", displayName: "sync" }], servicePrincipals: [] },
    breakGlass: { users: [{ objectId: "00000000-0000-4000-8000-000000000003", displayName: "bg" }], groups: [] },
    graph: { cloud: "global", credential: "default" },
  });
  let rows = 0;
  const { result } = await measure(
    `diff impact: ${POLICY_COUNT} policies, base → head`,
    async () => {
      rows = impactOf({ policies: base, namedLocations: [] }, { policies: head, namedLocations: [] }, personas).length;
    },
    { maxRatio: 2.5 },
  );
  return [{ ...result, note: `${rows} changed groups of sign-ins` }];
}
