import { checkKnownKeys, ProblemList } from "../problems";
import { checkReportUri, DmarcRequest, reportUriDomain } from "./dmarc-record";
import { DnsRecord, isDomainName, normalizeName } from "./records";

export { DMARC_REQUESTS, DMARC_TAGS, parseDmarc, validateDmarcRecord } from "./dmarc-record";
export type { DmarcRequest, DmarcTagName, ParsedDmarc } from "./dmarc-record";

/**
 * A domain's declared DMARC policy and the `_dmarc` TXT record it becomes (RFC 7489,
 * https://datatracker.ietf.org/doc/html/rfc7489; Microsoft's guidance:
 * https://learn.microsoft.com/defender-office-365/email-authentication-dmarc-configure).
 */

/**
 * Microsoft's roll-out, in order: monitor (`p=none`, read the reports), then `p=quarantine` (optionally raising
 * `pct` 10 → 25 → 50 → 75 → 100), then `p=reject`, the goal for every domain. SPF and DKIM come first.
 */
export const DMARC_STAGES = ["monitor", "quarantine", "reject"] as const;
export type DmarcStage = (typeof DMARC_STAGES)[number];

/** The `p`/`sp` value of each stage. */
export const DMARC_REQUEST_OF_STAGE: Readonly<Record<DmarcStage, DmarcRequest>> = { monitor: "none", quarantine: "quarantine", reject: "reject" };

export type DmarcAlignmentMode = "relaxed" | "strict";

export interface DmarcPolicy {
  /** The policy for the domain: DMARC tag `p` (`monitor` is `p=none`). */
  readonly stage: DmarcStage;
  /**
   * Percentage of failing mail the policy applies to while raising it gradually: DMARC tag `pct`, a whole number from
   * 1 to 100. Meaningful only when `stage` or `subdomainStage` is quarantine or reject, so it is refused otherwise.
   * @default 100 (the tag is then not written)
   */
  readonly percent?: number;
  /**
   * Where receivers send daily aggregate reports: DMARC tag `rua`. Email addresses (`dmarc@contoso.com`) or `mailto:`
   * URIs. **Required when `stage` or `subdomainStage` is `monitor`**: monitoring is the reports, so a monitor-only
   * record without them would protect and teach nothing. Optional otherwise, because Microsoft's record for a parked
   * domain is just `v=DMARC1; p=reject;`. Microsoft 365 itself sends aggregate reports only for domains whose MX points
   * to it. A destination outside this domain must authorise the reports in its own DNS (RFC 7489 §7.1): see
   * {@link externalReportDomains} and {@link reportAuthorizationRecord}.
   * @default none (no `rua` tag)
   */
  readonly aggregateReports?: readonly string[];
  /**
   * Where receivers send per-message failure (forensic) reports: DMARC tag `ruf`. Few receivers send them and Microsoft
   * 365 never does; they can carry message content, so choose the mailbox with care.
   * @default none (no `ruf` tag)
   */
  readonly forensicReports?: readonly string[];
  /**
   * The policy for subdomains without their own DMARC record, existing or not: DMARC tag `sp`.
   * @default the same as `stage` (the tag is then not written; receivers apply `p`, RFC 7489 §6.3)
   */
  readonly subdomainStage?: DmarcStage;
  /** Identifier alignment: DMARC tags `adkim` and `aspf`. */
  readonly alignment?: {
    /**
     * DMARC tag `adkim`: `strict` requires the DKIM `d=` domain to equal the From domain exactly; `relaxed` accepts the
     * same organizational domain.
     * @default "relaxed" (the tag is then not written)
     */
    readonly dkim?: DmarcAlignmentMode;
    /**
     * DMARC tag `aspf`: the same choice for the SPF-authenticated MAIL FROM domain.
     * @default "relaxed" (the tag is then not written)
     */
    readonly spf?: DmarcAlignmentMode;
  };
}

const POLICY_FIELDS = ["stage", "percent", "aggregateReports", "forensicReports", "subdomainStage", "alignment"] as const;

/** Adds every problem of a declared policy to `problems` (the caller's path prefix names the domain). */
export function validateDmarcPolicy(policy: DmarcPolicy, problems: ProblemList): void {
  checkKnownKeys(policy, POLICY_FIELDS, problems);
  checkKnownKeys(policy.alignment, ["dkim", "spf"], problems, "alignment");
  const stages = DMARC_STAGES.join(", ");
  if (!DMARC_STAGES.includes(policy.stage)) problems.add("stage", `is "${String(policy.stage)}"`, stages);
  if (policy.subdomainStage !== undefined && !DMARC_STAGES.includes(policy.subdomainStage))
    problems.add("subdomainStage", `is "${String(policy.subdomainStage)}"`, stages);

  const monitoring = policy.stage === "monitor" || policy.subdomainStage === "monitor";
  const enforcing = [policy.stage, policy.subdomainStage].some((s) => s === "quarantine" || s === "reject");
  if (policy.percent !== undefined) {
    if (!Number.isInteger(policy.percent) || policy.percent < 1 || policy.percent > 100)
      problems.add("percent", `is ${String(policy.percent)}`, "a whole number from 1 to 100");
    else if (!enforcing) problems.add("percent", "has no effect while the policy only monitors (p=none)", "percent only with stage quarantine or reject");
  }

  checkAddresses(policy.aggregateReports, "aggregateReports", problems);
  checkAddresses(policy.forensicReports, "forensicReports", problems);
  if (monitoring && (policy.aggregateReports ?? []).length === 0)
    problems.add(
      "aggregateReports",
      "is empty, but monitoring (p=none) without aggregate reports shows nothing",
      "at least one address that receives DMARC aggregate reports",
    );

  for (const key of ["dkim", "spf"] as const) {
    const mode = policy.alignment?.[key];
    if (mode !== undefined && mode !== "relaxed" && mode !== "strict") problems.add(`alignment.${key}`, `is "${String(mode)}"`, "relaxed, strict");
  }
}

