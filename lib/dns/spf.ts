import { checkKnownKeys, Problem, ProblemList } from "../problems";
import type { CLOUDS } from "../tenant-settings";
import { DnsRecord, isDomainName, normalizeName, TXT_STRING_MAX_OCTETS } from "./records";
import { KNOWN_SPF_RECORDS, SPF_LOOKUP_LIMIT, SPF_VOID_LOOKUP_LIMIT, TxtResolver, walkSpf } from "./spf-lookups";
import { isSpfNetwork } from "./spf-terms";

export { countSpfLookups, KNOWN_SPF_RECORDS, SPF_LOOKUP_LIMIT, SPF_LOOKUP_TERMS, SPF_VOID_LOOKUP_LIMIT, spfRecordsAt } from "./spf-lookups";
export type { SpfFollowed, SpfLookupCount, SpfLookupNode, SpfLookupTerm, TxtResolver } from "./spf-lookups";

/**
 * A domain's declared SPF record (RFC 7208, https://datatracker.ietf.org/doc/html/rfc7208; Microsoft's guidance:
 * https://learn.microsoft.com/defender-office-365/email-authentication-spf-configure).
 */

/** The include that authorises Exchange Online in Microsoft 365 and GCC. */
export const MICROSOFT_365_SPF_INCLUDE = "spf.protection.outlook.com";

type Cloud = (typeof CLOUDS)[number];

/**
 * Exchange Online's include per cloud, as Microsoft's SPF page lists them: GCC High and DoD use
 * `spf.protection.office365.us`, Microsoft 365 operated by 21Vianet `spf.protection.partner.outlook.cn`.
 */
export const MICROSOFT_365_SPF_INCLUDES: Readonly<Record<Cloud, string>> = {
  global: MICROSOFT_365_SPF_INCLUDE,
  usGovernment: "spf.protection.office365.us",
  usGovernmentDoD: "spf.protection.office365.us",
  china: "spf.protection.partner.outlook.cn",
};

export interface SpfPolicy {
  /**
   * Other services that send as the domain, by the include domain their documentation gives (`servers.adatum.com`).
   * Exchange Online's include is always written and need not be listed. Each include costs at least one of the 10
   * DNS lookups; Microsoft suggests a subdomain for services you do not control.
   * @default none
   */
  readonly include?: readonly string[];
  /**
   * IPv4 addresses or CIDR ranges that send as the domain (`192.168.0.10`, `203.0.113.0/24`), e.g. on-premises
   * Exchange in a hybrid deployment. They cost no DNS lookups.
   * @default none
   */
  readonly ip4?: readonly string[];
  /**
   * IPv6 addresses or CIDR ranges that send as the domain. They cost no DNS lookups.
   * @default none
   */
  readonly ip6?: readonly string[];
  /**
   * What receivers should do with mail from any other host: `fail` writes `-all` (hard fail), `softfail` writes `~all`.
   * Microsoft recommends `-all` for Microsoft 365 domains; with DKIM and DMARC the two are "effectively" the same.
   * `+all` and `?all` are not offered: they let anyone, or anyone with a neutral verdict, send as the domain.
   * @default "fail"
   */
  readonly all?: "fail" | "softfail";
}

const POLICY_FIELDS = ["include", "ip4", "ip6", "all"] as const;

/**
 * RFC 7208 §3.4: keep "the combined length of the DNS name and the text of all the records of a given type ... under
 * 450 octets" so the answer fits a 512-octet UDP response.
 */
export const SPF_RECOMMENDED_MAX_OCTETS = 450;

/** Adds every problem of a declared SPF record to `problems` (the caller's path prefix names the domain). */
export function validateSpfPolicy(spf: SpfPolicy, problems: ProblemList, cloud: Cloud = "global"): void {
  const before = problems.all.length;
  checkKnownKeys(spf, POLICY_FIELDS, problems);
  for (const field of ["include", "ip4", "ip6"] as const) {
    const list = spf[field];
    if (list === undefined) continue;
    if (!Array.isArray(list)) {
      problems.add(
        field,
        "is not a list",
        field === "include" ? "a list of domain names" : `a list of ${field === "ip4" ? "IPv4" : "IPv6"} addresses or CIDR ranges`,
      );
      continue;
    }
    list.forEach((entry: unknown, i: number) => {
      const text = String(entry);
      if (field === "include" && !isDomainName(text))
        problems.add(`include[${i}]`, `"${text}" is not a domain name`, "the include domain the sending service documents, such as servers.adatum.com");
      if (field !== "include" && !isSpfNetwork(field, text))
        problems.add(
          `${field}[${i}]`,
          `"${text}" is not an ${field === "ip4" ? "IPv4" : "IPv6"} address or CIDR range`,
          field === "ip4" ? "e.g. 192.168.0.10 or 203.0.113.0/24" : "e.g. 2001:db8::1 or 2001:db8::/32",
        );
    });
  }
  if (spf.all !== undefined && spf.all !== "fail" && spf.all !== "softfail")
    problems.add("all", `is "${String(spf.all)}"`, "fail (-all, Microsoft's recommendation), softfail (~all)");

  // Offline, only Microsoft's include is known; every other include costs at least its own lookup.
  const includes = includeDomains(spf, cloud);
  const lookups = includes.reduce((sum, d) => sum + offlineCost(d), 0);
  if (lookups > SPF_LOOKUP_LIMIT)
    problems.add(
      "include",
      `needs at least ${lookups} DNS lookups, more than the ${SPF_LOOKUP_LIMIT} receivers allow, so SPF would fail with permerror (RFC 7208 §4.6.4)`,
      "fewer includes: send from subdomains with their own SPF records, or list the service's addresses in ip4/ip6",
    );
  // The size is only meaningful for a declaration that is otherwise valid (it is the record that would be written).
  if (problems.all.length === before) {
    const octets = Buffer.byteLength(spfText(spf, cloud), "utf8");
    if (octets > SPF_RECOMMENDED_MAX_OCTETS)
      problems.add(
        "record",
        `would be ${octets} octets, over the ${SPF_RECOMMENDED_MAX_OCTETS} RFC 7208 §3.4 recommends`,
        "fewer terms: CIDR ranges instead of single addresses, or the sender's include",
      );
  }
}

