import { closest } from "fastest-levenshtein";

/**
 * Validation problems are collected, not thrown one at a time, so an author fixing a stack sees every
 * mistake in one run. Each problem carries the path of the thing that is wrong (tenant › resource › field),
 * what was wrong, and what is allowed, in the style of aws-cdk's construct-path errors.
 */
export interface Problem {
  /** Path from the tenant down to the field, e.g. ["tenant contoso-hybrid", "policy CA001-...", "grant.controls"]. */
  readonly path: readonly string[];
  /** What is wrong, in words an author understands. */
  readonly problem: string;
  /** What would be accepted instead. */
  readonly allowed?: string;
}

export class ValidationError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(formatProblems(problems));
    this.name = "ValidationError";
  }
}

export function formatProblems(problems: readonly Problem[]): string {
  const lines = problems.map((p) => {
    const allowed = p.allowed ? ` Allowed: ${p.allowed}.` : "";
    return `  - ${p.path.join(" › ")}: ${p.problem}.${allowed}`;
  });
  const noun = problems.length === 1 ? "problem" : "problems";
  return `m365-baseline found ${problems.length} ${noun}; nothing was declared:\n${lines.join("\n")}`;
}

/** Accumulates problems under a fixed path prefix; `throwIfAny` ends validation. */
export class ProblemList {
  constructor(
    private readonly prefix: readonly string[] = [],
    private readonly sink: Problem[] = [],
  ) {}

  add(field: string | readonly string[], problem: string, allowed?: string): void {
    const tail = typeof field === "string" ? [field] : field;
    this.sink.push({ path: [...this.prefix, ...tail], problem, allowed });
  }

  /** A view that reports into the same list with a longer prefix. */
  under(...segments: string[]): ProblemList {
    return new ProblemList([...this.prefix, ...segments], this.sink);
  }

  get all(): readonly Problem[] {
    return this.sink;
  }

  throwIfAny(): void {
    if (this.sink.length > 0) throw new ValidationError([...this.sink]);
  }
}

/** An SMTP address as Exchange accepts it for a recipient (local part per RFC 5322 atoms, a dotted domain). */
export const SMTP_ADDRESS = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** The shortest written reason (an opt-out, an exception) a reviewer can judge: a sentence, not "ok". */
export const MIN_REASON_LENGTH = 15;

export const GUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID_PATTERN.test(value);
}

/** A logical name: the identity of a declared object (its Pulumi resource name), stable across display-name changes. */
export const LOGICAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** Values that occur more than once, each reported once, sorted. */
export function findDuplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const v of values) (seen.has(v) ? dupes : seen).add(v);
  return [...dupes].sort();
}

/**
 * Adds a problem for each key of `value` that `known` lacks, naming the closest known key: a misspelt optional field
 * would otherwise be ignored without a word (declarations planned from source are transpiled, not type-checked).
 */
export function checkKnownKeys(value: unknown, known: readonly string[], problems: ProblemList, at: string = ""): void {
  if (!value || typeof value !== "object" || Array.isArray(value)) return;
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    problems.add(at ? `${at}.${key}` : key, "is not a field of this declaration", `${known.join(", ")} (did you mean ${closest(key, [...known])}?)`);
  }
}
