import { TOKENS } from "../../lib/managed/tokens";
import type { DescriberRegistry, ResourceDescriber, ResourcePair } from "../../lib/plan/describers";
import { Fact, scalar, set } from "../../lib/plan/facts";
import type { PlannedResource } from "../../lib/plan/record";
import type { Risk } from "../../lib/plan/risk";
import { exceptionIdentity, presetRuleName } from "./payload";

/** Inputs are schemaless JSON in a plan; these read them without `any`. */
type Json = Record<string, unknown>;
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const text = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** The portal's words for the outbound policy's "Automatic forwarding rules" (Defender portal, anti-spam outbound policy). */
const FORWARDING_WORDS: Readonly<Record<string, string>> = {
  Off: "Off - Forwarding is disabled",
  On: "On - Forwarding is enabled",
  Automatic: "Automatic - System-controlled",
};

const forwardingDefaults: ResourceDescriber = {
  kind: "External forwarding",
  plural: "External forwarding",
  order: 40,
  title: () => "Anti-spam outbound policy (Default) and the Default remote domain",
  facts: (r) => [
    ...scalar("automatic forwarding rules (everyone)", FORWARDING_WORDS[String(r.inputs.autoForwardingMode)] ?? text(r.inputs.autoForwardingMode)),
    ...scalar(
      "Default remote domain: allow automatic forwarding",
      r.inputs.remoteDomainAutoForward
        ? "on: forwarding exceptions exist, and a remote domain that blocks would block them too; the outbound policy blocks everyone else"
        : "off: nobody may forward, so the remote domain blocks it as well",
    ),
  ],
  risks: ({ base, head }) => {
    if (base && !head) {
      return [
        {
          kind: "forwarding-control-removed",
          severity: "high",
          resource: base.name,
          message: "external forwarding is no longer managed: nothing keeps the Default outbound policy's forwarding off",
        },
      ];
    }
    if (base && head && !base.inputs.remoteDomainAutoForward && head.inputs.remoteDomainAutoForward) {
      return [
        {
          kind: "forwarding-enabled",
          severity: "medium",
          resource: head.name,
          message: "the Default remote domain now allows automatic forwarding (a forwarding exception exists); the outbound policy still blocks everyone else",
        },
      ];
    }
    return [];
  },
};

const forwardingException: ResourceDescriber = {
  kind: "Forwarding exception",
  order: 41,
  title: (r) => exceptionIdentity(String(r.inputs.name ?? r.name)),
  summary: (r) => text(r.inputs.reason),
  facts: (r) => [
    {
      key: "may forward",
      label: "may forward outside the organization",
      value: [...strings(r.inputs.senders), ...strings(r.inputs.senderGroups).map((g) => `members of ${g}`)].join(", "),
      warn: true,
    },
    ...scalar("automatic forwarding rules (these senders)", FORWARDING_WORDS.On),
    ...scalar("reason", text(r.inputs.reason)),
  ],
  shownInHeading: ["reason"],
  risks: forwardingWidened,
};

/** A reviewer must approve every mailbox that gains the right to send mail out automatically. */
function forwardingWidened({ base, head }: ResourcePair): Risk[] {
  if (!head) return [];
  const now = [...strings(head.inputs.senders), ...strings(head.inputs.senderGroups).map((g) => `members of ${g}`)];
  const before = new Set(base ? [...strings(base.inputs.senders), ...strings(base.inputs.senderGroups).map((g) => `members of ${g}`)] : []);
  const added = now.filter((s) => !before.has(s));
  if (added.length === 0) return [];
  return [
    {
      kind: "forwarding-enabled",
      severity: "high",
      resource: head.name,
      message: `${added.join(", ")} may now forward mail outside the organization automatically (${exceptionIdentity(String(head.inputs.name))}: "${text(head.inputs.reason) ?? ""}")`,
    },
  ];
}

const DMARC_STRENGTH: Readonly<Record<string, number>> = { monitor: 0, quarantine: 1, reject: 2 };

