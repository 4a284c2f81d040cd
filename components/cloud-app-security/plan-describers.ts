import type { DescribeContext, DescriberRegistry, ResourceDescriber } from "../../lib/plan/describers";
import type { Risk } from "../../lib/plan/risks";
import { TOKENS } from "../../lib/managed/tokens";
import { Fact, scalar, set } from "../../lib/plan/facts";
import type { CanonicalFilter, CanonicalSessionPolicy } from "./payload";
import { portalWords, SESSION_POLICY_TYPE } from "./runbook";
import { applicationLabel } from "../../lib/entra/well-known";

/** Plans and diffs describe session policies and IP ranges in the portal's words (loaded by lib/plan/registry.ts). */
const sessionPolicy: ResourceDescriber = {
  kind: "Defender for Cloud Apps session policy",
  order: 10,
  title: (r) => `${(r.inputs.sessionPolicy as CanonicalSessionPolicy).displayName} (applied by hand from the runbook)`,
  facts: (r, context) => [...sessionPolicyFacts(r.inputs.sessionPolicy as CanonicalSessionPolicy), ...routingCoverage(context)],
  risks: ({ base, head }) =>
    base && head ? sessionPolicyRelaxed(base.inputs.sessionPolicy as CanonicalSessionPolicy, head.inputs.sessionPolicy as CanonicalSessionPolicy) : [],
};

/**
 * Coverage: a session policy acts only on sessions that an enabled conditional-access policy routes to Defender for
 * Cloud Apps (Conditional Access App Control); report-only and disabled policies enforce no control, session controls
 * included (Microsoft Entra, "Conditional Access report-only mode"). A plan where no enabled policy routes sessions
 * says so on every session policy.
 */
function routingCoverage(context: DescribeContext): Fact[] {
  const routes = context.plan.resources.filter(
    (r) => r.type === TOKENS.conditionalAccessPolicy && (r.inputs.sessionControls as { cloudAppSecurityPolicy?: string } | undefined)?.cloudAppSecurityPolicy,
  );
  const enforced = routes.filter((r) => r.inputs.state === "enabled");
  if (enforced.length > 0) return scalar("sessions routed by", enforced.map((r) => String(r.inputs.displayName ?? r.name)).join(", "));
  const why =
    routes.length === 0
      ? "no conditional-access policy routes sessions to Defender for Cloud Apps"
      : `the routing policy (${routes.map((r) => String(r.inputs.displayName ?? r.name)).join(", ")}) is report-only or disabled, and report-only policies route no session`;
  return [{ key: "coverage", label: "acts on", value: `no session yet: ${why}`, warn: true }];
}

/** How strongly an action stops a download: block > protect (label, or block if it cannot) > test (monitor only). */
const ACTION_STRENGTH: Readonly<Record<string, number>> = { test: 0, protect: 1, block: 2 };

/**
 * A session policy's action weakened (block → protect or monitor, protect → monitor), or its protect action stops
 * blocking files it cannot label; or its activity filter changed, which a reviewer must read (it may narrow it).
 */
function sessionPolicyRelaxed(base: CanonicalSessionPolicy, head: CanonicalSessionPolicy): Risk[] {
  const risks: Risk[] = [];
  const name = head.displayName;
  const [was, now] = [base.action as { kind: string; blockUnprotectableFiles?: boolean }, head.action as { kind: string; blockUnprotectableFiles?: boolean }];
  if ((ACTION_STRENGTH[now.kind] ?? 0) < (ACTION_STRENGTH[was.kind] ?? 0)) {
    risks.push({
      kind: "session-policy-relaxed",
      severity: "high",
      resource: head.name,
      message: `session policy "${name}": ${was.kind} → ${now.kind === "test" ? "monitor only" : now.kind}`,
    });
  } else if (was.kind === "protect" && now.kind === "protect" && was.blockUnprotectableFiles && !now.blockUnprotectableFiles) {
    risks.push({
      kind: "session-policy-relaxed",
      severity: "high",
      resource: head.name,
      message: `session policy "${name}": files that cannot be labelled now download unprotected`,
    });
  }
  if (JSON.stringify(base.activities) !== JSON.stringify(head.activities)) {
    risks.push({
      kind: "session-policy-filter-changed",
      severity: "medium",
      resource: head.name,
      message: `session policy "${name}": its activity filter changed; check it still covers what it did`,
    });
  }
  return risks;
}

const ipRange: ResourceDescriber = {
  kind: "Defender for Cloud Apps IP range",
  order: 11,
  title: (r) => String((r.inputs.rule as { name?: string } | undefined)?.name ?? r.name),
  facts: (r) => {
    const rule = (r.inputs.rule ?? {}) as { category?: number; subnets?: string[]; organization?: string; tags?: string[] };
    return [
      ...scalar("category", portalWords.ipCategoryById[rule.category ?? 0] ?? String(rule.category)),
      ...set("IP address ranges", rule.subnets),
      ...scalar("registered ISP override", rule.organization),
      ...set("tags", rule.tags),
      ...scalar("API URL", r.inputs.apiUrl as string | undefined),
    ];
  },
};

const sessionComponent: ResourceDescriber = { kind: "Defender for Cloud Apps session control", hidden: true, facts: () => [] };

export const describers: DescriberRegistry = {
  [SESSION_POLICY_TYPE]: sessionPolicy,
  [TOKENS.sessionComponent]: sessionComponent,
  "pulumi-nodejs:dynamic/m365-baseline:DefenderIpRange": ipRange,
};

function sessionPolicyFacts(p: CanonicalSessionPolicy): Fact[] {
  const w = portalWords;
  const a = p.activities;
  const filter = (label: string, f: CanonicalFilter | undefined, words: Readonly<Record<string, string>> = {}): Fact[] =>
    f
      ? set(
          `${label} ${w.operator[f.operator]}`,
          f.values.map((v) => words[v] ?? v),
          label,
        )
      : [];
  const action = p.action;
  return [
    ...scalar("policy name", p.displayName),
    ...scalar("description", p.description),
    ...scalar("severity", w.severity[p.severity]),
    ...scalar("category", w.category[p.category]),
    ...scalar("session control type", w.controlType[p.controlType]),
    ...filter("device tag", a.deviceTags, w.deviceTag),
    ...filter("IP address category", a.ipCategories, w.ipCategory),
    ...filter("raw IP address", a.ipRanges),
    ...filter("location", a.locations),
    ...filter("registered ISP", a.isps),
    ...filter("user from group", a.userGroups),
    ...set("apps", a.apps?.map(applicationLabel)),
    ...set(
      "activity types",
      a.activityTypes?.map((t) => w.activity[t] ?? t),
    ),
    ...filter("sensitivity label", p.files?.sensitivityLabels),
    ...filter("extension", p.files?.extensions),
    ...set("file name contains", p.files?.nameContains),
    ...scalar("inspection", p.contentInspection ? JSON.stringify(p.contentInspection) : undefined),
    ...scalar("action", action.kind === "protect" ? `Protect with label "${action.sensitivityLabel}"` : action.kind === "block" ? "Block" : "Test"),
    ...scalar("block unprotectable files", action.kind === "protect" ? String(action.blockUnprotectableFiles) : undefined),
    ...scalar("custom block message", action.kind !== "test" ? action.customBlockMessage : undefined),
    ...scalar("alerts", p.alerts.enabled ? `on, daily limit ${p.alerts.dailyLimit}` : "off"),
    ...set("alert email recipients", p.alerts.emailRecipients),
  ];
}
