import { CmdletCall, listOf, presetRuleName } from "../../lib/exchange";
import type { ForwardingException, PresetLevel, PresetPolicyDefinition } from "./definition";

/**
 * Exchange cmdlet calls for mail protection, built from *validated* declarations. Pure: no I/O. Each builder names
 * the cmdlet's documentation; parameter names and values are exactly what the cmdlet binds.
 */

/** The built-in outbound spam filter policy and remote domain every Exchange Online organization has. */
export const DEFAULT_IDENTITY = "Default";

/**
 * The default outbound policy's forwarding off for everyone: `Set-HostedOutboundSpamFilterPolicy -Identity Default
 * -AutoForwardingMode Off` (https://learn.microsoft.com/powershell/module/exchangepowershell/set-hostedoutboundspamfilterpolicy).
 * `Off`, never `Automatic`: Microsoft's own pages disagree on what Automatic means today and both say to use On or Off.
 */
export function defaultForwardingCall(): CmdletCall {
  return { CmdletName: "Set-HostedOutboundSpamFilterPolicy", Parameters: { Identity: DEFAULT_IDENTITY, AutoForwardingMode: "Off" } };
}

/**
 * The Default remote domain's "Allow automatic forwarding" (`Set-RemoteDomain Default -AutoForwardEnabled`,
 * https://learn.microsoft.com/powershell/module/exchangepowershell/set-remotedomain). Aligned with the outbound
 * policy: off when nobody may forward (defence in depth); on when exceptions exist, because a remote domain that
 * blocks would also block them ("the block typically wins":
 * https://learn.microsoft.com/defender-office-365/outbound-spam-policies-external-email-forwarding).
 */
export function remoteDomainForwardingAllowed(exceptions: readonly ForwardingException[]): boolean {
  return exceptions.length > 0;
}

export function remoteDomainCall(autoForwardEnabled: boolean): CmdletCall {
  return { CmdletName: "Set-RemoteDomain", Parameters: { Identity: DEFAULT_IDENTITY, AutoForwardEnabled: autoForwardEnabled } };
}

/** Name prefix of the policy and rule behind each exception (no `:` or `,`: rule names forbid them). */
export const EXCEPTION_PREFIX = "m365-baseline forwarding ";
/** Outbound spam filter rule names are at most 64 characters (New-HostedOutboundSpamFilterRule -Name). */
export const RULE_NAME_LIMIT = 64;

/** The policy's and the rule's name (their identity in Exchange) for one exception. */
export function exceptionIdentity(name: string): string {
  // Exchange compares names case-insensitively: one spelling, so "Sales" and "sales" are one exception.
  return `${EXCEPTION_PREFIX}${name.toLowerCase()}`;
}

/** The exception's custom policy: forwarding on (`New-HostedOutboundSpamFilterPolicy -Name -AutoForwardingMode On`). */
export function newExceptionPolicyCall(name: string): CmdletCall {
  return { CmdletName: "New-HostedOutboundSpamFilterPolicy", Parameters: { Name: exceptionIdentity(name), AutoForwardingMode: "On" } };
}

export function setExceptionPolicyCall(name: string): CmdletCall {
  return { CmdletName: "Set-HostedOutboundSpamFilterPolicy", Parameters: { Identity: exceptionIdentity(name), AutoForwardingMode: "On" } };
}

/** The rule scoping the policy to the senders; the reason goes to `-Comments`, where an administrator sees it. */
export function newExceptionRuleCall(exception: ForwardingException): CmdletCall {
  return {
    CmdletName: "New-HostedOutboundSpamFilterRule",
    Parameters: {
      Name: exceptionIdentity(exception.name),
      HostedOutboundSpamFilterPolicy: exceptionIdentity(exception.name),
      ...senderConditions(exception),
      Comments: exception.reason.trim(),
    },
  };
}

/**
 * `Set-HostedOutboundSpamFilterRule` (it has no `-Enabled`: Enable-/Disable- do that). It also points the rule at its
 * own policy again and clears a sender-domain condition added by hand: the rule is exactly the declared scope.
 */
export function setExceptionRuleCall(exception: ForwardingException): CmdletCall {
  return {
    CmdletName: "Set-HostedOutboundSpamFilterRule",
    Parameters: {
      Identity: exceptionIdentity(exception.name),
      HostedOutboundSpamFilterPolicy: exceptionIdentity(exception.name),
      ...senderConditions(exception),
      SenderDomainIs: null,
      Comments: exception.reason.trim(),
    },
  };
}