const mailDomain: ResourceDescriber = {
  kind: "Mail domain",
  order: 42,
  title: (r) => String(r.inputs.domain ?? r.name),
  facts: (r) => {
    const dkim = (r.inputs.dkim ?? {}) as Json;
    const dmarc = (r.inputs.dmarc ?? {}) as Json;
    const host = r.inputs.dnsHost;
    // One line per record, as a DNS host's form asks for it (name, type, value, TTL): a reviewer can copy each.
    const records = ((r.inputs.records ?? []) as Json[]).map((row): Fact => ({
      key: `record ${String(row.type)} ${String(row.name)} ${String(row.value)}`,
      label: `${String(row.type)} ${String(row.name)}`,
      value: `${String(row.value)} (TTL ${String(row.ttl)}; ${String(row.purpose)})`,
    }));
    return [
      ...scalar("DKIM", dkim.enabled ? `signing with ${String(dkim.keySize)}-bit keys, switched on once the selector CNAMEs resolve` : "not signed", "dkim"),
      ...scalar("DMARC stage", `${String(dmarc.stage)}${dmarc.percent !== undefined ? ` (${String(dmarc.percent)}% of failing mail)` : ""}`),
      ...scalar(
        "DNS records",
        host === "external"
          ? "for the domain's DNS host: publish these by hand (also the stack output dnsRecords)"
          : `Azure DNS zone ${String((host as Json).azureZone)} (resource group ${String((host as Json).resourceGroup)}), as record sets`,
      ),
      ...records,
    ];
  },
  risks: ({ base, head }) => {
    if (!base) return [];
    const domain = String(base.inputs.domain);
    if (!head) {
      return [
        {
          kind: "mail-domain-removed",
          severity: "high",
          resource: base.name,
          message: `${domain} is no longer managed: DKIM signing is switched off; its DNS records stay as they are, no longer kept to the declaration`,
        },
      ];
    }
    const risks: Risk[] = [];
    const [was, now] = [(base.inputs.dmarc ?? {}) as Json, (head.inputs.dmarc ?? {}) as Json];
    if ((DMARC_STRENGTH[String(now.stage)] ?? 0) < (DMARC_STRENGTH[String(was.stage)] ?? 0)) {
      risks.push({ kind: "dmarc-relaxed", severity: "medium", resource: base.name, message: `${domain}: DMARC ${String(was.stage)} → ${String(now.stage)}` });
    }
    if (((base.inputs.dkim ?? {}) as Json).enabled && !((head.inputs.dkim ?? {}) as Json).enabled) {
      risks.push({ kind: "dkim-disabled", severity: "medium", resource: base.name, message: `${domain}: DKIM signing switched off` });
    }
    return risks;
  },
};

const dkimKeys: ResourceDescriber = {
  kind: "DKIM keys",
  plural: "DKIM keys",
  order: 43,
  title: (r) => String(r.inputs.domain ?? r.name),
  facts: (r) => [
    ...scalar("key size", `${String(r.inputs.keySize)} bits`),
    ...scalar("selector CNAME targets", "as Exchange answers (Selector1CNAME, Selector2CNAME)"),
  ],
};

const dkimSigning: ResourceDescriber = {
  kind: "DKIM signing",
  plural: "DKIM signing",
  order: 44,
  title: (r) => String(r.inputs.domain ?? r.name),
  facts: (r) => [
    ...scalar(
      "signing",
      r.inputs.enabled ? "on once Exchange sees the selector CNAMEs; until then `up` finishes and the output dkimStatus says it is waiting" : "off",
    ),
  ],
};

const recordSet: ResourceDescriber = {
  kind: "Azure DNS record",
  order: 45,
  title: (r) => `${String(r.inputs.relativeRecordSetName)} ${String(r.inputs.recordType)} in ${String(r.inputs.zoneName)}`,
  facts: (r) => {
    const cname = (r.inputs.cnameRecord ?? undefined) as Json | undefined;
    const txt = ((r.inputs.txtRecords ?? []) as Json[]).map((t) => strings(t.value).join(""));
    return [
      ...scalar("resource group", text(r.inputs.resourceGroupName)),
      ...scalar("points to", cname ? text(cname.cname) : undefined),
      ...set("text", txt),
      ...scalar("TTL (seconds)", text(r.inputs.ttl)),
    ];
  },
};

