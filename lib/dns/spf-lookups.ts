import { ProblemList } from "../problems";
import { normalizeName } from "./records";
import { checkSpfTerms, hasMacro, isSpfText, parseSpfTerms, SpfRecordRole } from "./spf-terms";

/**
 * Counting the DNS lookups an SPF evaluation makes, against RFC 7208 §4.6.4's limits
 * (https://datatracker.ietf.org/doc/html/rfc7208#section-4.6.4): "the 'include', 'a', 'mx', 'ptr', and 'exists'
 * mechanisms, and the 'redirect' modifier" cause DNS queries, and there may be at most 10 of them in the whole
 * evaluation, nested includes included, else "permerror"; `all`, `ip4`, `ip6` and `exp` do not count. Void lookups
 * (no answer, or the name does not exist) "SHOULD" be limited to two, exceeding that is also "permerror".
 */

/**
 * Reads the TXT records at a name: one array of character-strings per record, as `node:dns/promises` `resolveTxt`
 * returns them. It must resolve to `[]` when the name does not exist or has no TXT records (both are void lookups)
 * and reject for anything else (a timeout, SERVFAIL), which the count reports as a failed lookup. `lib/dns/resolver.ts`
 * has one over the system resolver; tests pass a fake.
 */
export type TxtResolver = (name: string) => Promise<string[][]>;

export const SPF_LOOKUP_TERMS = ["include", "a", "mx", "ptr", "exists", "redirect"] as const;
export type SpfLookupTerm = (typeof SPF_LOOKUP_TERMS)[number];
/** RFC 7208 §4.6.4: "MUST limit the total number of those terms to 10". */
export const SPF_LOOKUP_LIMIT = 10;
/** RFC 7208 §4.6.4: "SHOULD limit 'void lookups' to two". */
export const SPF_VOID_LOOKUP_LIMIT = 2;

/**
 * What the count assumes offline, when no resolver is given: the lookup-causing terms of Microsoft's record, the only
 * include every baseline domain has. `spf.protection.outlook.com` includes `spfd.protection.outlook.com`, which lists
 * addresses only, so it costs 2 lookups (records as published in 2023–2025; their ip4/ip6 terms are left out here
 * because they cost nothing). Microsoft can change this at any time, so preflight counts live; any other include is
 * not followed offline, and the count is then a lower bound (`lowerBound`).
 */
export const KNOWN_SPF_RECORDS: Readonly<Record<string, string>> = {
  "spf.protection.outlook.com": "v=spf1 include:spfd.protection.outlook.com -all",
  "spfd.protection.outlook.com": "v=spf1 -all",
};

/** How the record behind an include or redirect was known. */
export type SpfFollowed =
  | "resolved" // read through the resolver and counted
  | "assumed" // taken from KNOWN_SPF_RECORDS (offline)
  | "not-followed" // offline and unknown, or a macro target that depends on the message, or too deep
  | "void" // the name has no TXT records or does not exist
  | "no-spf-record" // TXT records, none of them SPF
  | "multiple-spf-records" // more than one SPF record: permerror (RFC 7208 §4.5)
  | "loop" // the name is already being evaluated further up the chain
  | "error"; // the resolver failed (a receiver would return temperror)

export interface SpfLookupNode {
  /** The term as written (`include:_spf.example.com`); at the root, `v=spf1`. */
  readonly term: string;
  readonly mechanism?: SpfLookupTerm;
  /** The name an include or redirect follows, lower case. */
  readonly target?: string;
  readonly followed?: SpfFollowed;
  /** The lookup-causing terms of the followed record, in evaluation order (a redirect last). */
  readonly children: readonly SpfLookupNode[];
}

export interface SpfLookupCount {
  /** Terms that cause a DNS query, across the whole evaluation. */
  readonly lookups: number;
  readonly voidLookups: number;
  readonly byMechanism: Readonly<Record<SpfLookupTerm, number>>;
  readonly tree: SpfLookupNode;
  /** True when some include or redirect was not followed, so the true count may be higher. */
  readonly lowerBound: boolean;
}

/** A chain deeper than this is not followed further; with at most 10 lookups allowed, real records never get here. */
const MAX_DEPTH = 12;

/** The SPF records at a name, each with its strings joined without spaces (RFC 7208 §3.3). */
export async function spfRecordsAt(name: string, resolveTxt: TxtResolver): Promise<string[]> {
  return (await resolveTxt(normalizeName(name))).map((strings) => strings.join("")).filter(isSpfText);
}

/**
 * The lookups a receiver makes evaluating `value` when no mechanism matches (the worst case: evaluation stops at the
 * first match, so a record over the limit may fail only for some senders). With `resolveTxt`, includes and redirects
 * are followed live; without, only {@link KNOWN_SPF_RECORDS} are. Address lookups that `a` and `mx` make are not
 * performed (they do not count towards the 10), so void lookups are counted for include and redirect targets only.
 */
export async function countSpfLookups(value: string, resolveTxt?: TxtResolver): Promise<SpfLookupCount> {
  return walkSpf(value, resolveTxt, new ProblemList());
}

interface Walk {
  readonly resolve?: TxtResolver;
  lookups: number;
  voidLookups: number;
  lowerBound: boolean;
  readonly byMechanism: Record<SpfLookupTerm, number>;
}

