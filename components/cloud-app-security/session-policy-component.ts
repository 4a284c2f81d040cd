import * as pulumi from "@pulumi/pulumi";
import type { CanonicalSessionPolicy } from "./payload";
import { fingerprint, SESSION_POLICY_TYPE } from "./runbook";

export interface DefenderSessionPolicyArgs {
  /** The validated policy in its canonical form (see `canonicalSessionPolicy`). */
  readonly sessionPolicy: CanonicalSessionPolicy;
}

/**
 * One Defender for Cloud Apps session policy (portal: Cloud Apps › Policies › Policy management › Conditional
 * access). It declares no cloud resource, because no supported API exists: its only job is to carry the canonical
 * JSON as a component input, which is how it reaches `plan` output and `diff`, keyed by its logical name.
 */
export class DefenderSessionPolicy extends pulumi.ComponentResource {
  /** Short hash of the declaration, shown in the runbook so an administrator can record what was applied. */
  readonly fingerprint: string;

  constructor(name: string, args: DefenderSessionPolicyArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SESSION_POLICY_TYPE, name, { sessionPolicy: args.sessionPolicy }, opts);
    this.fingerprint = fingerprint(args.sessionPolicy);
    this.registerOutputs({ fingerprint: this.fingerprint });
  }
}
