import { isIPv4, isIPv6 } from "node:net";
import { isCidr } from "../net";
import type { ProblemList } from "../problems";
import { isDomainName } from "./records";

/**
 * The terms of an SPF record (RFC 7208 §4.6.1 and §12 ABNF, https://datatracker.ietf.org/doc/html/rfc7208#section-12)
 * and the checks that need nothing but the record's own text.
 */

export type SpfQualifier = "+" | "-" | "~" | "?";
export const SPF_MECHANISMS = ["all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists"] as const;
export type SpfMechanismName = (typeof SPF_MECHANISMS)[number];

export interface SpfMechanism {
  readonly kind: "mechanism";
  /** The term as written. */
  readonly text: string;
  /** `+` when none is written (RFC 7208 §4.6.2). */
  readonly qualifier: SpfQualifier;
  readonly name: SpfMechanismName;
  /** The domain-spec of include, exists, a, mx and ptr, when written. */
  readonly domain?: string;
}

export interface SpfModifier {
  readonly kind: "modifier";
  readonly text: string;
  /** Lower case: `redirect`, `exp`, or an unknown modifier (which receivers ignore, RFC 7208 §6). */
  readonly name: string;
  readonly value: string;
}

export type SpfTerm = SpfMechanism | SpfModifier;

/** True when a TXT record's text is an SPF record: `v=spf1` then a space or the end (RFC 7208 §4.5). */
export function isSpfText(text: string): boolean {
  return /^v=spf1( |$)/i.test(text);
}

/**
 * The terms after `v=spf1`, each syntax error reported under the term. Any syntax error makes receivers return
 * "permerror" for the whole record (RFC 7208 §4.6), so every one is a problem. `undefined` when the text is not an
 * SPF record at all.
 */
export function parseSpfTerms(text: string, problems: ProblemList): SpfTerm[] | undefined {
  if (!isSpfText(text)) {
    problems.add("v", "the record does not begin with v=spf1, so receivers do not treat it as SPF (RFC 7208 §4.5)", "v=spf1 as the first term");
    return undefined;
  }
  const terms: SpfTerm[] = [];
  // `terms = *( 1*SP ( directive / modifier ) )`: terms are separated by spaces only.
  for (const written of text
    .slice("v=spf1".length)
    .split(" ")
    .filter((t) => t !== "")) {
    const term = parseTerm(written, problems);
    if (term) terms.push(term);
  }
  return terms;
}

function parseTerm(text: string, problems: ProblemList): SpfTerm | undefined {
  const modifier = /^([A-Za-z][A-Za-z0-9_.-]*)=(.*)$/.exec(text);
  if (modifier) {
    const name = modifier[1].toLowerCase();
    if ((name === "redirect" || name === "exp") && !checkDomainSpec(modifier[2], text, problems)) return undefined;
    return { kind: "modifier", text, name, value: modifier[2] };
  }
  const directive = /^([+\-~?]?)([A-Za-z][A-Za-z0-9_.-]*)(.*)$/.exec(text);
  const name = directive?.[2].toLowerCase();
  if (!directive || !(SPF_MECHANISMS as readonly string[]).includes(name ?? "")) {
    problems.add(
      text,
      "is not an SPF mechanism or modifier, which makes the record a permerror (RFC 7208 §4.6)",
      `${SPF_MECHANISMS.join(", ")}, redirect=, exp=`,
    );
    return undefined;
  }
  const mechanism = name as SpfMechanismName;
  const qualifier = (directive[1] || "+") as SpfQualifier;
  const rest = directive[3];
  const ok = checkArguments(mechanism, rest, text, problems);
  if (!ok) return undefined;
  const domain = ["include", "exists", "a", "mx", "ptr"].includes(mechanism) && rest.startsWith(":") ? rest.slice(1).replace(/\/.*$/, "") : undefined;
  return { kind: "mechanism", text, qualifier, name: mechanism, domain };
}

/** Whether a mechanism's arguments match RFC 7208 §5's syntax for it. */
function checkArguments(name: SpfMechanismName, rest: string, text: string, problems: ProblemList): boolean {
  const bad = (allowed: string): false => {
    problems.add(text, "is not valid SPF syntax, which makes the record a permerror (RFC 7208 §4.6)", allowed);
    return false;
  };
  switch (name) {
    case "all":
      return rest === "" || bad("all with no argument");
    case "include":
    case "exists":
      if (!rest.startsWith(":")) return bad(`${name}:<domain>`);
      return checkDomainSpec(rest.slice(1), text, problems);
    case "ptr":
      if (rest === "") return true;
      if (!rest.startsWith(":")) return bad("ptr or ptr:<domain>");
      return checkDomainSpec(rest.slice(1), text, problems);
    case "a":
    case "mx": {
      // `a [ ":" domain-spec ] [ dual-cidr-length ]`, dual-cidr-length = [ "/" ip4-len ] [ "//" ip6-len ].
      const match = /^(?::([^/]*))?(?:\/(\d+))?(?:\/\/(\d+))?$/.exec(rest);
      const allowed = `${name}, ${name}:<domain>, optionally /<0-32> and //<0-128>`;
      if (!match) return bad(allowed);
      if (!cidrLength(match[2], 32) || !cidrLength(match[3], 128)) return bad(allowed);
      return match[1] === undefined || checkDomainSpec(match[1], text, problems);
    }
    case "ip4":
    case "ip6": {
      const network = rest.startsWith(":") ? rest.slice(1) : "";
      return isSpfNetwork(name, network) || bad(name === "ip4" ? "ip4:<IPv4 address>[/<0-32>]" : "ip6:<IPv6 address>[/<0-128>]");
    }
  }
}

