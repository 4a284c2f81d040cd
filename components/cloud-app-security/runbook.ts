import { byLogicalName } from "../../lib/logical-order";
import { TOKENS } from "../../lib/managed/tokens";
import { createHash } from "node:crypto";
import { applicationLabel } from "../../lib/entra/well-known";
import type { Plan } from "../../lib/plan/record";
import type { CanonicalFilter, CanonicalSessionPolicy } from "./payload";
import type { ContentInspection, SessionPolicyAction } from "./definition";
import { DEFENDER_COMPLIANCE_PLATFORMS } from "./definition";
import {
  ComplianceGate,
  DeclaredIntegrations,
  GRANT_CONTROL_WORDS,
  INTEGRATION_SOURCES,
  integrationsOf,
  PLATFORM_WORDS,
  RISK_SCORE_WORDS,
  RunbookIntegrations,
} from "./integrations";

/** Type token of the component that carries one session policy's canonical JSON into plans. */
export const SESSION_POLICY_TYPE = TOKENS.sessionPolicy;
const CA_POLICY_TYPE = TOKENS.conditionalAccessPolicy;

/** The portal's own words for each declared value (Microsoft Defender portal, session policy form). */
const WORDS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  severity: { low: "Low", medium: "Medium", high: "High" },
  category: { dlp: "DLP", accessControl: "Access control", threatDetection: "Threat detection", compliance: "Compliance", sharingControl: "Sharing control" },
  controlType: {
    monitorOnly: "Monitor only",
    controlFileDownload: "Control file download (with inspection)",
    controlFileUpload: "Control file upload (with inspection)",
    blockActivities: "Block activities",
  },
  operator: { equals: "equals", doesNotEqual: "does not equal" },
  deviceTag: { intuneCompliant: "Intune compliant", hybridJoined: "Microsoft Entra hybrid joined", validClientCertificate: "Valid client certificate" },
  ipCategory: { corporate: "Corporate", administrative: "Administrative", risky: "Risky", vpn: "VPN", cloudProvider: "Cloud provider", other: "Other" },
  activity: { print: "Print", copy: "Copy", cut: "Cut", paste: "Paste", sendItem: "Send item", share: "Share", unshare: "Unshare", edit: "Edit" },
};
/** The portal's words, for plans and diffs too; `ipCategoryById` follows the data-enrichment API's numbering. */
export const portalWords: Readonly<Record<string, Readonly<Record<string, string>>>> & { readonly ipCategoryById: Readonly<Record<number, string>> } = {
  ...WORDS,
  ipCategoryById: { 1: "Corporate", 2: "Administrative", 3: "Risky", 4: "VPN", 5: "Cloud provider", 6: "Other" } as Readonly<Record<number, string>>,
};
/** App names as the portal's App filter lists them (also the app values of the session-policy export). */
export const PORTAL_APP_NAMES: Readonly<Record<string, string>> = {
  Office365: "Office 365",
  "Exchange Online": "Microsoft Exchange Online",
  "SharePoint Online": "Microsoft SharePoint Online",
  "Microsoft Teams": "Microsoft Teams",
};

/** A conditional-access policy that routes sessions, as the runbook's preamble lists it. */
export interface RoutingSummary {
  readonly displayName: string;
  readonly mode: string;
  readonly state: string;
}

/**
 * The administrator's runbook for one tenant, from a recorded plan (`plan --json`): the portal steps for each
 * declared session policy, field by field, then the declared Defender integrations. Pure; the CLI writes it to a
 * file per tenant.
 */
export function renderSessionPolicyRunbook(plan: Plan): string {
  const policies = plan.resources.filter((r) => r.type === SESSION_POLICY_TYPE).map((r) => r.inputs.sessionPolicy as CanonicalSessionPolicy); // written by DefenderSessionPolicy from this same type
  const routes = plan.resources
    .filter((r) => r.type === CA_POLICY_TYPE)
    .map((r) => r.inputs as { displayName?: string; state?: string; sessionControls?: { cloudAppSecurityPolicy?: string } })
    .filter((i) => i.sessionControls?.cloudAppSecurityPolicy)
    .map((i) => ({ displayName: i.displayName ?? "", mode: i.sessionControls!.cloudAppSecurityPolicy!, state: i.state ?? "" }));
  return renderRunbook(plan.stack, policies, routes, integrationsOf(plan));
}

