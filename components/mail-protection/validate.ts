import { isDomainName, normalizeName, validateDmarcPolicy, validateSpfPolicy } from "../../lib/dns";
import { checkSignIn } from "../../lib/graph/sign-in";
import { checkKnownKeys, findDuplicates, MIN_REASON_LENGTH, ProblemList, SMTP_ADDRESS } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";
import { MailDomainDefinition, MailProtectionArgs, PRESET_LEVELS, PresetPolicyDefinition } from "./definition";
import { exceptionIdentity, RULE_NAME_LIMIT } from "./payload";

/** Part of a rule name: Exchange forbids `\\ % & * + / = ? { } | < > ( ) ; : [ ] , "` there, so letters, digits, hyphens. */
const EXCEPTION_NAME = /^[A-Za-z0-9][A-Za-z0-9-]*$/;
const ARGS_KEYS = ["tenant", "forwarding", "domains", "presets", "endpoints", "poll"];
const EXCEPTION_KEYS = ["name", "reason", "senders", "senderGroups"];
const DOMAIN_KEYS = ["domain", "dkim", "dmarc", "spf", "otherApexTxt"];
const PRESET_KEYS = ["level", "users", "groups", "domains", "exceptUsers", "exceptGroups", "exceptDomains", "defenderForOffice365"];

/**
 * Every problem in a tenant's mail protection, collected before anything is declared: which tenant, which part,
 * which field, what is allowed. Pure.
 */
export function validateMailProtection(args: MailProtectionArgs): void {
  const problems = new ProblemList([`tenant ${args.tenant.stack}`, "mail protection"]);
  checkKnownKeys(args, ARGS_KEYS, problems);
  checkSignIn(args.tenant, "mailProtection", problems);
  validateForwarding(args, problems);
  const domains = args.domains ?? [];
  domains.forEach((d) => validateDomain(d, args.tenant, problems.under(`domain ${d.domain || "(unnamed)"}`)));
  for (const dup of findDuplicates(domains.map((d) => normalizeName(d.domain ?? ""))))
    problems.add("domains", `${dup} is declared more than once`, "each domain once");
  const presets = args.presets ?? [];
  presets.forEach((p) => validatePreset(p, problems.under(`preset ${p.level}`)));
  for (const dup of findDuplicates(presets.map((p) => p.level))) problems.add("presets", `the ${dup} preset is declared more than once`, "each preset once");
  problems.throwIfAny();
}

function validateForwarding(args: MailProtectionArgs, top: ProblemList): void {
  if (!args.forwarding) {
    top.add("forwarding", "is missing", "{ exceptions: [] } to turn external forwarding off for everyone");
    return;
  }
  const problems = top.under("forwarding");
  checkKnownKeys(args.forwarding, ["exceptions"], problems);
  const exceptions = args.forwarding.exceptions ?? [];
  for (const e of exceptions) {
    const p = problems.under(`exception ${e.name || "(unnamed)"}`);
    checkKnownKeys(e, EXCEPTION_KEYS, p);
    if (!EXCEPTION_NAME.test(e.name ?? "")) {
      p.add("name", `"${e.name}" is not a name Exchange accepts in a rule`, "letters, digits and hyphens, e.g. shared-sales-mailbox");
    } else if (exceptionIdentity(e.name).length > RULE_NAME_LIMIT) {
      p.add(
        "name",
        `makes the rule name "${exceptionIdentity(e.name)}" longer than Exchange's ${RULE_NAME_LIMIT} characters`,
        `at most ${RULE_NAME_LIMIT - exceptionIdentity("").length} characters`,
      );
    }
    if ((e.reason?.trim() ?? "").length < MIN_REASON_LENGTH) {
      p.add(
        "reason",
        "an exception that lets mail leave the organization needs a written reason a reviewer can judge",
        `a sentence of at least ${MIN_REASON_LENGTH} characters`,
      );
    }
    const senders = [...(e.senders ?? []), ...(e.senderGroups ?? [])];
    if (senders.length === 0) {
      p.add(
        "senders",
        "names no sender and no group: its rule would let every sender forward outside the organization",
        "the mailboxes (senders) or groups (senderGroups) allowed to forward",
      );
    }
    for (const field of ["senders", "senderGroups"] as const) {
      (e[field] ?? []).forEach((a, i) => {
        if (!SMTP_ADDRESS.test(a)) p.add(`${field}[${i}]`, `"${a}" is not an SMTP address`, "an address such as sales@contoso.com");
      });
    }
  }
  // Exchange compares names case-insensitively: "Sales" and "sales" would be one policy.
  for (const dup of findDuplicates(exceptions.map((e) => (e.name ?? "").toLowerCase()))) {
    problems.add("exceptions", `${dup} is declared more than once (names compare case-insensitively)`, "one exception per name");
  }
}

