import { GraphHttpError, GraphServer } from "../graph-server";

/** A policy already in the fake tenant, and when Graph's what-if would say it applies. */
export interface TenantPolicy {
  readonly displayName: string;
  readonly state: string;
  readonly applies: (body: EvaluateBody) => boolean;
}

export interface EvaluateBody {
  signInIdentity?: { "@odata.type"?: string; userId?: string };
  signInContext?: { "@odata.type"?: string; includeApplications?: string[]; userAction?: string };
  signInConditions?: { clientAppType?: string; devicePlatform?: string };
  appliedPoliciesOnly?: boolean;
}

/**
 * `POST /identity/conditionalAccess/evaluate` (v1.0): answers with one whatIfAnalysisResult per tenant policy in
 * collection "whatifPolicies", `policyApplies` decided by each policy's predicate. Refuses, as Graph does, a body
 * without a signInIdentity or signInContext.
 */
export function registerWhatifRoutes(server: GraphServer): void {
  const policies = server.collection<TenantPolicy>("whatifPolicies");
  server.route("POST", "/v1.0/identity/conditionalAccess/evaluate", (req) => {
    const body = (req.body ?? {}) as EvaluateBody;
    if (!body.signInIdentity?.userId || !body.signInContext?.["@odata.type"]) {
      throw new GraphHttpError(400, "BadRequest", "signInIdentity and signInContext are required.");
    }
    const value = [...policies.values()]
      .map((p) => ({ displayName: p.displayName, state: p.state, policyApplies: p.applies(body) }))
      .filter((r) => !body.appliedPoliciesOnly || r.policyApplies)
      .map((r) => ({ ...r, analysisReasons: r.policyApplies ? "notSet" : "users" }));
    return { status: 200, body: { value } };
  });
}
