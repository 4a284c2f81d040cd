import * as path from "node:path";
import { ConditionalAccessPolicySet } from "../components/conditional-access";
import { diffPlans } from "../lib/plan/diff";
import { renderDiffMarkdown } from "../lib/plan/diff-markdown";
import { renderPlanMarkdown } from "../lib/plan/markdown";
import { Plan, recordPlan } from "../lib/plan/record";
import { defaultDescribers } from "../lib/plan/registry";
import { baselinePolicies } from "../stacks/baseline";
import { declareTenantStack } from "../stacks/program";
import type { TenantComposition } from "../stacks/registry";
import { BenchResult, measure } from "./measure";

const ROOT = path.resolve(__dirname, "..");
const STAMPED_TENANTS = 100;
/** First plan in a process (SDK and components loaded): what used to be "under 2 s", 5× the reference (≈ 0.4 s on 2 cores). */
const IN_PROCESS_PLAN_MAX_RATIO = 5;
/** 100 stamped tenants one after another: what used to be "under 20 s", 50× the reference. */
const STAMPED_MAX_RATIO = 50;

/** Settings of stamped tenant n: distinct IDs and names, the same shape as a real customer. */
function stampedConfig(n: number): Record<string, unknown> {
  const hex = n.toString(16).padStart(12, "0");
  return {
    "azuread:tenantId": `00000000-0000-4000-8000-${hex}`,
    "m365-baseline:tenant": {
      displayName: `Customer ${n}`,
      tenantId: `00000000-0000-4000-8000-${hex}`,
      directorySync: { accounts: [{ objectId: `11111111-0000-4000-8000-${hex}`, displayName: `Sync_DC${n}_0123456789ab` }] },
      breakGlass: { users: [{ objectId: `22222222-0000-4000-8000-${hex}`, displayName: `breakglass@customer${n}.onmicrosoft.com` }] },
    },
  };
}

/** Plans every stamped tenant, one after another in this process (each plan resets the Pulumi mocks). */
async function planStamped(mfaState: "reportOnly" | "enabled"): Promise<Plan[]> {
  const plans: Plan[] = [];
  for (let n = 1; n <= STAMPED_TENANTS; n++) {
    const stack = `customer-${n}`;
    const compose: TenantComposition = (tenant) =>
      void new ConditionalAccessPolicySet("conditional-access", {
        tenant,
        policies: baselinePolicies({ overrides: { "CA004-Global-AllApps-RequireMFA": { state: mfaState } } }),
      });
    plans.push(await recordPlan({ root: ROOT, stack, config: stampedConfig(n), program: (s) => declareTenantStack(s, { [s]: compose }) }));
  }
  return plans;
}

export async function bench(): Promise<BenchResult[]> {
  const registry = defaultDescribers();
  const results: BenchResult[] = [];
  // The first plan in a process also loads @pulumi/pulumi and the components: that is what a CLI run pays.
  for (const stack of ["contoso-hybrid", "fabrikam-cloud"]) {
    const { result, value: plan } = await measure(
      `plan ${stack} (JSON + Markdown)`,
      async () => {
        const plan = await recordPlan({ root: ROOT, stack });
        renderPlanMarkdown(plan, registry);
        return plan;
      },
      { maxRatio: IN_PROCESS_PLAN_MAX_RATIO },
    );
    results.push(result);
    results.push((await measure(`diff ${stack} against itself`, async () => renderDiffMarkdown(diffPlans(plan, plan, registry)))).result);
  }
  const base = await measure(`plan ${STAMPED_TENANTS} stamped tenants (baseline)`, () => planStamped("reportOnly"), { maxRatio: STAMPED_MAX_RATIO });
  results.push(base.result);
  const head = await measure(`plan ${STAMPED_TENANTS} stamped tenants (baseline change: CA004 enabled)`, () => planStamped("enabled"), {
    maxRatio: STAMPED_MAX_RATIO,
  });
  results.push(head.result);
  const diffs = await measure(`diff ${STAMPED_TENANTS} tenants (base → head, Markdown)`, async () =>
    base.value.map((plan, i) => renderDiffMarkdown(diffPlans(plan, head.value[i], registry))),
  );
  const flagged = diffs.value.filter((md) => md.includes("policy-enabled")).length;
  results.push({ ...diffs.result, note: `${flagged}/${STAMPED_TENANTS} diffs flag the enabled policy` });
  return results;
}
