import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";
import { EVALUATED, NOT_A_CONDITION, NOT_EVALUABLE } from "../../lib/whatif/coverage";

interface SchemaType {
  readonly properties: Readonly<Record<string, { readonly type: string; readonly navigation: boolean }>>;
}

// Graph's v1.0 metadata (microsoftgraph/msgraph-metadata, clean_v10_metadata), as the reference folder holds it.
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "fixtures", "graph-v1.0-schema.json"), "utf8")) as {
  types: Record<string, SchemaType>;
};

/** The containers a policy is made of; anything else is a leaf the evaluator must account for. */
const CONTAINERS = new Set([
  "conditionalAccessConditionSet",
  "conditionalAccessUsers",
  "conditionalAccessApplications",
  "conditionalAccessClientApplications",
  "conditionalAccessPlatforms",
  "conditionalAccessLocations",
  "conditionalAccessDevices",
  "conditionalAccessGrantControls",
  "conditionalAccessSessionControls",
]);

function leaves(typeName: string, prefix: string): string[] {
  const type = schema.types[typeName];
  if (!type) throw new Error(`no type ${typeName} in the schema`);
  return Object.entries(type.properties).flatMap(([name, p]) => {
    const target = p.type.replace(/^Collection\((.*)\)$/, "$1").replace(/^graph\./, "");
    const at = prefix ? `${prefix}.${name}` : name;
    return CONTAINERS.has(target) ? leaves(target, at) : [at];
  });
}

describe("whatif covers Graph v1.0's conditional-access policy, property by property", () => {
  const all = leaves("conditionalAccessPolicy", "");

  it("every property is evaluated, flagged as not evaluable, or not a condition: none is ignored silently", () => {
    const accounted = new Set([...EVALUATED, ...Object.keys(NOT_EVALUABLE), ...NOT_A_CONDITION]);
    expect(all.filter((p) => !accounted.has(p))).to.deep.equal([]);
    expect(all).to.include("conditions.insiderRiskLevels").and.include("conditions.authenticationFlows");
  });

  it("the lists name only properties the schema has (no stale entries)", () => {
    const known = new Set(all);
    expect([...EVALUATED, ...Object.keys(NOT_EVALUABLE)].filter((p) => !known.has(p))).to.deep.equal([]);
  });
});