const PRESET_TITLES: Readonly<Record<string, string>> = { standard: "Standard protection", strict: "Strict protection" };

const preset: ResourceDescriber = {
  kind: "Preset security policy",
  plural: "Preset security policies",
  order: 46,
  title: (r) => PRESET_TITLES[String(r.inputs.level)] ?? String(r.name),
  facts: (r) => {
    const except = ["exceptUsers", "exceptGroups", "exceptDomains"].flatMap((k) =>
      strings(r.inputs[k]).map((v) => `${k === "exceptGroups" ? "members of " : ""}${v}`),
    );
    return [
      ...scalar("rules", `${presetRuleName(r.inputs.level as "standard" | "strict")} (turned on)`),
      ...scalar("applies to", scopeWords(r)),
      ...set("except", except),
      ...scalar(
        "protections",
        r.inputs.defenderForOffice365
          ? "Exchange Online Protection (anti-spam, anti-malware, anti-phishing) and Defender for Office 365 (Safe Links, Safe Attachments, impersonation)"
          : "Exchange Online Protection only (anti-spam, anti-malware, anti-phishing): no Defender for Office 365",
      ),
    ];
  },
  risks: ({ base, head }) => {
    if (!base) return [];
    const title = PRESET_TITLES[String(base.inputs.level)];
    if (!head) return [{ kind: "preset-removed", severity: "medium", resource: base.name, message: `${title} is turned off` }];
    const risks: Risk[] = [];
    const excepted = (p: PlannedResource) => ["exceptUsers", "exceptGroups", "exceptDomains"].flatMap((k) => strings(p.inputs[k]));
    const added = excepted(head).filter((v) => !excepted(base).includes(v));
    if (added.length > 0)
      risks.push({ kind: "preset-narrowed", severity: "medium", resource: head.name, message: `${title} no longer protects ${added.join(", ")}` });
    // Any change to the conditions can narrow the preset (they AND together), so the reviewer reads it before and after.
    if (scopeWords(base) !== scopeWords(head)) {
      risks.push({
        kind: "preset-narrowed",
        severity: "medium",
        resource: head.name,
        message: `${title} now applies to ${scopeWords(head)} (was: ${scopeWords(base)})`,
      });
    }
    if (base.inputs.defenderForOffice365 && !head.inputs.defenderForOffice365) {
      risks.push({
        kind: "preset-narrowed",
        severity: "medium",
        resource: head.name,
        message: `${title} no longer applies Defender for Office 365 (Safe Links, Safe Attachments)`,
      });
    }
    return risks;
  },
};

/**
 * Whom a preset applies to, as Exchange reads its conditions: values of one kind OR together, different kinds AND
 * together (https://learn.microsoft.com/defender-office-365/preset-security-policies), so a user list and a group
 * narrow each other. No condition: every recipient.
 */
function scopeWords(r: PlannedResource): string {
  const parts = [
    strings(r.inputs.users).join(" or "),
    strings(r.inputs.groups)
      .map((g) => `members of ${g}`)
      .join(" or "),
    strings(r.inputs.domains)
      .map((d) => `recipients in ${d}`)
      .join(" or "),
  ].filter((p) => p !== "");
  return parts.length > 0 ? parts.map((p) => (parts.length > 1 ? `(${p})` : p)).join(" and ") : "all recipients";
}

const hidden = (kind: string): ResourceDescriber => ({ kind, hidden: true, facts: (): Fact[] => [] });

export const describers: DescriberRegistry = {
  [TOKENS.forwardingDefaults]: forwardingDefaults,
  [TOKENS.forwardingException]: forwardingException,
  [TOKENS.mailDomain]: mailDomain,
  [TOKENS.dkimKeys]: dkimKeys,
  [TOKENS.dkimSigning]: dkimSigning,
  [TOKENS.dnsRecordSet]: recordSet,
  [TOKENS.presetSecurityPolicy]: preset,
  // The component only groups its resources; the reviewer reads them.
  [TOKENS.mailProtection]: hidden("Mail protection component"),
};
