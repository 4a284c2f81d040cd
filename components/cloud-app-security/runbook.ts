import { byLogicalName } from "../../lib/logical-order";
import { TOKENS } from "../../lib/managed/tokens";
import { createHash } from "node:crypto";
import { applicationLabel } from "../../lib/entra/well-known";
import type { Plan } from "../../lib/plan/record";
import type { CanonicalFilter, CanonicalSessionPolicy } from "./payload";
import type { ContentInspection, SessionPolicyAction } from "./definition";

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
 * declared session policy, field by field. Pure; the CLI writes it to a file per tenant.
 */
export function renderSessionPolicyRunbook(plan: Plan): string {
  const policies = plan.resources.filter((r) => r.type === SESSION_POLICY_TYPE).map((r) => r.inputs.sessionPolicy as CanonicalSessionPolicy); // written by DefenderSessionPolicy from this same type
  const routes = plan.resources
    .filter((r) => r.type === CA_POLICY_TYPE)
    .map((r) => r.inputs as { displayName?: string; state?: string; sessionControls?: { cloudAppSecurityPolicy?: string } })
    .filter((i) => i.sessionControls?.cloudAppSecurityPolicy)
    .map((i) => ({ displayName: i.displayName ?? "", mode: i.sessionControls!.cloudAppSecurityPolicy!, state: i.state ?? "" }));
  return renderRunbook(plan.stack, policies, routes);
}

/** The runbook from canonical policies directly (what `renderSessionPolicyRunbook` does after reading the plan). */
export function renderRunbook(stack: string, policies: readonly CanonicalSessionPolicy[], routes: readonly RoutingSummary[] = []): string {
  const ordered = byLogicalName(policies);
  const out = [
    `# Defender for Cloud Apps session policies for tenant stack \`${stack}\``,
    "",
    "Microsoft offers no supported API for session policies, so m365-baseline declares them and an administrator applies them here.",
    "Enter every field exactly as written. If the portal shows something this runbook does not mention, stop and ask the reviewer.",
    "",
  ];
  if (ordered.length === 0) return [...out, "This tenant declares no session policies.", ""].join("\n");
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
  return out.join("\n");
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
  return createHash("sha256").update(stableJson(p)).digest("hex").slice(0, 12);
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
