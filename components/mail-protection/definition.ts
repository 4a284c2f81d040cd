import type { DmarcPolicy, SpfPolicy } from "../../lib/dns";
import type { ServiceEndpoints } from "../../lib/graph";
import type { PollSettings } from "../../lib/managed/poll";
import type { TenantSettings } from "../../lib/tenant-settings";

/**
 * Exchange Online mail protection as declared data: external auto-forwarding, DKIM/DMARC/SPF per accepted domain, and
 * Defender for Office 365 preset security policies. Every field names the portal setting and the Exchange cmdlet
 * parameter it becomes (docs/mail-protection.md has the equivalent PowerShell for each).
 */
export interface MailProtectionArgs {
  /** The tenant's validated settings: `tenantId` and `graph` (cloud, credential) say how to reach Exchange; `dns` where zones are. */
  readonly tenant: TenantSettings;
  /** External automatic forwarding: off for everyone but the reviewed exceptions. */
  readonly forwarding: ExternalForwardingDefinition;
  /** Custom (accepted) domains that send mail: DKIM, DMARC and SPF for each. Order does not matter. @default [] */
  readonly domains?: readonly MailDomainDefinition[];
  /** Standard and Strict preset security policies with their recipient scopes. Order does not matter. @default [] */
  readonly presets?: readonly PresetPolicyDefinition[];
  /** Where Exchange is, when not the tenant cloud's (a test host), and the retry pace. @default the cloud's endpoints */
  readonly endpoints?: ServiceEndpoints;
  /** How long DKIM enabling waits for its CNAME records to be seen. @default about four minutes, exponential back-off */
  readonly poll?: PollSettings;
}

/**
 * Defender portal › Policies & rules › Threat policies › Anti-spam › "Anti-spam outbound policy (Default)" ›
 * Forwarding rules › "Automatic forwarding rules" (`Set-HostedOutboundSpamFilterPolicy -Identity Default
 * -AutoForwardingMode Off`), and Exchange admin center › Mail flow › Remote domains › Default › "Allow automatic
 * forwarding" (`Set-RemoteDomain Default -AutoForwardEnabled`).
 */
export interface ExternalForwardingDefinition {
  /**
   * Mailboxes allowed to forward outside the organization, each exception a custom outbound spam policy
   * (`New-HostedOutboundSpamFilterPolicy -AutoForwardingMode On`) and its rule scoped to the senders
   * (`New-HostedOutboundSpamFilterRule -From/-FromMemberOf`). Each needs a written reason, shown in every plan.
   * @default [] (nobody forwards)
   */
  readonly exceptions?: readonly ForwardingException[];
}

export interface ForwardingException {
  /** Logical name: the policy and rule are named `m365-baseline forwarding: <name>` (their identity). */
  readonly name: string;
  /** Why these mailboxes may forward outside the organization, for the reviewer. */
  readonly reason: string;
  /** Rule condition "The sender is" (`-From`): SMTP addresses of the mailboxes. @default [] */
  readonly senders?: readonly string[];
  /** Rule condition "The sender is a member of" (`-FromMemberOf`): SMTP addresses of distribution or mail-enabled security groups. @default [] */
  readonly senderGroups?: readonly string[];
}

/** An accepted domain that sends mail (never `*.onmicrosoft.com`: Microsoft signs and publishes those itself). */
export interface MailDomainDefinition {
  /** The domain, as `Get-AcceptedDomain` lists it, e.g. `contoso.com`. */
  readonly domain: string;
  /**
   * Defender portal › Email authentication settings › DKIM › "Sign messages for this domain with DKIM signatures"
   * (`New-DkimSigningConfig -DomainName <domain> -Enabled $false -KeySize`, then `Set-DkimSigningConfig -Enabled $true`
   * once the selector CNAMEs resolve). @default { enabled: true, keySize: 2048 }
   */
  readonly dkim?: { readonly enabled?: boolean; readonly keySize?: 1024 | 2048 };
  /**
   * The `_dmarc.<domain>` TXT record, staged: `monitor` (p=none with reports) → `quarantine` → `reject`
   * (Microsoft, "Set up DMARC": https://learn.microsoft.com/defender-office-365/email-authentication-dmarc-configure);
   * tags in lib/dns/dmarc.ts.
   */
  readonly dmarc: DmarcPolicy;
  /**
   * The domain's SPF TXT record: `v=spf1 … include:spf.protection.outlook.com … -all` (lib/dns/spf.ts).
   * @default Exchange Online only, `-all`
   */
  readonly spf?: SpfPolicy;
  /**
   * Other TXT values at the domain's apex that must stay beside SPF (the `MS=ms…` domain verification, another
   * service's verification). Azure DNS keeps all TXT values of a name in one record set, which the stack then owns.
   * @default []
   */
  readonly otherApexTxt?: readonly string[];
}

export const PRESET_LEVELS = ["standard", "strict"] as const;
export type PresetLevel = (typeof PRESET_LEVELS)[number];

/**
 * Defender portal › Email & collaboration › Policies & rules › Threat policies › Preset security policies ›
 * Standard / Strict protection: the EOP rule (`Set-EOPProtectionPolicyRule -Identity "Standard Preset Security
 * Policy"`: anti-spam, anti-malware, anti-phishing) and, with Defender for Office 365, the ATP rule
 * (`Set-ATPProtectionPolicyRule`: Safe Links, Safe Attachments, impersonation). Conditions of different kinds AND
 * together (a user list and a group narrow each other); exceptions OR
 * (https://learn.microsoft.com/defender-office-365/preset-security-policies).
 */
export interface PresetPolicyDefinition {
  readonly level: PresetLevel;
  /** "Users" (`-SentTo`): SMTP addresses. @default [] */
  readonly users?: readonly string[];
  /** "Groups" (`-SentToMemberOf`): SMTP addresses of distribution, mail-enabled security or Microsoft 365 groups. @default [] */
  readonly groups?: readonly string[];
  /** "Domains" (`-RecipientDomainIs`): accepted domains. @default [] (with no user, group or domain: everyone) */
  readonly domains?: readonly string[];
  /** "Exclude these users" (`-ExceptIfSentTo`). @default [] */
  readonly exceptUsers?: readonly string[];
  /** "Exclude these groups" (`-ExceptIfSentToMemberOf`). @default [] */
  readonly exceptGroups?: readonly string[];
  /** "Exclude these domains" (`-ExceptIfRecipientDomainIs`). @default [] */
  readonly exceptDomains?: readonly string[];
  /**
   * Apply the Defender for Office 365 part too (Microsoft 365 E5 or the Defender for Office 365 add-on).
   * @default true
   */
  readonly defenderForOffice365?: boolean;
}
