import type { Problem } from "../../lib/problems";
import type { TxtResolver } from "../../lib/dns";

/** Problems as one line each, in the project's format (`path › field: problem. Allowed: ...`). */
export function lines(problems: readonly Problem[]): string[] {
  return problems.map((p) => `${p.path.join(" › ")}: ${p.problem}.${p.allowed ? ` Allowed: ${p.allowed}.` : ""}`);
}

/**
 * A TXT resolver over a fixed zone: each name maps to its TXT records, each record to its character-strings. A name
 * that is not listed answers `[]` (NXDOMAIN, a void lookup); a name mapped to an Error rejects (a SERVFAIL).
 * `queries` records every name asked, in order.
 */
export function fakeResolver(zone: Readonly<Record<string, string | string[][] | Error>>): TxtResolver & { queries: string[] } {
  const queries: string[] = [];
  const resolve = async (name: string): Promise<string[][]> => {
    queries.push(name);
    const answer = zone[name];
    if (answer instanceof Error) throw answer;
    if (answer === undefined) return [];
    return typeof answer === "string" ? [[answer]] : answer;
  };
  return Object.assign(resolve, { queries });
}
