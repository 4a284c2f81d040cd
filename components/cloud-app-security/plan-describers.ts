import type { DescribeContext, DescriberRegistry, ResourceDescriber } from "../../lib/plan/describers";
import type { Risk } from "../../lib/plan/risks";
import { TOKENS } from "../../lib/managed/tokens";
import { Fact, scalar, set } from "../../lib/plan/facts";
import type { CanonicalDefenderIntegrations, CanonicalFilter, CanonicalSessionPolicy } from "./payload";
import { DEFENDER_COMPLIANCE_PLATFORMS } from "./definition";
import {
  ComplianceGate,
  complianceGatesOf,
  GRANT_CONTROL_WORDS,
  INTEGRATION_SOURCES,
  PLATFORM_WORDS,
  RISK_SCORE_ORDER,
  RISK_SCORE_WORDS,
} from "./integrations";
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

/** How each integration setting reaches the tenant, in the plan's words (INTEGRATION_SOURCES has the pages). */
const BY_HAND = "applied by hand from the runbook";
const HOW = {
  noApiIdentity: `no switch since April 2023, the runbook checks the sensors (no API: ${INTEGRATION_SOURCES.identityFolded})`,
  noApiDefender: `${BY_HAND} (no API: ${INTEGRATION_SOURCES.advancedFeatures})`,
  graphNotYet: `${BY_HAND} (Graph v1.0 mobileThreatDefenseConnector can write it; not managed by m365-baseline yet)`,
  betaOnly: `${BY_HAND} (Graph has it in beta only: ${INTEGRATION_SOURCES.windowsComplianceBeta})`,
};

/**
 * The Defender integrations a tenant declares around session control: each setting in the portal's words, marked
 * with how it is applied, and what turns a machine risk score into a block (the compliance-requiring policies).
 */
const defenderIntegrations: ResourceDescriber = {
  kind: "Defender integrations",
  plural: "Defender integrations",
  order: 12,
  title: (r) => `${r.name} (${BY_HAND})`,
  facts: (r, context) => integrationFacts(r.inputs.integrations as CanonicalDefenderIntegrations, complianceGatesOf(context.plan)),
  risks: ({ base, head }) =>
    base && head
      ? integrationsRelaxed(head.name, base.inputs.integrations as CanonicalDefenderIntegrations, head.inputs.integrations as CanonicalDefenderIntegrations)
      : [],
};

function integrationFacts(i: CanonicalDefenderIntegrations, gates: readonly ComplianceGate[]): Fact[] {
  const facts: Fact[] = [];
  if (i.defenderForIdentity)
    facts.push(...scalar("Defender for Identity in Defender for Cloud Apps", `on, joined by the Microsoft Defender portal itself: ${HOW.noApiIdentity}`));
  const e = i.defenderForEndpoint;
  if (!e) return facts;
  if (!e.intuneConnection) {
    facts.push({
      key: "Microsoft Intune connection",
      label: "Microsoft Intune connection",
      value: `Off, so Intune compliance sees no machine risk: ${HOW.noApiDefender}`,
      warn: true,
    });
    return facts;
  }
  const level = RISK_SCORE_WORDS[e.maximumMachineRiskScore];
  facts.push(
    ...scalar("Microsoft Intune connection", `On (Defender portal › Settings › Endpoints › Advanced features): ${HOW.noApiDefender}`),
    ...scalar(
      "compliance policy evaluation",
      `${DEFENDER_COMPLIANCE_PLATFORMS.map((p) => `${PLATFORM_WORDS[p].toggle}: ${e.compliancePlatforms.includes(p) ? "On" : "Off"}`).join(", ")} ` +
        `(Intune › Endpoint security › Microsoft Defender for Endpoint): ${HOW.graphNotYet}`,
    ),
    ...scalar(
      "number of days until partner is unresponsive",
      e.partnerUnresponsiveAfterDays !== undefined ? `${e.partnerUnresponsiveAfterDays}: ${HOW.graphNotYet}` : undefined,
    ),
    {
      key: "require the device to be at or under the machine risk score",
      label: "require the device to be at or under the machine risk score",
      value:
        `${level} in every compliance policy for ${e.compliancePlatforms.map((p) => PLATFORM_WORDS[p].compliancePlatform).join(", ")}: ${HOW.betaOnly}` +
        (e.maximumMachineRiskScore === "high" ? "; High allows every threat level, so a compromised device stays compliant" : ""),
      ...(e.maximumMachineRiskScore === "high" ? { warn: true } : {}),
    },
    ...complianceCoverage(gates),
  );
  return facts;
}

