import { closest } from "fastest-levenshtein";
import { findDuplicates, Problem, ProblemList } from "../problems";
import { isDomainName } from "./records";
import { parseTagList, Tag } from "./tag-list";

/**
 * Reading a published DMARC record (what `_dmarc.<domain>` holds in DNS) back into its tags, with every problem a
 * receiver would trip over. The tags, their values and defaults are RFC 7489 §6.3 and the ABNF of §6.4
 * (https://datatracker.ietf.org/doc/html/rfc7489#section-6.3).
 */

/** The `p` and `sp` values (RFC 7489 §6.3). */
export const DMARC_REQUESTS = ["none", "quarantine", "reject"] as const;
export type DmarcRequest = (typeof DMARC_REQUESTS)[number];

/** Every tag RFC 7489 §6.3 registers. Receivers ignore other tags (§6.3), so an unknown tag is almost always a typo. */
export const DMARC_TAGS = ["v", "p", "sp", "pct", "rua", "ruf", "adkim", "aspf", "fo", "rf", "ri"] as const;
export type DmarcTagName = (typeof DMARC_TAGS)[number];

export interface ParsedDmarc {
  /** Every tag in record order, as written. */
  readonly tags: readonly Tag[];
  /** Each recognised tag whose value is valid, lower-cased where the ABNF is case-insensitive. */
  readonly p?: DmarcRequest;
  readonly sp?: DmarcRequest;
  readonly pct?: number;
  readonly rua: readonly string[];
  readonly ruf: readonly string[];
  readonly adkim?: "r" | "s";
  readonly aspf?: "r" | "s";
  readonly fo?: readonly string[];
  readonly rf?: readonly string[];
  readonly ri?: number;
  /** Everything wrong, each under the tag it concerns ("record" for the syntax as a whole). */
  readonly problems: readonly Problem[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Parses a DMARC record. Never throws: problems are returned with the tags that could be read. Multiple TXT strings
 * must be joined (without spaces) before calling this.
 */
export function parseDmarc(value: string, problems: ProblemList = new ProblemList(["DMARC record"])): ParsedDmarc {
  const before = problems.all.length;
  const tags = parseTagList(value, problems);
  const parsed: Mutable<Omit<ParsedDmarc, "problems">> = { tags, rua: [], ruf: [] };

  // §6.4 ABNF: `dmarc-record = dmarc-version dmarc-sep [dmarc-request] ...`, "components other than dmarc-version and
  // dmarc-request may appear in any order"; §6.6.3: records that do not start with a "v=" tag identifying DMARC1
  // are discarded.
  const v = tags.find((t) => t.name === "v");
  if (!v) problems.add("v", "is missing, so receivers discard the record (RFC 7489 §6.6.3)", "v=DMARC1 as the first tag");
  else if (v.index !== 0) problems.add("v", "is not the first tag, so receivers discard the record (RFC 7489 §6.6.3)", "v=DMARC1 as the first tag");
  if (v && v.value !== "DMARC1") problems.add("v", `is "${v.value}"`, "DMARC1 (upper case, RFC 7489 §6.4)");

  const p = tags.find((t) => t.name === "p");
  if (!p) problems.add("p", "is missing; it is required in a policy record (RFC 7489 §6.3)", DMARC_REQUESTS.join(", "));
  else if (p.index !== 1) problems.add("p", "does not come straight after v (RFC 7489 §6.4 ABNF)", "v=DMARC1; p=... as the first two tags");

  for (const dup of findDuplicates(tags.map((t) => t.name)))
    problems.add(dup, "appears more than once, which makes the whole record invalid (RFC 6376 §3.2, which RFC 7489 §6.3 adopts)", "each tag once");

  for (const tag of tags) {
    if (tag.name === "v") continue;
    if (!(DMARC_TAGS as readonly string[]).includes(tag.name)) {
      const hint = closest(tag.name.toLowerCase(), [...DMARC_TAGS]);
      problems.add(
        tag.name,
        "is not a DMARC tag, and receivers ignore unknown tags (RFC 7489 §6.3), so it has no effect",
        `${DMARC_TAGS.join(", ")} (did you mean ${hint}?)`,
      );
      continue;
    }
    readTag(tag.name as DmarcTagName, tag.value, parsed, problems);
  }
  return { ...parsed, problems: problems.all.slice(before) };
}

/** The problems of a published DMARC record: {@link parseDmarc} without the tags. */
export function validateDmarcRecord(value: string, problems: ProblemList = new ProblemList(["DMARC record"])): readonly Problem[] {
  return parseDmarc(value, problems).problems;
}

function readTag(name: DmarcTagName, raw: string, out: Mutable<Omit<ParsedDmarc, "problems">>, problems: ProblemList): void {
  // Literal strings in ABNF are case-insensitive (RFC 5234 §2.3), so `p=Reject` is valid; it is read lower case.
  const value = raw.toLowerCase();
  switch (name) {
    case "p":
    case "sp":
      if ((DMARC_REQUESTS as readonly string[]).includes(value)) out[name] = value as DmarcRequest;
      else problems.add(name, `is "${raw}"`, DMARC_REQUESTS.join(", "));
      return;
    case "adkim":
    case "aspf":
      if (value === "r" || value === "s") out[name] = value;
      else problems.add(name, `is "${raw}"`, "r (relaxed, the default) or s (strict)");
      return;
    case "pct":
      // `dmarc-percent = "pct" *WSP "=" *WSP 1*3DIGIT`, "integer between 0 and 100, inclusive" (§6.3).
      if (/^\d{1,3}$/.test(value) && Number(value) <= 100) out.pct = Number(value);
      else problems.add("pct", `is "${raw}"`, "a whole number from 0 to 100");
      return;
    case "ri":
      // `1*DIGIT`, a 32-bit unsigned integer of seconds (§6.3).
      if (/^\d{1,10}$/.test(value) && Number(value) <= 0xffffffff) out.ri = Number(value);
      else problems.add("ri", `is "${raw}"`, "a whole number of seconds (default 86400)");
      return;
    case "fo": {
      const options = value.split(":").map((o) => o.trim());
      if (options.every((o) => ["0", "1", "d", "s"].includes(o))) out.fo = options;
      else problems.add("fo", `is "${raw}"`, "0, 1, d or s, separated by colons");
      return;
    }
    case "rf": {
      // `Keyword *(*WSP ":" Keyword)`; "afrf" is the only format registered (§6.3).
      const formats = value.split(":").map((f) => f.trim());
      if (formats.every((f) => /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/.test(f))) out.rf = formats;
      else problems.add("rf", `is "${raw}"`, "afrf");
      return;
    }
    case "rua":
    case "ruf": {
      const uris = raw.split(",").map((u) => u.trim());
      const valid = uris.filter((uri, i) => checkReportUri(uri, problems, uris.length > 1 ? `${name}[${i}]` : name));
      out[name] = valid;
      return;
    }
    case "v":
      return;
  }
}

/**
 * A report destination as RFC 7489 §6.2/§6.4 allow it in `rua`/`ruf`: a `mailto:` URI (the one scheme every report
 * generator must support), with an optional size limit `!<digits>[k|m|g|t]`; commas and `!` inside the URI must be
 * percent-encoded. Other schemes are refused: Microsoft 365 and the large receivers send reports by email only.
 * Returns whether the URI is acceptable.
 */
export function checkReportUri(uri: string, problems: ProblemList, field: string): boolean {
  const allowed = "mailto:address@domain, optionally with a size limit such as !10m (RFC 7489 §6.2)";
  if (uri === "") {
    problems.add(field, "has an empty report destination", allowed);
    return false;
  }
  const match = /^mailto:([^!]*)(?:!(\d+)([kmgt])?)?$/i.exec(uri);
  if (!match) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1];
    problems.add(field, scheme ? `is a "${scheme}:" URI, not mailto:` : `"${uri}" is not a mailto: URI`, allowed);
    return false;
  }
  const address = match[1];
  const at = address.lastIndexOf("@");
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (at <= 0 || !/^[A-Za-z0-9.#$&'*+/=?^_`{|}~%-]+$/.test(local) || !isDomainName(domain)) {
    problems.add(field, `"${uri}" does not hold an email address`, allowed);
    return false;
  }
  return true;
}

/** The domain a `mailto:` report URI delivers to, lower case (the URI is assumed valid). */
export function reportUriDomain(uri: string): string {
  const address = uri.replace(/^mailto:/i, "").replace(/!.*$/, "");
  return address.slice(address.lastIndexOf("@") + 1).toLowerCase();
}