/** {@link countSpfLookups}, reporting what it meets on the way (syntax, loops, missing or duplicate records). */
export async function walkSpf(value: string, resolveTxt: TxtResolver | undefined, problems: ProblemList): Promise<SpfLookupCount> {
  const byMechanism = Object.fromEntries(SPF_LOOKUP_TERMS.map((t) => [t, 0])) as Record<SpfLookupTerm, number>;
  const walk: Walk = { resolve: resolveTxt, lookups: 0, voidLookups: 0, lowerBound: false, byMechanism };
  const children = await walkRecord(value, "record", [], walk, problems);
  const tree: SpfLookupNode = { term: "v=spf1", children };
  return { lookups: walk.lookups, voidLookups: walk.voidLookups, byMechanism, tree, lowerBound: walk.lowerBound };
}

async function walkRecord(text: string, role: SpfRecordRole, chain: readonly string[], walk: Walk, problems: ProblemList): Promise<SpfLookupNode[]> {
  const terms = parseSpfTerms(text, problems);
  if (!terms) return [];
  checkSpfTerms(terms, role, problems);
  // Evaluation stops at `all` (it always matches, RFC 7208 §5.1), and a redirect is ignored when there is one (§6.1).
  const allIndex = terms.findIndex((t) => t.kind === "mechanism" && t.name === "all");
  const evaluated = allIndex === -1 ? terms : terms.slice(0, allIndex + 1);
  const nodes: SpfLookupNode[] = [];
  for (const term of evaluated) {
    if (term.kind !== "mechanism" || !(SPF_LOOKUP_TERMS as readonly string[]).includes(term.name)) continue;
    const mechanism = term.name as SpfLookupTerm;
    count(walk, mechanism);
    if (mechanism === "include" && term.domain !== undefined) nodes.push(await follow(term.text, "include", term.domain, chain, walk, problems));
    else nodes.push({ term: term.text, mechanism, children: [] });
  }
  // The redirect is evaluated after every mechanism failed to match, wherever it is written (RFC 7208 §6.1).
  const redirect = allIndex === -1 ? terms.find((t) => t.kind === "modifier" && t.name === "redirect") : undefined;
  if (redirect?.kind === "modifier") {
    count(walk, "redirect");
    nodes.push(await follow(redirect.text, "redirect", redirect.value, chain, walk, problems));
  }
  return nodes;
}

function count(walk: Walk, mechanism: SpfLookupTerm): void {
  walk.lookups += 1;
  walk.byMechanism[mechanism] += 1;
}

async function follow(
  term: string,
  mechanism: "include" | "redirect",
  spec: string,
  chain: readonly string[],
  walk: Walk,
  problems: ProblemList,
): Promise<SpfLookupNode> {
  const node = (followed: SpfFollowed, target?: string, children: SpfLookupNode[] = []): SpfLookupNode =>
    target === undefined ? { term, mechanism, followed, children } : { term, mechanism, target, followed, children };
  if (hasMacro(spec) || chain.length >= MAX_DEPTH) {
    walk.lowerBound = true;
    return node("not-followed");
  }
  const target = normalizeName(spec);
  if (chain.includes(target)) {
    const cycle = [...chain.slice(chain.indexOf(target)), target].join(" → ");
    problems.add(
      term,
      `loops (${cycle}), so evaluation runs into the lookup limit and fails with permerror`,
      "includes and redirects that never lead back to a name already being evaluated",
    );
    return node("loop", target);
  }
  const role = mechanism === "include" ? "include" : "redirect";
  const nested = problems.under(term);
  if (!walk.resolve) {
    const known = KNOWN_SPF_RECORDS[target];
    if (known === undefined) {
      walk.lowerBound = true;
      return node("not-followed", target);
    }
    return node("assumed", target, await walkRecord(known, role, [...chain, target], walk, nested));
  }

  // RFC 7208 §5.2 (include) and §6.1 (redirect): a target without exactly one SPF record is a permerror.
  const permerror = `so ${mechanism === "include" ? "the include" : "the redirect"} is a permerror (RFC 7208 ${mechanism === "include" ? "§5.2" : "§6.1"})`;
  let answers: string[][];
  try {
    answers = await walk.resolve(target);
  } catch (err) {
    walk.lowerBound = true;
    problems.add(
      term,
      `could not be looked up (${err instanceof Error ? err.message : String(err)}); receivers would return temperror`,
      "a name that resolves",
    );
    return node("error", target);
  }
  if (answers.length === 0) {
    walk.voidLookups += 1;
    problems.add(term, `${target} has no TXT records or does not exist (a void lookup), ${permerror}`, "a name that publishes one SPF record");
    return node("void", target);
  }
  const records = answers.map((strings) => strings.join("")).filter(isSpfText);
  if (records.length === 0) {
    problems.add(term, `${target} has TXT records but no SPF record, ${permerror}`, "a name that publishes one SPF record");
    return node("no-spf-record", target);
  }
  if (records.length > 1) {
    problems.add(term, `${target} publishes ${records.length} SPF records, which is a permerror (RFC 7208 §4.5)`, "exactly one v=spf1 record per name");
    return node("multiple-spf-records", target);
  }
  return node("resolved", target, await walkRecord(records[0], role, [...chain, target], walk, nested));
}