/**
 * A machine risk score blocks nothing by itself: an enabled conditional-access policy must grant access with
 * "Require device to be marked as compliant" (Intune, "Create a Conditional Access policy"), and an "any of" grant
 * whose other control a compromised device can meet (hybrid joined, MFA) lets that device in regardless.
 */
function complianceCoverage(gates: readonly ComplianceGate[]): Fact[] {
  const facts: Fact[] = [];
  const enforced = gates.filter((g) => g.state === "enabled");
  if (enforced.length > 0) facts.push(...scalar("blocks a compromised device through", enforced.map((g) => g.displayName).join(", ")));
  else {
    const why =
      gates.length === 0
        ? "no conditional-access policy requires a compliant device"
        : `the policies that require a compliant device (${gates.map((g) => g.displayName).join(", ")}) are report-only or off`;
    facts.push({ key: "blocks a compromised device through", label: "blocks a compromised device through", value: `nothing yet: ${why}`, warn: true });
  }
  for (const g of gates.filter((x) => x.alsoAccepts.length > 0)) {
    facts.push({
      key: `also lets in: ${g.displayName}`,
      label: "also lets in",
      value: `${g.displayName} accepts ${g.alsoAccepts.map((c) => GRANT_CONTROL_WORDS[c] ?? c).join(" or ")} instead of a compliant device, so a compromised device that meets it still gets in`,
      warn: true,
    });
  }
  return facts;
}

/** A weaker declaration: the connection turned off, a platform no longer evaluated, or a higher risk score allowed. */
function integrationsRelaxed(resource: string, base: CanonicalDefenderIntegrations, head: CanonicalDefenderIntegrations): Risk[] {
  const [was, now] = [base.defenderForEndpoint, head.defenderForEndpoint];
  if (!was?.intuneConnection) return [];
  if (!now?.intuneConnection) {
    return [
      {
        kind: "device-risk-disconnected",
        severity: "high",
        resource,
        message: now
          ? "Microsoft Intune connection turned off: compliance policies no longer see Defender for Endpoint's machine risk, so a compromised device stays compliant"
          : "the Defender for Endpoint ↔ Intune integration is no longer declared: nothing in the baseline says compromised devices must lose compliance",
      },
    ];
  }
  const risks: Risk[] = [];
  const dropped = was.compliancePlatforms.filter((p) => !now.compliancePlatforms.includes(p));
  if (dropped.length > 0) {
    risks.push({
      kind: "device-risk-platform-removed",
      severity: "medium",
      resource,
      message: `${dropped.map((p) => PLATFORM_WORDS[p].compliancePlatform).join(", ")} no longer evaluated with Defender for Endpoint's machine risk`,
    });
  }
  if (RISK_SCORE_ORDER.indexOf(now.maximumMachineRiskScore) > RISK_SCORE_ORDER.indexOf(was.maximumMachineRiskScore)) {
    risks.push({
      kind: "device-risk-relaxed",
      severity: now.maximumMachineRiskScore === "high" ? "high" : "medium",
      resource,
      message: `maximum machine risk score ${RISK_SCORE_WORDS[was.maximumMachineRiskScore]} → ${RISK_SCORE_WORDS[now.maximumMachineRiskScore]}: devices with more serious threats stay compliant`,
    });
  }
  return risks;
}

export const describers: DescriberRegistry = {
  [SESSION_POLICY_TYPE]: sessionPolicy,
  [TOKENS.sessionComponent]: sessionComponent,
  "pulumi-nodejs:dynamic/m365-baseline:DefenderIpRange": ipRange,
  [TOKENS.defenderIntegrations]: defenderIntegrations,
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