/** The runbook from canonical policies directly (what `renderSessionPolicyRunbook` does after reading the plan). */
export function renderRunbook(
  stack: string,
  policies: readonly CanonicalSessionPolicy[],
  routes: readonly RoutingSummary[] = [],
  integrations: RunbookIntegrations = { declared: [], complianceGates: [] },
): string {
  const ordered = byLogicalName(policies);
  const out = [
    `# Defender for Cloud Apps session policies for tenant stack \`${stack}\``,
    "",
    "Microsoft offers no supported API for session policies, so m365-baseline declares them and an administrator applies them here.",
    "Enter every field exactly as written. If the portal shows something this runbook does not mention, stop and ask the reviewer.",
    "",
  ];
  const integrationSteps = integrations.declared.flatMap((d) => renderIntegrations(d, integrations.complianceGates));
  if (ordered.length === 0) return [...out, "This tenant declares no session policies.", "", ...integrationSteps].join("\n");
  out.push("## Before you start", "");
  if (routes.length === 0) {
    out.push(
      "- ⚠️ No conditional-access policy in this plan routes sessions to Conditional Access App Control; these session policies will not apply until one does.",
    );
  }
  for (const r of [...routes].sort((a, b) => a.displayName.localeCompare(b.displayName))) {
    const note =
      r.state === "enabled" ? "" : ` — it is **${r.state === "enabledForReportingButNotEnforced" ? "report-only" : r.state}**, so sessions are not routed yet`;
    out.push(`- Conditional-access policy **${md(r.displayName)}** routes browser sessions with **${routeWords(r.mode)}**${note}.`);
  }
  out.push("- Sign in to the Microsoft Defender portal (https://security.microsoft.com) as a Security Administrator.", "");
  ordered.forEach((p, i) => out.push(...renderPolicy(p, i + 1), ""));
  return [...out, ...integrationSteps].join("\n");
}

/**
 * The "Integrations" section for one `DefenderIntegrations` declaration: portal steps in the portals' words, why
 * each matters, and the Graph request where Graph v1.0 can do the same (sources: INTEGRATION_SOURCES).
 */
