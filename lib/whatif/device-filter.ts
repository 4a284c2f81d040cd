import type { DeviceProperties } from "./model";

/**
 * Entra's "filter for devices" rule language: `device.<property> <operator> <value>` joined by `-and` / `-or`
 * with parentheses. Operators and property names are case-insensitive, as are string comparisons.
 *
 * An unregistered device has every property null. Microsoft documents that positive operators (-eq, -in,
 * -contains, -startsWith, -endsWith) are then false and negative ones (-ne, -notIn, ...) true, which is why
 * `device.isCompliant -ne True` in include mode catches unregistered devices.
 */
export type DevicePredicate = (device: DeviceProperties | undefined) => boolean;

const OPERATORS = ["eq", "ne", "startswith", "notstartswith", "endswith", "notendswith", "contains", "notcontains", "in", "notin"] as const;
type Operator = (typeof OPERATORS)[number];

/** Documented filter properties, lower-cased → the canonical name a `DeviceProperties` record uses. */
export const DEVICE_FILTER_PROPERTIES: Readonly<Record<string, string>> = Object.fromEntries(
  [
    "deviceId",
    "displayName",
    "deviceOwnership",
    "enrollmentProfileName",
    "isCompliant",
    "manufacturer",
    "mdmAppId",
    "model",
    "operatingSystem",
    "operatingSystemVersion",
    "physicalIds",
    "profileType",
    "systemLabels",
    "trustType",
    ...Array.from({ length: 15 }, (_, i) => `extensionAttribute${i + 1}`),
  ].map((p) => [p.toLowerCase(), p]),
);
// The docs' own example writes `device.devicePhysicalIDs`.
const PROPERTY_ALIASES: Readonly<Record<string, string>> = { devicephysicalids: "physicalIds" };

export class DeviceFilterSyntaxError extends Error {
  constructor(rule: string, position: number, expected: string) {
    super(`device filter rule "${rule}" cannot be read at character ${position + 1}: expected ${expected}`);
    this.name = "DeviceFilterSyntaxError";
  }
}

type Token =
  | { kind: "open" | "close"; at: number }
  | { kind: "and" | "or"; at: number }
  | { kind: "op"; op: Operator; at: number }
  | { kind: "property"; name: string; at: number }
  | { kind: "value"; value: string | readonly string[]; at: number };

/** Compiles a rule once; the returned predicate is what the evaluator calls per sign-in. */
export function compileDeviceFilter(rule: string): DevicePredicate {
  const tokens = tokenize(rule);
  let index = 0;
  const peek = (): Token | undefined => tokens[index];
  const fail = (expected: string): never => {
    throw new DeviceFilterSyntaxError(rule, peek()?.at ?? rule.length, expected);
  };

  const parseOr = (): DevicePredicate => {
    const parts = [parseAnd()];
    while (peek()?.kind === "or") {
      index++;
      parts.push(parseAnd());
    }
    return parts.length === 1 ? parts[0] : (d) => parts.some((p) => p(d));
  };
  const parseAnd = (): DevicePredicate => {
    const parts = [parseTerm()];
    while (peek()?.kind === "and") {
      index++;
      parts.push(parseTerm());
    }
    return parts.length === 1 ? parts[0] : (d) => parts.every((p) => p(d));
  };
  const parseTerm = (): DevicePredicate => {
    const t = peek();
    if (t?.kind === "open") {
      index++;
      const inner = parseOr();
      if (peek()?.kind !== "close") fail('")"');
      index++;
      return inner;
    }
    if (t?.kind !== "property") return fail('device.<property> or "("');
    index++;
    const op = peek();
    if (op?.kind !== "op") return fail(`an operator (${OPERATORS.map((o) => "-" + o).join(", ")})`);
    index++;
    const value = peek();
    if (value?.kind !== "value") return fail("a quoted value, True/False, or a [list]");
    index++;
    return comparison(t.name, op.op, value.value);
  };

  if (tokens.length === 0) fail("a rule");
  const predicate = parseOr();
  if (index < tokens.length) fail("-and, -or or the end of the rule");
  return predicate;
}