function offlineCost(domain: string): number {
  const known = KNOWN_SPF_RECORDS[domain];
  // The include itself, plus the includes its known record makes (one level is all Microsoft's record has).
  return 1 + (known === undefined ? 0 : [...known.matchAll(/ include:(\S+)/g)].reduce((sum, m) => sum + offlineCost(m[1]), 0));
}

/** Exchange Online first (most of the domain's mail matches it, so evaluation stops there), then the others sorted. */
function includeDomains(spf: SpfPolicy, cloud: Cloud): string[] {
  const microsoft = MICROSOFT_365_SPF_INCLUDES[cloud];
  const others = (spf.include ?? []).map(normalizeName).filter((d) => d !== microsoft);
  return [microsoft, ...[...new Set(others)].sort()];
}

function spfText(spf: SpfPolicy, cloud: Cloud): string {
  const networks = (family: "ip4" | "ip6"): string[] =>
    [...new Set((spf[family] ?? []).map((n) => n.trim().toLowerCase()))].sort().map((n) => `${family}:${n}`);
  const ending = (spf.all ?? "fail") === "fail" ? "-all" : "~all";
  return ["v=spf1", ...networks("ip4"), ...networks("ip6"), ...includeDomains(spf, cloud).map((d) => `include:${d}`), ending].join(" ");
}

/**
 * The domain's SPF TXT record, in the order Microsoft's syntax shows: addresses (no lookups, so a match there costs
 * nothing), Exchange Online's include, other includes, then `-all` or `~all`
 * (`v=spf1 ip4:192.168.0.10 include:spf.protection.outlook.com -all`). Lists are de-duplicated and sorted, so the
 * record is stable. Throws a `ValidationError` listing every problem if the domain or the declaration is invalid.
 */
export function spfRecord(domain: string, spf: SpfPolicy = {}, cloud: Cloud = "global"): DnsRecord {
  const problems = new ProblemList([`SPF for ${domain}`]);
  if (!isDomainName(domain)) problems.add("domain", `"${domain}" is not a domain name`, "a domain such as contoso.com");
  validateSpfPolicy(spf, problems, cloud);
  problems.throwIfAny();
  return { name: normalizeName(domain), type: "TXT", value: spfText(spf, cloud) };
}

/**
 * The problems of a published SPF record: syntax (any error is a permerror, RFC 7208 §4.6), an ending that lets
 * unlisted hosts through, more than 10 lookups or 2 void lookups (§4.6.4), loops, and size.
 *
 * `value` is the record's character-strings as published, or one string. One TXT string holds at most 255 octets
 * (RFC 1035 §3.3); a longer record must be published as several strings, which receivers join without adding spaces
 * (RFC 7208 §3.3) — so pass a long record as its strings (`txtStrings(record.value)`), and a single string over 255
 * is reported. With `resolveTxt`, includes and redirects are followed live, and more than one SPF record at an
 * included name is reported; without, only Microsoft's include is counted beyond its own lookup.
 */
export async function validateSpfRecord(
  value: string | readonly string[],
  resolveTxt?: TxtResolver,
  problems: ProblemList = new ProblemList(["SPF record"]),
): Promise<readonly Problem[]> {
  const before = problems.all.length;
  const strings = typeof value === "string" ? [value] : [...value];
  const text = strings.join("");
  strings.forEach((s, i) => {
    const octets = Buffer.byteLength(s, "utf8");
    if (octets > TXT_STRING_MAX_OCTETS)
      problems.add(
        strings.length > 1 ? `string ${i + 1}` : "record",
        `is one TXT string of ${octets} octets, but a TXT string holds at most ${TXT_STRING_MAX_OCTETS} (RFC 1035 §3.3)`,
        "several strings of at most 255 octets, which receivers join without spaces (RFC 7208 §3.3)",
      );
  });
  const total = Buffer.byteLength(text, "utf8");
  if (total > SPF_RECOMMENDED_MAX_OCTETS)
    problems.add(
      "record",
      `is ${total} octets, over the ${SPF_RECOMMENDED_MAX_OCTETS} RFC 7208 §3.4 recommends so the answer fits one UDP packet`,
      "a shorter record: CIDR ranges, subdomains for other senders",
    );

  const count = await walkSpf(text, resolveTxt, problems);
  const atLeast = count.lowerBound ? "at least " : "";
  if (count.lookups > SPF_LOOKUP_LIMIT)
    problems.add(
      "lookups",
      `evaluation needs ${atLeast}${count.lookups} DNS lookups, more than the ${SPF_LOOKUP_LIMIT} receivers allow, so SPF fails with permerror (RFC 7208 §4.6.4)`,
      `at most ${SPF_LOOKUP_LIMIT} include, a, mx, ptr, exists and redirect terms, counting those in included records`,
    );
  if (count.voidLookups > SPF_VOID_LOOKUP_LIMIT)
    problems.add(
      "lookups",
      `evaluation meets ${count.voidLookups} void lookups (names with no records), more than the ${SPF_VOID_LOOKUP_LIMIT} receivers allow, so SPF fails with permerror (RFC 7208 §4.6.4)`,
      `at most ${SPF_VOID_LOOKUP_LIMIT}`,
    );
  return problems.all.slice(before);
}