function renderIntegrations(declared: DeclaredIntegrations, gates: readonly ComplianceGate[]): string[] {
  const { defenderForIdentity, defenderForEndpoint } = declared.integrations;
  const out = [
    `## Integrations (\`${declared.name}\`)`,
    "",
    `Declaration fingerprint: \`${fingerprintOf(declared.integrations)}\` (note it in your change record; it changes whenever the declaration does).`,
    "",
    "m365-baseline applies none of these settings: the Microsoft Defender portal switches have no API, and the Intune settings are not yet written through Microsoft Graph. Apply them here.",
    "",
  ];
  if (defenderForIdentity) {
    out.push(
      "### Microsoft Defender for Identity ↔ Defender for Cloud Apps",
      "",
      "Why: Defender for Cloud Apps then sees each user's on-premises Active Directory activities and alerts next to their cloud activity, so risky behaviour on either side counts against the same user.",
      "",
      `1. There is no switch to set. Since April 2023 the Microsoft Defender portal joins Defender for Identity data with Defender for Cloud Apps itself: Microsoft removed **Settings › Microsoft Defender for Identity** ("Enable Microsoft Defender for Identity data integration") from Defender for Cloud Apps, and there is no API for it (${INTEGRATION_SOURCES.identityFolded}, release 251–252).`,
      `2. In the Microsoft Defender portal (https://security.microsoft.com), go to **Settings › Identities** and check that a sensor is listed for each domain controller and that **Health issues** shows none open: without a reporting sensor there is nothing to join (${INTEGRATION_SOURCES.identityInDefender}).`,
      "",
    );
  }
  if (defenderForEndpoint) {
    out.push("### Microsoft Defender for Endpoint ↔ Microsoft Intune", "");
    if (!defenderForEndpoint.intuneConnection) {
      out.push(
        `1. In the Microsoft Defender portal (https://security.microsoft.com), go to **Settings › Endpoints › Advanced features**, set **Microsoft Intune connection** to **Off**, and select **Save preferences** (no API: ${INTEGRATION_SOURCES.advancedFeatures}).`,
        `2. In the Microsoft Intune admin center (https://intune.microsoft.com), go to **Endpoint security › Microsoft Defender for Endpoint** and, under **Compliance policy evaluation**, set ${DEFENDER_COMPLIANCE_PLATFORMS.map((p) => `**${PLATFORM_WORDS[p].toggle}**`).join(", ")} to Microsoft Defender for Endpoint to **Off**; select **Save**.`,
        "",
      );
      return out;
    }
    const declaredPlatforms = defenderForEndpoint.compliancePlatforms;
    const level = RISK_SCORE_WORDS[defenderForEndpoint.maximumMachineRiskScore];
    const toggles = DEFENDER_COMPLIANCE_PLATFORMS.map(
      (p) => `**${PLATFORM_WORDS[p].toggle}** to Microsoft Defender for Endpoint: **${declaredPlatforms.includes(p) ? "On" : "Off"}**`,
    );
    const patch = Object.fromEntries([
      ...DEFENDER_COMPLIANCE_PLATFORMS.map((p) => [PLATFORM_WORDS[p].graph, declaredPlatforms.includes(p)]),
      ...(defenderForEndpoint.partnerUnresponsiveAfterDays !== undefined
        ? [["partnerUnresponsivenessThresholdInDays", defenderForEndpoint.partnerUnresponsiveAfterDays]]
        : []),
    ]);
    out.push(
      "Why: an Intune compliance policy can require a maximum machine risk score only when Defender for Endpoint reports each device's risk to Intune. " +
        "A device above that score is marked noncompliant, and a conditional-access policy that grants access with **Require device to be marked as compliant** then blocks it until Defender for Endpoint clears it.",
      "",
      `1. In the Microsoft Defender portal (https://security.microsoft.com), as a Security Administrator, go to **Settings › Endpoints › Advanced features**, set **Microsoft Intune connection** to **On**, and select **Save preferences**. No API: Microsoft documents this switch in the portal only (${INTEGRATION_SOURCES.advancedFeatures}).`,
      "2. In the Microsoft Intune admin center (https://intune.microsoft.com), with the Endpoint Security Manager role (or Read and Modify on Mobile Threat Defense), go to **Endpoint security › Microsoft Defender for Endpoint** and check that **Connection status** reads **Enabled**; if it does not, step 1 has not taken effect yet.",
      `3. Under **Compliance policy evaluation**, set:${list(toggles)}`,
      defenderForEndpoint.partnerUnresponsiveAfterDays !== undefined
        ? `4. **Number of days until partner is unresponsive:** ${defenderForEndpoint.partnerUnresponsiveAfterDays} (Intune ignores the compliance state of an unresponsive partner, ${INTEGRATION_SOURCES.mtdToggles}).`
        : "4. **Number of days until partner is unresponsive:** not declared; leave it as it is.",
      "5. Select **Save**.",
      "",
      `   Graph v1.0 can make the same change to steps 3 and 4 (\`DeviceManagementServiceConfig.ReadWrite.All\`, ${INTEGRATION_SOURCES.mtdConnectorUpdate}). ` +
        "Find the Defender for Endpoint connector with `GET https://graph.microsoft.com/v1.0/deviceManagement/mobileThreatDefenseConnectors` " +
        "(Microsoft documents no fixed ID; Microsoft365DSC knows it as `fc780465-2017-40d4-a0c5-307022471b92`), then:",
      "",
      "   ```http",
      "   PATCH https://graph.microsoft.com/v1.0/deviceManagement/mobileThreatDefenseConnectors/{id}",
      "   Content-Type: application/json",
      "",
      `   ${JSON.stringify(patch)}`,
      "   ```",
      "",
      `6. Go to **Devices › Compliance**, **Policies** tab. In every compliance policy for ${declaredPlatforms.map((p) => `**${PLATFORM_WORDS[p].compliancePlatform}**`).join(", ")} assigned to your users' devices ` +
        `(create one per platform if there is none), set **Compliance settings › Microsoft Defender for Endpoint › Require the device to be at or under the machine risk score** to **${level}**, and save. ` +
        `Graph has these settings in beta only (\`windows10CompliancePolicy.deviceThreatProtectionEnabled\` with \`deviceThreatProtectionRequiredSecurityLevel\`, \`advancedThreatProtectionRequiredSecurityLevel\` for Android and iOS; ${INTEGRATION_SOURCES.windowsComplianceBeta}), so set them here.`,
      ...(defenderForEndpoint.maximumMachineRiskScore === "high"
        ? [
            "   ⚠️ **High** allows every threat level: a compromised device stays compliant, so this step protects nothing. Ask the reviewer before applying it.",
          ]
        : []),
      `7. Check the conditional-access side in this plan:${list(gateLines(gates))}`,
      "",
    );
  }
  return out;
}

