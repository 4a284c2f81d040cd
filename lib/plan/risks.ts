import type { DescriberRegistry, ResourcePair } from "./describers";
import { describerFor } from "./describers";
import type { PlannedResource } from "./record";
import type { Risk } from "./risk";

const DYNAMIC_PREFIX = "pulumi-nodejs:dynamic";

export type { Risk, RiskKind } from "./risk";

/** Terms-of-use components and agreements, whatever their exact type token (`termsofuse`, `TermsOfUse`, `Agreement`). */
const TERMS_OF_USE_TYPE = /terms-?of-?use|agreement/i;

/**
 * Risks of one resource change: the describer's own, plus the rules that hold for every type. A removed
 * terms-of-use agreement is flagged once, on the top-most removed resource, not again on each child.
 * `removedUrns` are the base-plan URNs of every removed resource.
 */
export function risksOf(pair: ResourcePair, registry: DescriberRegistry, removedUrns: ReadonlySet<string>): Risk[] {
  const resource = pair.head ?? pair.base!;
  const context = pair.head ? pair.headContext : pair.baseContext;
  const risks = [...(describerFor(registry, resource, context).risks?.(pair) ?? [])];
  // An adopt ID added to, or changed on, a resource the base already declares: if the stack manages a different
  // object under that name, the engine deletes it and imports the named one (the import option's replace case).
  if (pair.base && pair.head?.adopts && pair.head.adopts !== pair.base.adopts) {
    risks.push({
      kind: "adoption-replaces",
      severity: "high",
      resource: pair.head.name,
      message: `${pair.head.name} now adopts ${pair.head.adopts}: if the stack already manages another object under this name, \`pulumi up\` deletes that one and takes this one over`,
    });
  }
  if (pair.base && !pair.head && isTermsOfUse(pair.base, pair.baseContext.parentOf(pair.base))) {
    const parent = pair.baseContext.parentOf(pair.base);
    const flaggedOnParent = !!parent && removedUrns.has(parent.urn) && isTermsOfUse(parent, pair.baseContext.parentOf(parent));
    if (!flaggedOnParent) {
      // Without allowDeletion the component retains the agreement (retainOnDelete): it leaves management, not the tenant.
      const agreement = pair.base.type.startsWith(DYNAMIC_PREFIX)
        ? pair.base
        : pair.baseContext.plan.resources.find((r) => r.parent === pair.base!.urn && r.type.startsWith(DYNAMIC_PREFIX));
      const deleted = agreement?.inputs.allowDeletion !== false;
      risks.push({
        kind: "terms-of-use-deleted",
        resource: pair.base.name,
        message: deleted
          ? `terms-of-use agreement "${pair.base.name}" is deleted: Entra deletes every user's acceptance record with it, and policies that require it can no longer be satisfied`
          : `terms-of-use agreement "${pair.base.name}" leaves the program: it stays in the tenant, unmanaged, with its acceptance records; policies that require it still do`,
      });
    }
  }
  return risks;
}

/** A terms-of-use type token, or a dynamic-provider resource inside a terms-of-use component. */
function isTermsOfUse(resource: PlannedResource, parent: PlannedResource | undefined): boolean {
  if (TERMS_OF_USE_TYPE.test(resource.type)) return true;
  return resource.type.startsWith(DYNAMIC_PREFIX) && !!parent && TERMS_OF_USE_TYPE.test(parent.type);
}
