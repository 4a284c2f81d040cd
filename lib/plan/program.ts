import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

/**
 * Finding and loading a project's Pulumi program the way the Pulumi Node.js runtime does, so `plan` runs exactly
 * what `pulumi preview` would run.
 *
 * Pulumi's rule (https://www.pulumi.com/docs/iac/concepts/projects/project-file/ and the Node.js "Entrypoint"
 * section of https://www.pulumi.com/docs/iac/languages-sdks/javascript/): `main` in Pulumi.yaml, relative to the
 * project; a directory means its package.json `main`, else `index.ts`/`index.js`; `runtime.options.typescript`
 * (default true) lets a `.ts` program run through ts-node.
 */
export interface ProgramLocation {
  /** The program file Pulumi would load. */
  readonly entry: string;
  /** A compiled copy of `entry` that is up to date with every source file (see BUILD_STAMP), if there is one. */
  readonly compiled?: string;
  /** Why the compiled copy was not used (so the CLI can say how to get the fast path back). */
  readonly compiledSkipped?: string;
}

/**
 * Written by `npm run build` (scripts/build.js) after `tsc`: the source roots it compiled and where to. A compiled
 * program is used only when this file is newer than every file under those roots; otherwise `plan` runs the source,
 * slower but never stale.
 */
export const BUILD_STAMP = path.join("dist", ".build-stamp.json");

interface BuildStamp {
  readonly outDir: string;
  readonly sources: readonly string[];
}

export function locateProgram(root: string): ProgramLocation {
  const projectFile = path.join(root, "Pulumi.yaml");
  if (!fs.existsSync(projectFile)) throw new Error(`no Pulumi.yaml in ${root}: run from the project directory or pass --root`);
  const project = (parseYaml(fs.readFileSync(projectFile, "utf8")) ?? {}) as { main?: unknown };
  if (project.main !== undefined && typeof project.main !== "string") throw new Error(`${projectFile}: main must be a path, relative to Pulumi.yaml`);
  const entry = resolveEntry(path.resolve(root, project.main ?? "."), projectFile);
  if (!entry.endsWith(".ts")) return { entry };
  const stamp = readStamp(root);
  if (!stamp) return { entry, compiledSkipped: "no build yet (run `npm run build`)" };
  const compiled = path.join(root, stamp.outDir, path.relative(root, entry)).replace(/\.ts$/, ".js");
  if (!fs.existsSync(compiled)) return { entry, compiledSkipped: `${path.relative(root, compiled)} is missing (run \`npm run build\`)` };
  const stampTime = fs.statSync(path.join(root, BUILD_STAMP)).mtimeMs;
  const newer = stamp.sources.map((s) => newestFileAfter(path.join(root, s), stampTime)).find((f) => f !== undefined);
  if (newer) return { entry, compiledSkipped: `${path.relative(root, newer)} changed after the last build (run \`npm run build\`)` };
  return { entry, compiled };
}

function resolveEntry(target: string, projectFile: string): string {
  if (fs.existsSync(target) && fs.statSync(target).isFile()) return target;
  if (fs.existsSync(target) && fs.statSync(target).isDirectory()) {
    const pkgFile = path.join(target, "package.json");
    const pkgMain = fs.existsSync(pkgFile) ? (JSON.parse(fs.readFileSync(pkgFile, "utf8")) as { main?: string }).main : undefined;
    const candidates = [...(pkgMain ? [pkgMain] : []), "index.ts", "index.js"].map((c) => path.resolve(target, c));
    const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (found) return found;
  }
  throw new Error(`${projectFile}: the program ${target} does not exist (main, or index.ts/index.js in the project directory)`);
}

function readStamp(root: string): BuildStamp | undefined {
  const file = path.join(root, BUILD_STAMP);
  if (!fs.existsSync(file)) return undefined;
  const stamp = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<BuildStamp>;
  return typeof stamp.outDir === "string" && Array.isArray(stamp.sources) ? (stamp as BuildStamp) : undefined;
}

/** The first file under `target` (a file or a folder) modified after `time`, if any. */
function newestFileAfter(target: string, time: number): string | undefined {
  if (!fs.existsSync(target)) return undefined;
  const stat = fs.statSync(target);
  if (stat.isFile()) return stat.mtimeMs > time ? target : undefined;
  for (const entry of fs.readdirSync(target, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const found = newestFileAfter(path.join(target, entry.name), time);
    if (found) return found;
  }
  return undefined;
}

/**
 * Loads (runs) the program once more. Node caches modules, so the entry is evicted first: plans of several stacks
 * in one process each run the program's top level again. The modules it imports stay cached, as they hold no state
 * of their own.
 */
export function runProgram(location: ProgramLocation, root: string): void {
  // A process that already loads TypeScript (the test suite, ts-node users) runs the source: same program, and what
  // the tests exercise is the code as written.
  const canLoadTypeScript = require.extensions[".ts"] !== undefined;
  const file = location.compiled && !canLoadTypeScript ? location.compiled : location.entry;
  if (file.endsWith(".ts")) registerTypeScript(root, file);
  delete require.cache[require.resolve(file)];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- running the program is loading it, as Pulumi's runtime does
  require(file);
}

/** A TypeScript program without a fresh build runs through the project's own ts-node, as under `pulumi up`. */
function registerTypeScript(root: string, file: string): void {
  if (require.extensions[".ts"]) return; // already registered
  let tsNode: string;
  try {
    tsNode = require.resolve("ts-node", { paths: [root] });
  } catch {
    throw new Error(
      `${path.relative(root, file)} is TypeScript and ${root} has no ts-node (Pulumi needs it too for a TypeScript program): ` +
        "npm install --save-dev ts-node typescript, or compile the program and point Pulumi.yaml main at the JavaScript",
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the project's own ts-node, resolved from its root
  (require(tsNode) as { register(options: object): void }).register({ transpileOnly: true, project: path.join(root, "tsconfig.json") });
}