/** What each compliance-requiring conditional-access policy in the plan does with a noncompliant device. */
function gateLines(gates: readonly ComplianceGate[]): string[] {
  if (gates.length === 0)
    return [
      "⚠️ No conditional-access policy in this plan requires **Require device to be marked as compliant**: a device above the risk score becomes noncompliant but nothing blocks it.",
    ];
  return gates.map((g) => {
    const state =
      g.state === "enabled"
        ? "it is **On**"
        : `it is **${g.state === "enabledForReportingButNotEnforced" ? "Report-only" : g.state === "disabled" ? "Off" : md(g.state)}**, so it blocks nothing yet`;
    const alternatives = g.alsoAccepts.length
      ? `; ⚠️ it also accepts ${g.alsoAccepts.map((c) => `**${GRANT_CONTROL_WORDS[c] ?? md(c)}**`).join(" or ")} (**Require one of the selected controls**), so a compromised device that meets that still gets in`
      : "";
    return `**${md(g.displayName)}** requires **Require device to be marked as compliant**: ${state}${alternatives}.`;
  });
}

function renderPolicy(p: CanonicalSessionPolicy, index: number): string[] {
  const steps: string[] = [
    "Go to **Cloud Apps › Policies › Policy management**, select the **Conditional access** tab, then **Create policy › Session policy**. " +
      `If a session policy named **${md(p.displayName)}** already exists, open it instead and correct every field below.`,
    "**Policy template:** No template",
    `**Policy name:** ${md(p.displayName)}`,
    `**Description:** ${p.description ? md(p.description) : "leave empty"}`,
    `**Policy severity:** ${WORDS.severity[p.severity]}`,
    `**Category:** ${WORDS.category[p.category]}`,
    `**Session control type:** ${WORDS.controlType[p.controlType]}`,
    `**Activity source › Activities matching all of the following:**${list(activityLines(p))}`,
  ];
  if (p.controlType === "controlFileDownload" || p.controlType === "controlFileUpload") {
    steps.push(`**Files matching all of the following:**${list(fileLines(p))}`);
    steps.push(...inspectionSteps(p.contentInspection));
  }
  steps.push(...actionSteps(p.controlType, p.action));
  steps.push(
    p.alerts.enabled
      ? `**Alerts:** select **Create an alert for each matching event with the policy's severity**; **Daily alert limit:** ${p.alerts.dailyLimit}` +
          (p.alerts.emailRecipients?.length ? `; **Send alert as email** to ${p.alerts.emailRecipients.map(md).join(", ")}` : "")
      : "**Alerts:** leave **Create an alert for each matching event with the policy's severity** cleared",
    "Select **Create** (or **Update**), then check that the policy list shows it as enabled.",
  );
  return [
    `## ${index}. ${md(p.displayName)} (\`${p.name}\`)`,
    "",
    `Declaration fingerprint: \`${fingerprint(p)}\` (note it in your change record; it changes whenever the declaration does).`,
    "",
    ...steps.map((s, i) => `${i + 1}. ${s}`),
  ];
}

function activityLines(p: CanonicalSessionPolicy): string[] {
  const a = p.activities;
  const lines: string[] = [];
  if (a.deviceTags) lines.push(filterLine("Device › Tag", a.deviceTags, WORDS.deviceTag));
  if (a.ipCategories) lines.push(filterLine("IP address › Category", a.ipCategories, WORDS.ipCategory));
  if (a.ipRanges) lines.push(filterLine("IP address › Raw IP address", a.ipRanges));
  if (a.locations) lines.push(filterLine("Location", a.locations));
  if (a.isps) lines.push(filterLine("Registered ISP", a.isps));
  if (a.userGroups) lines.push(filterLine("User › From group", a.userGroups));
  lines.push(
    a.apps
      ? `**App** equals ${a.apps.map((id) => `**${md(portalAppName(id))}**`).join(" or ")}`
      : "**App**: no filter (every app routed by conditional access)",
  );
  if (a.activityTypes) lines.push(`**Activity type** equals ${a.activityTypes.map((t) => `**${WORDS.activity[t] ?? md(t)}**`).join(" or ")}`);
  return lines;
}

