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
});