function validateDomain(d: MailDomainDefinition, tenant: Pick<TenantSettings, "graph">, p: ProblemList): void {
  checkKnownKeys(d, DOMAIN_KEYS, p);
  const domain = normalizeName(d.domain ?? "");
  if (!isDomainName(domain)) p.add("domain", `"${d.domain}" is not a domain name`, "an accepted domain such as contoso.com");
  else if (domain.endsWith(".onmicrosoft.com")) {
    p.add("domain", `${domain} is an initial (onmicrosoft.com) domain: Microsoft signs it and publishes its records`, "a custom domain the tenant sends from");
  }
  if (d.dkim !== undefined) {
    checkKnownKeys(d.dkim, ["enabled", "keySize"], p, "dkim");
    checkBoolean(d.dkim.enabled, "dkim.enabled", p);
    if (d.dkim.keySize !== undefined && d.dkim.keySize !== 1024 && d.dkim.keySize !== 2048) {
      p.add("dkim.keySize", `${String(d.dkim.keySize)} is not a key size Exchange offers`, "2048 (recommended) or 1024");
    }
  }
  if (!d.dmarc) p.add("dmarc", "is missing", '{ stage: "monitor", aggregateReports: ["dmarc@…"] } to start, then quarantine, then reject');
  else validateDmarcPolicy(d.dmarc, p.under("dmarc"));
  validateSpfPolicy(d.spf ?? {}, p.under("spf"), tenant.graph.cloud);
  (d.otherApexTxt ?? []).forEach((value, i) => {
    // One SPF record per name (RFC 7208 §3.2): two make every receiver answer permerror.
    if (/^v=spf1(\s|$)/i.test(value.trim()))
      p.add(`otherApexTxt[${i}]`, "is an SPF record: a domain may publish only one, and the baseline writes it from spf", "declare senders in spf");
  });
}

function validatePreset(preset: PresetPolicyDefinition, p: ProblemList): void {
  checkKnownKeys(preset, PRESET_KEYS, p);
  checkBoolean(preset.defenderForOffice365, "defenderForOffice365", p);
  if (!(PRESET_LEVELS as readonly string[]).includes(preset.level)) p.add("level", `"${preset.level}" is not a preset`, PRESET_LEVELS.join(", "));
  for (const field of ["users", "groups", "exceptUsers", "exceptGroups"] as const) {
    (preset[field] ?? []).forEach((a, i) => {
      if (!SMTP_ADDRESS.test(a)) p.add(`${field}[${i}]`, `"${a}" is not an SMTP address`, "a recipient or group address such as finance@contoso.com");
    });
  }
  for (const field of ["domains", "exceptDomains"] as const) {
    (preset[field] ?? []).forEach((d, i) => {
      if (!isDomainName(d)) p.add(`${field}[${i}]`, `"${d}" is not a domain name`, "an accepted domain such as contoso.com");
    });
  }
}

/** A flag read from YAML or JSON may arrive as the string "false", which is truthy: only true or false is accepted. */
function checkBoolean(value: unknown, field: string, p: ProblemList): void {
  if (value !== undefined && typeof value !== "boolean") p.add(field, `is ${JSON.stringify(value)}, not true or false`, "true, false");
}
