import { TOKENS } from "../../lib/managed/tokens";
import * as azuread from "@pulumi/azuread";
import * as pulumi from "@pulumi/pulumi";
import { ProblemList } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { PolicyDefinition } from "./definition";
import { buildPolicyPayload, PolicyReview } from "./payload";
import { validatePolicy } from "./validate";

export interface ConditionalAccessPolicyArgs {
  /** The tenant's validated settings: the source of the built-in sync and break-glass exclusions. */
  readonly tenant: TenantSettings;
  /** The policy as authored (see `PolicyDefinition`, or a catalog function such as `requireMfaForAllUsers`). */
  readonly definition: PolicyDefinition;
  /** IDs of named locations declared alongside, by logical name, for `definition.locations`. @default {} */
  readonly namedLocations?: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * One Entra ID conditional-access policy (portal: Protection › Conditional Access › Policies), declared through
 * `azuread.ConditionalAccessPolicy` with the tenant's directory-sync and break-glass exclusions always applied.
 * Invalid definitions throw before anything is declared, naming the tenant, the policy and the field.
 */
export class ConditionalAccessPolicy extends pulumi.ComponentResource {
  /** The policy's object ID in Entra. */
  readonly policyId: pulumi.Output<string>;
  /** The state as Graph knows it (`enabled`, `enabledForReportingButNotEnforced`, `disabled`). */
  readonly state: pulumi.Output<string>;
  /** Exclusions and opt-outs, as plans and diffs show them. */
  readonly review: PolicyReview;
  /** The azuread resource that writes the policy. */
  readonly resource: azuread.ConditionalAccessPolicy;

  constructor(name: string, args: ConditionalAccessPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = new ProblemList();
    validatePolicy(args.definition, args.tenant, problems, new Set(Object.keys(args.namedLocations ?? {})));
    problems.throwIfAny();
    const locations = args.namedLocations ?? {};
    const payload = buildPolicyPayload(args.definition, args.tenant, (v) => (typeof v === "string" && locations[v]) || v);

    // The review travels as this component's input so offline plans can show opt-out reasons and names.
    super(TOKENS.conditionalAccessComponent, name, { review: payload.review }, opts);
    this.review = payload.review;

    // A component's dependsOn does not reach its children; the child is what writes to Graph, so it must carry
    // the ordering itself (see ConditionalAccessPolicySet for why writes are ordered).
    // An existing policy named in the tenant's `adopt` settings is imported by ID, then brought to the declaration.
    const adopt = args.tenant.adopt?.conditionalAccessPolicies?.[args.definition.name];
    const policy = new azuread.ConditionalAccessPolicy(args.definition.name, payload.args, {
      parent: this,
      dependsOn: opts?.dependsOn,
      ...(adopt ? { import: adopt } : {}),
    });
    this.resource = policy;
    this.policyId = policy.id;
    this.state = policy.state;
    this.registerOutputs({ policyId: this.policyId, state: this.state, review: this.review });
  }
}