/** `ip4-cidr-length = "/" ("0" / %x31-39 0*1DIGIT)`: no leading zeros, at most the family's bits. */
function cidrLength(digits: string | undefined, max: number): boolean {
  return digits === undefined || (/^(0|[1-9]\d{0,2})$/.test(digits) && Number(digits) <= max);
}

/** An address or CIDR range of the mechanism's family, as `ip4:`/`ip6:` take it (RFC 7208 §5.6). */
export function isSpfNetwork(family: "ip4" | "ip6", value: string): boolean {
  const isFamily = family === "ip4" ? isIPv4 : isIPv6;
  const [address, prefix] = value.split("/");
  if (prefix === undefined) return isFamily(address);
  return isCidr(value) && isFamily(address) && cidrLength(prefix, family === "ip4" ? 32 : 128);
}

/** RFC 7208 §7.1 macro-expand: `%{` letter digits `r`? delimiters `}`, or `%%`, `%_`, `%-`. */
const MACRO = /%\{[slodiphcrtv]\d*r?[.\-+,/_=]*\}|%%|%_|%-/gi;

/** True when a domain-spec contains macros, whose target depends on the message: it cannot be followed offline. */
export function hasMacro(domainSpec: string): boolean {
  return /%/.test(domainSpec);
}

/**
 * A domain-spec (RFC 7208 §7.1): printable ASCII, every `%` part of a macro, and — when there are no macros — a
 * domain name whose top label is not all digits.
 */
function checkDomainSpec(spec: string, text: string, problems: ProblemList): boolean {
  const allowed = "a domain name such as spf.protection.outlook.com, or a domain-spec with RFC 7208 §7 macros";
  const withoutMacros = spec.replace(MACRO, "x");
  if (!/^[\x21-\x7e]+$/.test(spec) || withoutMacros.includes("%") || (!hasMacro(spec) && !isDomainName(spec))) {
    problems.add(text, `"${spec}" is not a valid domain-spec, which makes the record a permerror (RFC 7208 §4.6)`, allowed);
    return false;
  }
  return true;
}

/** Whose record the terms are: the domain's own, an included one, or the target of a redirect (which stands in for it). */
export type SpfRecordRole = "record" | "include" | "redirect";

const ENDINGS = "-all (fail, Microsoft's recommendation) or ~all (softfail)";

/**
 * What the terms mean rather than how they are written: an ending that lets unlisted hosts through, terms that are
 * never evaluated, repeated modifiers, `ptr`. An included record's `all` only decides whether the include matches,
 * so there only `+all` matters (it makes the include match every host).
 */
export function checkSpfTerms(terms: readonly SpfTerm[], role: SpfRecordRole, problems: ProblemList): void {
  for (const name of ["redirect", "exp"]) {
    const found = terms.filter((t) => t.kind === "modifier" && t.name === name);
    if (found.length > 1) problems.add(name, `appears ${found.length} times, which makes the record a permerror (RFC 7208 §6)`, "at most once");
  }
  const allIndex = terms.findIndex((t) => t.kind === "mechanism" && t.name === "all");
  const all = allIndex === -1 ? undefined : (terms[allIndex] as SpfMechanism);
  const redirect = terms.find((t) => t.kind === "modifier" && t.name === "redirect");

  if (role === "include") {
    if (all?.qualifier === "+") problems.add(all.text, "makes the include match every host on the internet, so everyone passes SPF as this domain", ENDINGS);
  } else if (!all && !redirect) {
    problems.add("all", "is missing, so mail from hosts the record does not list gets neutral, as with ?all (RFC 7208 §4.7)", ENDINGS);
  } else if (all?.qualifier === "+") {
    problems.add(all.text, "lets every host on the internet pass SPF as this domain", ENDINGS);
  } else if (all?.qualifier === "?") {
    problems.add(all.text, "gives unlisted hosts neutral, which Microsoft reserves for testing", ENDINGS);
  }

  if (all) {
    for (const term of terms.slice(allIndex + 1).filter((t) => t.kind === "mechanism"))
      problems.add(term.text, "comes after all and is never evaluated (RFC 7208 §5.1)", "every mechanism before all");
    if (redirect) problems.add(redirect.text, "is ignored because the record has an all mechanism (RFC 7208 §6.1)", "redirect= only in a record without all");
  }
  for (const ptr of terms.filter((t) => t.kind === "mechanism" && t.name === "ptr"))
    problems.add(ptr.text, "should not be published: it is slow, unreliable and loads the .arpa name servers (RFC 7208 §5.5)", "ip4:, ip6:, a or include:");
}
