import { ADMIN_PORTAL_APP, OTHER_APP } from "./apps";
import { Evaluator } from "./evaluate";
import { PLATFORMS, SignIn } from "./model";
import { DEVICE_STATES } from "./matrix";
import type { Persona } from "./personas";
import type { PolicySource } from "./sources";

/**
 * Policies that lock out not a protected account but everyone of a kind: tier two of the lockout gate. Such a
 * policy may be intended (a tenant that manages admins only from privileged workstations blocks the portals
 * elsewhere), so it is refused unless the policy acknowledges the risk by name, with a written reason the plan shows.
 */
export const WIDE_IMPACT_RISKS = ["blocksEveryGlobalAdministrator", "blocksEveryMember", "blocksEveryServicePrincipal"] as const;
export type WideImpactRisk = (typeof WIDE_IMPACT_RISKS)[number];

export interface WideImpactFinding {
  readonly risk: WideImpactRisk;
  readonly policy: string;
  readonly persona: string;
  /** In a reviewer's words: whom, where. */
  readonly what: string;
}

/** A workload identity no policy names: what "every service principal" means to the check. */
const ANY_SERVICE_PRINCIPAL = {
  label: "any service principal in the tenant",
  identity: { kind: "servicePrincipal" as const, id: "00000000-0000-4000-8000-0000000005e9" },
};

type Who = { readonly label: string; readonly identity: SignIn["identity"] };
const CHECKS: readonly { risk: WideImpactRisk; who: (personas: readonly Persona[]) => Who | undefined; target: string; what: string }[] = [
  {
    risk: "blocksEveryGlobalAdministrator",
    who: (personas) => personas.find((p) => p.kind === "globalAdmin"),
    target: ADMIN_PORTAL_APP,
    what: "blocks every Global Administrator from the Microsoft admin portals",
  },
  {
    risk: "blocksEveryMember",
    who: (personas) => personas.find((p) => p.kind === "member"),
    target: OTHER_APP,
    what: "blocks every member from every cloud app",
  },
  // Every app registration and automation in the tenant (Microsoft Entra, "Conditional Access for workload identities").
  {
    risk: "blocksEveryServicePrincipal",
    who: () => ANY_SERVICE_PRINCIPAL,
    target: OTHER_APP,
    what: "blocks every service principal (workload identity) in the tenant",
  },
];

/**
 * An enforced policy that blocks the persona's browser sign-ins on every platform and device state, in the everyday
 * context, blocks everyone of that kind; unless the policy acknowledges that risk.
 */
export function wideImpactFindings(source: PolicySource, personas: readonly Persona[]): WideImpactFinding[] {
  const evaluator = new Evaluator(source.policies, source.namedLocations);
  const acknowledged = new Map(source.policies.map((p) => [p.args.displayName, p.acknowledgedRisks ?? {}]));
  const findings: WideImpactFinding[] = [];
  for (const check of CHECKS) {
    const persona = check.who(personas);
    if (!persona) continue;
    let everywhere: Set<string> | undefined;
    for (const platform of PLATFORMS) {
      for (const state of DEVICE_STATES) {
        const o = evaluator.evaluate({
          identity: persona.identity,
          target: { app: check.target },
          clientApp: "browser",
          platform,
          device: state.device,
        }).enforced;
        const blocking = new Set([...o.blockedBy, ...o.undetermined.filter((u) => u.effect === "block").map((u) => u.policy)]);
        everywhere = everywhere ? new Set([...everywhere].filter((p) => blocking.has(p))) : blocking;
      }
    }
    for (const policy of [...(everywhere ?? [])].sort()) {
      if (acknowledged.get(policy)?.[check.risk]) continue;
      findings.push({ risk: check.risk, policy, persona: persona.label, what: check.what });
    }
  }
  return findings;
}
