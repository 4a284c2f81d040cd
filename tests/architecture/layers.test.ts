import { expect } from "chai";
import * as fs from "node:fs";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

function sources(dir: string): string[] {
  return fs
    .readdirSync(path.join(ROOT, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => path.join(dir, f));
}

/** Module specifiers of the file's import and export-from statements (not strings inside generated code). */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(path.join(ROOT, file), "utf8");
  return [...text.matchAll(/^\s*(?:import|export)\s[^;`]*?\sfrom\s+"([^"]+)";/gm)].map((m) => m[1]);
}

/** Issue 13: service knowledge lives in lib/, which components build on and never the other way round. */
describe("architecture: layers", () => {
  it("lib/ never imports components/ (or stacks/, cli/)", () => {
    const offending = sources("lib").flatMap((file) =>
      importsOf(file)
        .filter((spec) => spec.startsWith("."))
        .map((spec) => path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)))
        .filter((target) => /^(components|stacks|cli)(\/|$)/.test(target))
        .map((target) => `${file} → ${target}`),
    );
    expect(offending).to.deep.equal([]);
  });

  it("a component area reaches another area only through its index (its public face)", () => {
    const offending = sources("components").flatMap((file) => {
      const area = file.split(path.sep)[1];
      return importsOf(file)
        .filter((spec) => spec.startsWith("../") && !spec.startsWith("../../"))
        .filter((spec) => spec.split("/")[1] !== area && spec.split("/").length > 2)
        .map((spec) => `${file} → ${spec}`);
    });
    expect(offending).to.deep.equal([]);
  });

  it("has no import cycle among the library's modules", () => {
    const files = ["lib", "components", "cli"].flatMap(sources);
    const resolve = (from: string, spec: string): string | undefined => {
      const base = path.relative(ROOT, path.resolve(ROOT, path.dirname(from), spec));
      return [`${base}.ts`, path.join(base, "index.ts")].find((f) => files.includes(f));
    };
    const edges = new Map(
      files.map((f) => [
        f,
        importsOf(f)
          .filter((s) => s.startsWith("."))
          .map((s) => resolve(f, s))
          .filter((t): t is string => !!t),
      ]),
    );
    const cycles: string[] = [];
    const state = new Map<string, "visiting" | "done">();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === "done") return;
      if (state.get(file) === "visiting") {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(" → "));
        return;
      }
      state.set(file, "visiting");
      for (const next of edges.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, "done");
    };
    files.forEach((f) => visit(f, []));
    expect(cycles).to.deep.equal([]);
  });

  it("every optional argument of an area's definition documents its @default", () => {
    const definitionFiles = [...fs.readdirSync(path.join(ROOT, "components")).map((area) => path.join("components", area, "definition.ts"))].filter((f) =>
      fs.existsSync(path.join(ROOT, f)),
    );
    const undocumented = definitionFiles.flatMap((file) => {
      const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n");
      return lines.flatMap((line, i) => {
        const field = /^\s*(?:readonly\s+)?(\w+)\?:/.exec(line)?.[1];
        if (!field) return [];
        const doc: string[] = [];
        for (let j = i - 1; j >= 0 && /^\s*(\/\*\*|\*|.*\*\/\s*$)/.test(lines[j]); j--) {
          doc.unshift(lines[j]);
          if (lines[j].trim().startsWith("/**")) break;
        }
        return doc.join(" ").includes("@default") ? [] : [`${file}: ${field}`];
      });
    });
    expect(undocumented).to.deep.equal([]);
  });

  it("one test seam, one name and shape: components take `endpoints?: ServiceEndpoints`, nothing else", () => {
    const componentFiles = sources("components").filter((f) => !/provider\.ts$|resource\.ts$|plan-describers\.ts$/.test(f));
    const seams = componentFiles.flatMap((file) =>
      fs
        .readFileSync(path.join(ROOT, file), "utf8")
        .split("\n")
        .filter((line) => /^\s*readonly (connection|exchangeUrl|endpoints|graphUrl|authorityHost)\?:/.test(line))
        .map((line) => `${file}: ${line.trim()}`),
    );
    expect(seams.length, "the areas with a provider each have the seam").to.be.greaterThan(2);
    expect(seams.filter((s) => !s.endsWith("readonly endpoints?: ServiceEndpoints;"))).to.deep.equal([]);
  });
});
