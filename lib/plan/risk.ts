/** A change that can lock people out or weaken protection. Diffs list these first. */
export interface Risk {
  /** Stable category, e.g. "policy-enabled", for CI rules and tests. */
  readonly kind: RiskKind;
  /** Logical name of the resource concerned. */
  readonly resource: string;
  /** What happens, in words a reviewer understands. */
  readonly message: string;
}

export type RiskKind = "policy-enabled" | "protected-exclusion-removed" | "block-policy-widened" | "terms-of-use-deleted" | (string & {});
