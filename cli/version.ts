import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The version in this package's package.json. Found by walking up from this file, because the same code runs from
 * cli/ (source, tests) and from dist/cli/ (the published package).
 */
export function packageVersion(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, "package.json");
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
      if (pkg.name === "m365-baseline" && pkg.version) return pkg.version;
    }
    if (path.dirname(dir) === dir) throw new Error(`no m365-baseline package.json above ${from}`);
  }
}
