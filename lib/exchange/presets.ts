/**
 * The rules of Defender for Office 365's preset security policies, as Microsoft names them
 * (https://learn.microsoft.com/defender-office-365/preset-security-policies): `Standard Preset Security Policy` and
 * `Strict Preset Security Policy`, for the Exchange Online Protection part (`*-EOPProtectionPolicyRule`) and the
 * Defender for Office 365 part (`*-ATPProtectionPolicyRule`) alike.
 */
export type PresetLevelName = "standard" | "strict";

export function presetRuleName(level: PresetLevelName): string {
  return level === "strict" ? "Strict Preset Security Policy" : "Standard Preset Security Policy";
}