function checkAddresses(list: readonly string[] | undefined, field: string, problems: ProblemList): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) {
    problems.add(field, "is not a list", "a list of email addresses or mailto: URIs");
    return;
  }
  list.forEach((entry, i) => checkReportUri(reportUri(entry), problems, `${field}[${i}]`));
}

/** `dmarc@contoso.com` → `mailto:dmarc@contoso.com`; a URI (any scheme) is kept, so a wrong scheme is reported. */
function reportUri(entry: string): string {
  const trimmed = String(entry).trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return trimmed.replace(/^mailto:/i, "mailto:");
  return `mailto:${trimmed}`;
}

/** The report URIs as written in the record: de-duplicated (domain part case-insensitively) and sorted, for stable output. */
function reportUris(list: readonly string[] | undefined): string[] {
  const uris = (list ?? []).map(reportUri).map((uri) => {
    const at = uri.lastIndexOf("@");
    return uri.slice(0, at + 1) + uri.slice(at + 1).toLowerCase();
  });
  return [...new Set(uris)].sort();
}

/**
 * The `_dmarc.<domain>` TXT record of a policy. `v` and `p` come first, as RFC 7489 §6.4 requires; then what the
 * policy does to mail (`sp`, `pct`, `adkim`, `aspf`), then where reports go (`rua`, `ruf`). Tags at their default
 * value are left out, so the record changes only when the declaration means something different. Throws a
 * `ValidationError` listing every problem if the domain or the policy is invalid.
 */
export function dmarcRecord(domain: string, policy: DmarcPolicy): DnsRecord {
  const problems = new ProblemList([`DMARC for ${domain}`]);
  if (!isDomainName(domain)) problems.add("domain", `"${domain}" is not a domain name`, "a domain such as contoso.com");
  validateDmarcPolicy(policy, problems);
  problems.throwIfAny();

  const tags = ["v=DMARC1", `p=${DMARC_REQUEST_OF_STAGE[policy.stage]}`];
  const sub = policy.subdomainStage;
  if (sub !== undefined && sub !== policy.stage) tags.push(`sp=${DMARC_REQUEST_OF_STAGE[sub]}`);
  if (policy.percent !== undefined && policy.percent !== 100) tags.push(`pct=${policy.percent}`);
  if (policy.alignment?.dkim === "strict") tags.push("adkim=s");
  if (policy.alignment?.spf === "strict") tags.push("aspf=s");
  const rua = reportUris(policy.aggregateReports);
  const ruf = reportUris(policy.forensicReports);
  if (rua.length > 0) tags.push(`rua=${rua.join(",")}`);
  if (ruf.length > 0) tags.push(`ruf=${ruf.join(",")}`);
  return { name: `_dmarc.${normalizeName(domain)}`, type: "TXT", value: tags.join("; ") };
}

/**
 * The report destinations' domains that must authorise reports about `domain` (RFC 7489 §7.1): a receiver sends
 * reports to a destination outside the domain's Organizational Domain only if the destination publishes
 * `<domain>._report._dmarc.<destination>` with `v=DMARC1`. Without the Public Suffix List the Organizational Domain
 * (§3.2) cannot be computed exactly, so this treats a destination as internal only when it is the domain, a parent
 * or a subdomain of it. It may list a sibling subdomain of the same organization, whose authorization record is
 * then merely unnecessary; it never misses a truly external one.
 */
export function externalReportDomains(domain: string, policy: DmarcPolicy): string[] {
  const own = normalizeName(domain);
  const related = (d: string): boolean => d === own || d.endsWith(`.${own}`) || own.endsWith(`.${d}`);
  const domains = [...reportUris(policy.aggregateReports), ...reportUris(policy.forensicReports)].map(reportUriDomain);
  return [...new Set(domains)].filter((d) => !related(d)).sort();
}

/**
 * The record the owner of `destinationDomain` publishes so receivers send it reports about `domain` (RFC 7489 §7.1).
 * The value is `v=DMARC1;` with the semicolon the §6.4 ABNF requires after the version (the RFC's §7.1 examples omit
 * it; erratum 5440 corrects them).
 */
export function reportAuthorizationRecord(domain: string, destinationDomain: string): DnsRecord {
  return { name: `${normalizeName(domain)}._report._dmarc.${normalizeName(destinationDomain)}`, type: "TXT", value: "v=DMARC1;" };
}
