/** How much a reviewer must worry: `high` can lock people out or open the tenant; `medium` weakens protection. */
export type Severity = "high" | "medium" | "low";

/** A change that can lock people out or weaken protection. Diffs list these first, most severe first. */
export interface Risk {
  /** Stable category, e.g. "policy-enabled", for CI rules and tests. */
  readonly kind: RiskKind;
  /** Logical name of the resource concerned. */
  readonly resource: string;
  /** What happens, in words a reviewer understands. */
  readonly message: string;
  /** @default by kind (SEVERITY), else "medium" */
  readonly severity?: Severity;
  /**
   * The same change as it reads across resources ("breakglass02@… is no longer excluded"): risks sharing a kind
   * and subject are shown as one line naming every resource. @default none (each risk stands alone)
   */
  readonly subject?: string;
}

export type RiskKind = "policy-enabled" | "protected-exclusion-removed" | "block-policy-widened" | "terms-of-use-deleted" | (string & {});

/**
 * Severity of the kinds whose risks do not carry their own. The named rules (risk-rules.ts and the describers'
 * newer risks) stamp theirs where they are defined, so each severity is written once.
 */
export const SEVERITY: Readonly<Record<string, Severity>> = {
  "protected-exclusion-removed": "high",
  "terms-of-use-deleted": "high",
  "policy-enabled": "medium",
  "block-policy-widened": "medium",
};

export function severityOf(risk: Risk): Severity {
  return risk.severity ?? SEVERITY[risk.kind] ?? "medium";
}
