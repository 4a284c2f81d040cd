/**
 * A fact is one thing a reviewer reads about a resource ("state: report-only", "excluded roles: …"). The plan's
 * Markdown lists facts and the diff compares them, so both always use the same words.
 */
export interface Fact {
  /** Matches the same fact across two plans; usually equal to `label`. */
  readonly key: string;
  /** Words for the reviewer, e.g. "excluded roles". */
  readonly label: string;
  /** A single value, or a set of values (order never matters: sets are compared as sets and shown sorted). */
  readonly value: string | readonly string[];
  /** Shown with a warning sign: something a reviewer must read, e.g. a removed built-in exclusion. */
  readonly warn?: boolean;
}

export function scalar(label: string, value: string | undefined, key: string = label): Fact[] {
  return value === undefined ? [] : [{ key, label, value }];
}

/** A flag as a reviewer reads it: "yes" or "no"; undefined (not declared) stays undefined so the fact is omitted. */
export function yesNo(value: unknown): string | undefined {
  return value === undefined ? undefined : value ? "yes" : "no";
}

/** A set fact; omitted when empty so "none" and "not configured" compare equal. */
export function set(label: string, values: readonly string[] | undefined, key: string = label): Fact[] {
  if (!values || values.length === 0) return [];
  return [{ key, label, value: [...new Set(values)].sort((a, b) => a.localeCompare(b)) }];
}

export function showValue(value: Fact["value"]): string {
  return typeof value === "string" ? value : value.length === 0 ? "none" : value.join(", ");
}

/**
 * Facts for any resource type: one per leaf input, keyed by its path (`ip.ipRanges`). Arrays of plain values are
 * sets; arrays of objects become sets of their canonical JSON (the recorder sorts keys), so order never matters.
 */
export function genericFacts(inputs: Readonly<Record<string, unknown>>): Fact[] {
  const facts: Fact[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      facts.push(
        ...set(
          path,
          value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))),
        ),
      );
    } else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) walk(v, path ? `${path}.${k}` : k);
    } else if (value !== undefined) {
      facts.push({ key: path, label: path, value: typeof value === "string" ? value : JSON.stringify(value) });
    }
  };
  walk(inputs, "");
  return facts;
}
