import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Graph v1.0 types from Microsoft's published metadata (a copy of shared/reference/graph-v1.0-schema.json), so the
 * local server rejects what Graph rejects: unknown properties, wrong enum values, wrong primitive types.
 */
interface PropertySpec {
  readonly type: string;
  readonly nullable: boolean;
  readonly navigation: boolean;
}
interface TypeSpec {
  readonly kind: string;
  readonly base: string | null;
  readonly properties: Readonly<Record<string, PropertySpec>>;
}
interface Schema {
  readonly types: Readonly<Record<string, TypeSpec>>;
  readonly enums: Readonly<Record<string, readonly string[]>>;
}

const schema: Schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "graph-v1.0-schema.json"), "utf8"));

/**
 * Graph's Edm.Duration, as Microsoft Graph's OpenAPI description constrains it: days and time parts only
 * (`^-?P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+([.][0-9]+)?S)?)?$`). P1Y, P1M and P1W are refused with 400.
 */
const GRAPH_DURATION = /^-?P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+([.][0-9]+)?S)?)?$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Every property of a type, including those inherited through `base`. */
export function propertiesOf(typeName: string): Record<string, PropertySpec> {
  const spec = schema.types[typeName];
  if (!spec) throw new Error(`graph-schema: unknown type ${typeName}`);
  return { ...(spec.base ? propertiesOf(spec.base) : {}), ...spec.properties };
}

/** Problems with `value` as a `typeName`, as Graph would phrase them; empty when valid. */
export function schemaProblems(typeName: string, value: unknown, at = typeName): string[] {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return [`${at}: expected an object`];
  const record = value as Record<string, unknown>;
  const odataType = record["@odata.type"];
  const actualType = typeof odataType === "string" ? odataType.replace(/^#?microsoft\.graph\./, "") : typeName;
  if (!schema.types[actualType]) return [`${at}: unknown @odata.type ${String(odataType)}`];
  const props = propertiesOf(actualType);
  const problems: string[] = [];
  for (const [key, v] of Object.entries(record)) {
    if (key.startsWith("@odata.") || key.includes("@odata.")) continue;
    const spec = props[key];
    if (!spec) {
      problems.push(`Property '${key}' does not exist on type 'microsoft.graph.${actualType}'`);
      continue;
    }
    problems.push(...valueProblems(spec.type, v, spec.nullable, `${at}.${key}`));
  }
  return problems;
}

function valueProblems(type: string, v: unknown, nullable: boolean, at: string): string[] {
  if (v === null) return nullable ? [] : [`${at}: cannot be null`];
  const collection = /^Collection\((.+)\)$/.exec(type);
  if (collection) {
    if (!Array.isArray(v)) return [`${at}: expected a collection`];
    return v.flatMap((item, i) => valueProblems(collection[1], item, false, `${at}[${i}]`));
  }
  switch (type) {
    case "Edm.String":
      return typeof v === "string" ? [] : [`${at}: expected a string`];
    case "Edm.Boolean":
      return typeof v === "boolean" ? [] : [`${at}: expected a boolean`];
    case "Edm.Int32":
    case "Edm.Int64":
      return Number.isInteger(v) ? [] : [`${at}: expected an integer`];
    case "Edm.Double":
      return typeof v === "number" ? [] : [`${at}: expected a number`];
    case "Edm.Duration":
      return typeof v === "string" && GRAPH_DURATION.test(v) ? [] : [`${at}: '${String(v)}' is not a valid Edm.Duration (days and time parts only)`];
    case "Edm.DateTimeOffset":
      return typeof v === "string" && !Number.isNaN(Date.parse(v)) ? [] : [`${at}: '${String(v)}' is not a DateTimeOffset`];
    case "Edm.Binary":
      return typeof v === "string" && BASE64.test(v) ? [] : [`${at}: expected base64 binary`];
  }
  const name = type.replace(/^graph\./, "");
  const enumValues = schema.enums[name];
  if (enumValues) {
    // Flag enums arrive as comma-separated strings.
    const parts = typeof v === "string" ? v.split(",").map((s) => s.trim()) : [];
    return parts.length > 0 && parts.every((p) => enumValues.includes(p)) ? [] : [`${at}: Requested value '${String(v)}' was not found in enum '${name}'`];
  }
  if (schema.types[name]) return schemaProblems(name, v, at);
  return [];
}