const NEGATIONS: Readonly<Partial<Record<Operator, Operator>>> = {
  ne: "eq",
  notin: "in",
  notstartswith: "startswith",
  notendswith: "endswith",
  notcontains: "contains",
};

function comparison(property: string, op: Operator, expected: string | readonly string[]): DevicePredicate {
  const wanted = (Array.isArray(expected) ? expected : [expected]).map((v) => v.toLowerCase());
  const negative = op in NEGATIONS;
  const base = NEGATIONS[op] ?? op;
  const matches = (actual: string): boolean => {
    switch (base) {
      case "startswith":
        return wanted.some((w) => actual.startsWith(w));
      case "endswith":
        return wanted.some((w) => actual.endsWith(w));
      case "contains":
        return wanted.some((w) => actual.includes(w));
      default: // eq, in
        return wanted.includes(actual);
    }
  };
  return (device) => {
    const raw = device?.[property];
    if (raw === undefined || raw === null) return negative; // unregistered or unset: null semantics
    // Multi-valued properties (physicalIds, systemLabels): `-contains` asks whether the collection holds an element
    // equal to the value (Microsoft Entra "Filter for devices", supported operators: physicalIds -contains
    // "[OrderID]:…" matches that element, not a substring of one); the other operators match when any element does.
    const values = Array.isArray(raw) ? raw.map((v) => String(v).toLowerCase()) : [String(raw).toLowerCase()];
    const hit = Array.isArray(raw) && base === "contains" ? values.some((v) => wanted.includes(v)) : values.some(matches);
    return negative ? !hit : hit;
  };
}

function tokenize(rule: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const fail = (expected: string): never => {
    throw new DeviceFilterSyntaxError(rule, i, expected);
  };
  while (i < rule.length) {
    const c = rule[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "(" || c === ")") {
      tokens.push({ kind: c === "(" ? "open" : "close", at: i });
      i++;
    } else if (c === "-") {
      const word = /^-([A-Za-z]+)/.exec(rule.slice(i))?.[1] ?? "";
      const lower = word.toLowerCase();
      if (lower === "and" || lower === "or") tokens.push({ kind: lower, at: i });
      else if ((OPERATORS as readonly string[]).includes(lower)) tokens.push({ kind: "op", op: lower as Operator, at: i });
      else fail(`-and, -or or an operator, not "-${word}"`);
      i += word.length + 1;
    } else if (c === '"' || c === "'") {
      const end = rule.indexOf(c, i + 1);
      if (end < 0) fail(`a closing ${c}`);
      tokens.push({ kind: "value", value: rule.slice(i + 1, end), at: i });
      i = end + 1;
    } else if (c === "[") {
      const end = rule.indexOf("]", i);
      if (end < 0) fail('a closing "]"');
      const items = rule
        .slice(i + 1, end)
        .split(",")
        .map((s) => s.trim().replace(/^["']|["']$/g, ""))
        .filter((s) => s.length > 0);
      tokens.push({ kind: "value", value: items, at: i });
      i = end + 1;
    } else {
      const word = /^[A-Za-z0-9_.]+/.exec(rule.slice(i))?.[0];
      if (!word) return fail("a property, operator or value");
      const lower = word.toLowerCase();
      if (lower.startsWith("device.")) {
        const key = lower.slice("device.".length);
        const name = DEVICE_FILTER_PROPERTIES[key] ?? PROPERTY_ALIASES[key];
        if (!name) fail(`a documented device property (${Object.values(DEVICE_FILTER_PROPERTIES).join(", ")}), not "${word}"`);
        tokens.push({ kind: "property", name: name!, at: i });
      } else if (lower === "true" || lower === "false") {
        tokens.push({ kind: "value", value: lower, at: i });
      } else {
        fail(`device.<property> or a quoted value, not "${word}"`);
      }
      i += word.length;
    }
  }
  return tokens;
}