function senderConditions(exception: ForwardingException): Record<string, readonly string[] | null> {
  const senders = listOf(exception.senders);
  const groups = listOf(exception.senderGroups);
  // Validation guarantees at least one of the two: a rule without conditions would let every sender forward.
  return { From: senders.length > 0 ? senders : null, FromMemberOf: groups.length > 0 ? groups : null };
}

// ---- DKIM ------------------------------------------------------------------------------------------------------

/**
 * Keys first, signing off: `New-DkimSigningConfig -DomainName -Enabled $false -KeySize`. Exchange answers with the
 * selector CNAME targets to publish; signing is switched on once they resolve
 * (https://learn.microsoft.com/defender-office-365/email-authentication-dkim-configure, PowerShell procedure).
 */
export function newDkimConfigCall(domain: string, keySize: number): CmdletCall {
  return { CmdletName: "New-DkimSigningConfig", Parameters: { DomainName: domain, Enabled: false, KeySize: keySize } };
}

/** `Get-DkimSigningConfig -Identity <domain>`: never without an identity (an empty one returns every domain's config). */
export function getDkimConfigCall(domain: string): CmdletCall {
  if (domain.trim() === "") throw new Error("Get-DkimSigningConfig needs a domain: an empty identity returns every domain's configuration");
  return { CmdletName: "Get-DkimSigningConfig", Parameters: { Identity: domain } };
}

export function setDkimSigningCall(domain: string, enabled: boolean): CmdletCall {
  return { CmdletName: "Set-DkimSigningConfig", Parameters: { Identity: domain, Enabled: enabled } };
}

/** A larger key for the selector not in use (`Rotate-DkimSigningConfig -KeySize`); Set- cannot change the size. */
export function rotateDkimCall(domain: string, keySize: number): CmdletCall {
  return { CmdletName: "Rotate-DkimSigningConfig", Parameters: { Identity: domain, KeySize: keySize } };
}

/** Exchange's answer to enabling DKIM before the selector CNAMEs resolve (the documented ValidationException text). */
export const CNAME_MISSING = "CNAME record does not exist for this config";

// ---- preset security policies ----------------------------------------------------------------------------------

/** The rule names Microsoft gives the presets' rules: Exchange knowledge, kept once in lib/exchange. */
export { presetRuleName };

/** The two rules of a preset: Exchange Online Protection's, and Defender for Office 365's. */
export const PRESET_RULE_KINDS = ["EOP", "ATP"] as const;
export type PresetRuleKind = (typeof PRESET_RULE_KINDS)[number];

/**
 * Each declared recipient condition and the rule parameter (and read-back property) it is, in one table: the
 * payload, the provider's read and its declared inputs all go through it.
 */
export const PRESET_SCOPE = {
  users: "SentTo",
  groups: "SentToMemberOf",
  domains: "RecipientDomainIs",
  exceptUsers: "ExceptIfSentTo",
  exceptGroups: "ExceptIfSentToMemberOf",
  exceptDomains: "ExceptIfRecipientDomainIs",
} as const;
export type PresetScopeKey = keyof typeof PRESET_SCOPE;
export const PRESET_SCOPE_KEYS = Object.keys(PRESET_SCOPE) as PresetScopeKey[];

/** The recipient conditions, each list sorted; `null` clears a condition (the cmdlets' documented `$null`). */
export function presetConditions(p: Pick<PresetPolicyDefinition, PresetScopeKey>): Record<string, readonly string[] | null> {
  return Object.fromEntries(
    PRESET_SCOPE_KEYS.map((key) => {
      const values = listOf(p[key]);
      return [PRESET_SCOPE[key], values.length > 0 ? values : null];
    }),
  );
}

/** `Set-EOPProtectionPolicyRule` / `Set-ATPProtectionPolicyRule -Identity "<Level> Preset Security Policy"` with the scope. */
export function setPresetRuleCall(kind: PresetRuleKind, p: Pick<PresetPolicyDefinition, "level" | PresetScopeKey>): CmdletCall {
  return { CmdletName: `Set-${kind}ProtectionPolicyRule`, Parameters: { Identity: presetRuleName(p.level), ...presetConditions(p) } };
}

/** Turning a preset on or off is enabling or disabling its rules (`Enable-`/`Disable-EOPProtectionPolicyRule`). */
export function presetStateCall(kind: PresetRuleKind, level: PresetLevel, on: boolean): CmdletCall {
  return { CmdletName: `${on ? "Enable" : "Disable"}-${kind}ProtectionPolicyRule`, Parameters: { Identity: presetRuleName(level) } };
}

export function getPresetRuleCall(kind: PresetRuleKind, level: PresetLevel): CmdletCall {
  return { CmdletName: `Get-${kind}ProtectionPolicyRule`, Parameters: { Identity: presetRuleName(level) } };
}
