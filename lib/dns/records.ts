/**
 * DNS records the baseline asks a DNS host to publish (SPF, DKIM, DMARC), independent of any DNS provider, so the same
 * record can become an Azure DNS RecordSet, a row in a Markdown table for a registrar's web form, or a preflight check.
 */

/** The record types the mail-authentication records use: TXT (SPF, DMARC), CNAME (DKIM selectors), MX (mail routing). */
export const DNS_RECORD_TYPES = ["TXT", "CNAME", "MX"] as const;
export type DnsRecordType = (typeof DNS_RECORD_TYPES)[number];

/**
 * Microsoft's instructions for every record they ask for give a TTL of "1 hour ... (3600)"
 * (https://learn.microsoft.com/microsoft-365/admin/get-help-with-domains/create-dns-records-at-any-dns-hosting-provider).
 */
export const DEFAULT_TTL = 3600;

export interface DnsRecord {
  /**
   * Fully qualified name without the trailing dot, lower case: `_dmarc.contoso.com`, `contoso.com` for the apex. A zone
   * file or Azure DNS wants it relative to the zone: {@link recordRelativeTo}.
   */
  readonly name: string;
  readonly type: DnsRecordType;
  /**
   * The record's data as one string. For TXT this is the whole text, before any split into 255-octet strings
   * ({@link txtStrings}); for CNAME the target name; for MX `<preference> <exchange>`.
   */
  readonly value: string;
  /**
   * Time to live in seconds.
   * @default 3600 ({@link DEFAULT_TTL}, Microsoft's value for the records it asks for)
   */
  readonly ttl?: number;
}

/** Lower case, no trailing dot: how names are compared and written here (DNS names compare case-insensitively, RFC 4343). */
export function normalizeName(name: string): string {
  return name.trim().replace(/\.$/, "").toLowerCase();
}

/**
 * A host name as mail authentication uses it: at least two labels of letters, digits, `-` and `_` (underscore labels
 * such as `_spf` or `_dmarc` are common in SPF includes), each 1–63 octets, 253 in all (RFC 1035 §2.3.4), and a top
 * label that is not all digits (RFC 7208 §7.1 `toplabel`). A trailing dot is allowed.
 */
export function isDomainName(value: string): boolean {
  const name = value.replace(/\.$/, "");
  if (name.length === 0 || name.length > 253) return false;
  const labels = name.split(".");
  if (labels.length < 2) return false;
  const labelOk = (l: string): boolean => /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(l);
  return labels.every(labelOk) && !/^\d+$/.test(labels[labels.length - 1]);
}

/**
 * The record-set name relative to `zone`, as Azure DNS `relativeRecordSetName` and zone files want it: `@` for the
 * apex (https://learn.microsoft.com/azure/dns/dns-operations-recordsets-cli), `_dmarc` for `_dmarc.contoso.com` in
 * `contoso.com`. Case and a trailing dot are ignored. Throws when `fqdn` is not in the zone, because a record
 * written under the wrong zone would silently publish at a different name (`_dmarc.contoso.com.fabrikam.com`).
 */
export function recordRelativeTo(zone: string, fqdn: string): string {
  const z = normalizeName(zone);
  const name = normalizeName(fqdn);
  if (!z || !name) throw new Error(`recordRelativeTo: zone "${zone}" and name "${fqdn}" must both be non-empty`);
  if (name === z) return "@";
  if (name.endsWith(`.${z}`)) return name.slice(0, -(z.length + 1));
  throw new Error(`"${fqdn}" is not in the zone "${zone}": it neither is "${z}" nor ends in ".${z}"`);
}

/** One TXT character-string holds at most 255 octets: its length is a single octet (RFC 1035 §3.3). */
export const TXT_STRING_MAX_OCTETS = 255;

/**
 * A TXT value split into character-strings of at most 255 octets, which receivers join without adding spaces
 * (RFC 7208 §3.3). Azure DNS's REST API — and so Pulumi's `azure-native` RecordSet `txtRecords[].value` — takes each
 * string separately, while its portal, PowerShell and CLI split for you
 * (https://learn.microsoft.com/azure/dns/dns-zones-records#txt-records). Splits never cut a UTF-8 character in two.
 */
export function txtStrings(value: string): string[] {
  if (value === "") return [""];
  const strings: string[] = [];
  let current = "";
  let octets = 0;
  for (const ch of value) {
    const size = Buffer.byteLength(ch, "utf8");
    if (octets + size > TXT_STRING_MAX_OCTETS) {
      strings.push(current);
      current = "";
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  strings.push(current);
  return strings;
}

export interface RecordTableOptions {
  /**
   * Show names relative to this zone (`@`, `_dmarc`), as most DNS hosts' forms ask for them.
   * @default none: fully qualified names
   */
  readonly zone?: string;
}

/**
 * The records as a Markdown table for whoever publishes them at the DNS host: name, type, value, TTL, in the order
 * given (the caller's order is the reading order, e.g. SPF, then DKIM, then DMARC). Values are code spans, so a
 * reviewer copies them exactly; pipes are escaped so a value cannot break the table.
 */
export function renderRecordTable(records: readonly DnsRecord[], options: RecordTableOptions = {}): string {
  const name = (r: DnsRecord): string => (options.zone === undefined ? normalizeName(r.name) : recordRelativeTo(options.zone, r.name));
  const lines = [
    "| name | type | value | TTL |",
    "|---|---|---|---|",
    ...records.map((r) => `| ${code(name(r))} | ${r.type} | ${code(r.value)} | ${r.ttl ?? DEFAULT_TTL} |`),
  ];
  return lines.join("\n") + "\n";
}

/** A table cell holding `text` verbatim: GitHub reads `\|` as a pipe even inside a code span in a table. */
function code(text: string): string {
  const cell = text.replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
  return cell.includes("`") ? `\`\` ${cell} \`\`` : `\`${cell}\``;
}
