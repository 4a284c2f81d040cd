import { TOKENS } from "../../lib/managed/tokens";
import type { Plan } from "../../lib/plan/record";
import type { DefenderCompliancePlatform, MachineRiskScore } from "./definition";
import type { CanonicalDefenderIntegrations } from "./payload";

/** Microsoft's pages each statement about these integrations rests on (quoted in plans, the runbook and docs). */
export const INTEGRATION_SOURCES = {
  /** Defender for Cloud Apps release 251–252 (30 April 2023): Settings › Microsoft Defender for Identity is folded into the Defender portal. */
  identityFolded: "https://learn.microsoft.com/defender-cloud-apps/release-note-archive",
  /** Defender for Identity in the Microsoft Defender portal: Settings › Identities, health issues, no separate portal. */
  identityInDefender: "https://learn.microsoft.com/defender-for-identity/microsoft-365-security-center-mdi",
  /** Defender for Endpoint advanced features, "Microsoft Intune connection": a portal procedure only. */
  advancedFeatures: "https://learn.microsoft.com/defender-endpoint/advanced-features",
  /** Intune: connect Defender for Endpoint, compliance policy evaluation, machine risk score, conditional access. */
  intuneIntegration: "https://learn.microsoft.com/intune/intune-service/protect/advanced-threat-protection-configure",
  /** Intune: Mobile Threat Defense connector toggles, "Number of days until partner is unresponsive". */
  mtdToggles: "https://learn.microsoft.com/intune/intune-service/protect/mtd-connector-enable",
  /** Graph v1.0 mobileThreatDefenseConnector (windowsEnabled, androidEnabled, iosEnabled, partnerUnresponsivenessThresholdInDays). */
  mtdConnectorGraph: "https://learn.microsoft.com/graph/api/resources/intune-onboarding-mobilethreatdefenseconnector?view=graph-rest-1.0",
  /** Graph v1.0 "Update mobileThreatDefenseConnector" (PATCH, DeviceManagementServiceConfig.ReadWrite.All, delegated or application). */
  mtdConnectorUpdate: "https://learn.microsoft.com/graph/api/intune-onboarding-mobilethreatdefenseconnector-update?view=graph-rest-1.0",
  /** Graph beta windows10CompliancePolicy: deviceThreatProtectionRequiredSecurityLevel is not in v1.0. */
  windowsComplianceBeta: "https://learn.microsoft.com/graph/api/resources/intune-deviceconfig-windows10compliancepolicy?view=graph-rest-beta",
} as const;

/** The Intune admin center's words for each platform: the connector toggle, and the compliance policy platform. */
export const PLATFORM_WORDS: Readonly<
  Record<DefenderCompliancePlatform, { readonly toggle: string; readonly compliancePlatform: string; readonly graph: string }>
> = {
  windows: { toggle: "Connect Windows devices", compliancePlatform: "Windows 10 and later", graph: "windowsEnabled" },
  android: { toggle: "Connect Android devices", compliancePlatform: "Android Enterprise", graph: "androidEnabled" },
  iOS: { toggle: "Connect iOS/iPadOS devices", compliancePlatform: "iOS/iPadOS", graph: "iosEnabled" },
};

/** "Require the device to be at or under the machine risk score" as the Intune admin center names each level. */
export const RISK_SCORE_WORDS: Readonly<Record<MachineRiskScore, string>> = { secured: "Clear", low: "Low", medium: "Medium", high: "High" };

/** Most secure first: a later entry accepts more threats. */
export const RISK_SCORE_ORDER: readonly MachineRiskScore[] = ["secured", "low", "medium", "high"];

/**
 * A conditional-access policy in the plan that grants access to compliant devices: what turns Defender for
 * Endpoint's risk into a block. `alsoAccepts` are the other controls of an "any of" (OR) grant, each a way in that
 * does not look at the device's risk.
 */
export interface ComplianceGate {
  readonly displayName: string;
  /** Graph state: enabled, enabledForReportingButNotEnforced, disabled. */
  readonly state: string;
  readonly alsoAccepts: readonly string[];
}

/** One declared `DefenderIntegrations` component, by logical name. */
export interface DeclaredIntegrations {
  readonly name: string;
  readonly integrations: CanonicalDefenderIntegrations;
}

/** What the runbook's "Integrations" section is made from. */
export interface RunbookIntegrations {
  readonly declared: readonly DeclaredIntegrations[];
  readonly complianceGates: readonly ComplianceGate[];
}

/** The conditional-access policies of a plan that require "Require device to be marked as compliant", by display name. */
export function complianceGatesOf(plan: Plan): ComplianceGate[] {
  return plan.resources
    .filter((r) => r.type === TOKENS.conditionalAccessPolicy)
    .map((r) => ({ r, grant: r.inputs.grantControls as { operator?: string; builtInControls?: string[] } | undefined }))
    .filter(({ grant }) => grant?.builtInControls?.includes("compliantDevice"))
    .map(({ r, grant }) => ({
      displayName: String(r.inputs.displayName ?? r.name),
      state: String(r.inputs.state ?? ""),
      alsoAccepts: grant!.operator === "AND" ? [] : grant!.builtInControls!.filter((c) => c !== "compliantDevice"),
    }))
    .sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The declared integrations of a plan and the policies they act through (what `renderSessionPolicyRunbook` reads). */
export function integrationsOf(plan: Plan): RunbookIntegrations {
  return {
    declared: plan.resources
      .filter((r) => r.type === TOKENS.defenderIntegrations)
      .map((r) => ({ name: r.name, integrations: r.inputs.integrations as CanonicalDefenderIntegrations }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    complianceGates: complianceGatesOf(plan),
  };
}

/** Graph's grant-control names as the conditional-access portal shows them. */
export const GRANT_CONTROL_WORDS: Readonly<Record<string, string>> = {
  mfa: "Require multifactor authentication",
  domainJoinedDevice: "Require Microsoft Entra hybrid joined device",
  approvedApplication: "Require approved client app",
  compliantApplication: "Require app protection policy",
  passwordChange: "Require password change",
};