function fileLines(p: CanonicalSessionPolicy): string[] {
  const f = p.files ?? {};
  const lines: string[] = [];
  if (f.sensitivityLabels) lines.push(filterLine("Sensitivity label", f.sensitivityLabels));
  if (f.extensions) lines.push(filterLine("Extension", f.extensions));
  if (f.nameContains) lines.push(`**File name** contains ${f.nameContains.map((n) => `**${md(n)}**`).join(" or ")}`);
  if (lines.length === 0) lines.push("no file filter (every file)");
  return lines;
}

function inspectionSteps(c: ContentInspection | undefined): string[] {
  if (!c) return ["**Inspection method:** None"];
  switch (c.method) {
    case "dataClassificationService":
      return [
        `**Inspection method:** Data Classification Service; **Choose inspection type:** Sensitive information type: ${c.sensitiveInformationTypes.map((t) => `**${md(t)}**`).join(", ")}`,
        uninspectable(c.uninspectableFiles),
      ];
    case "customExpression":
      return [
        `**Inspection method:** Built-in DLP; select **Include files that match a custom expression** and enter **${md(c.expression)}** (as a string, not a regular expression)`,
        uninspectable(c.uninspectableFiles),
      ];
    case "malwareDetection":
      return ["**Inspection method:** Malware Detection"];
  }
}

function uninspectable(handling: string | undefined): string {
  return handling === "block"
    ? "**Files that cannot be inspected** (for example encrypted files): select the option to **block** them"
    : "**Files that cannot be inspected** (for example encrypted files): leave them **allowed** (do not select the block option)";
}

function actionSteps(controlType: string, a: SessionPolicyAction): string[] {
  if (controlType === "monitorOnly") return ["**Actions:** none (Monitor only has no actions)"];
  switch (a.kind) {
    case "test":
      return ["**Actions:** Test"];
    case "block":
      return [`**Actions:** Block${blockMessage(a.customBlockMessage)}`];
    case "protect":
      return [
        `**Actions:** Protect › **Apply sensitivity label:** ${md(a.sensitivityLabel)}`,
        a.blockUnprotectableFiles
          ? `Select **Block download of any file that is unsupported by native protection or where native protection is unsuccessful**${blockMessage(a.customBlockMessage)}`
          : "Leave **Block download of any file that is unsupported by native protection or where native protection is unsuccessful** cleared",
      ];
  }
}

function blockMessage(message: string | undefined): string {
  return message
    ? `; select **Customize block message** and enter exactly:\n\n   > ${md(message)}\n`
    : " (default block message: leave **Customize block message** cleared)";
}

function filterLine(label: string, f: CanonicalFilter, words: Readonly<Record<string, string>> = {}): string {
  return `**${label}** ${WORDS.operator[f.operator]} ${f.values.map((v) => `**${md(words[v] ?? v)}**`).join(" or ")}`;
}

function list(lines: readonly string[]): string {
  return lines.map((l) => `\n   - ${l}`).join("");
}

function portalAppName(id: string): string {
  const label = applicationLabel(id);
  if (id === "Office365") return PORTAL_APP_NAMES.Office365;
  return PORTAL_APP_NAMES[label] ?? `the app with client ID ${id}`;
}

function routeWords(mode: string): string {
  const words: Record<string, string> = { mcasConfigured: "Use custom policy", monitorOnly: "Monitor only", blockDownloads: "Block downloads" };
  return `Use Conditional Access App Control › ${words[mode] ?? mode}`;
}

/** Short hash of the canonical JSON, so an administrator can record which version of a declaration was applied. */
export function fingerprint(p: CanonicalSessionPolicy): string {
  return fingerprintOf(p);
}

/** The same short hash for any canonical declaration (the integrations use it too). */
export function fingerprintOf(value: unknown): string {
  return createHash("sha256").update(stableJson(value)).digest("hex").slice(0, 12);
}

/** JSON with keys sorted at every level: a policy read back from a plan hashes like the one declared. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (value && typeof value === "object") {
    const o = value as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Escapes the Markdown characters that would change how a declared value renders. */
export function md(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`).replace(/\r?\n/g, " ");
}
