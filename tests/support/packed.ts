import { execFileSync, ExecFileSyncOptions } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..");
/** npm's own scripts, beside the npm that runs the tests (`npm test` sets npm_execpath), else the ones on PATH. */
const NPM_BIN_DIR = process.env.npm_execpath?.endsWith("npm-cli.js") ? path.dirname(process.env.npm_execpath) : undefined;

function run(tool: "npm" | "npx", args: readonly string[], options: ExecFileSyncOptions): string {
  const [command, prefix] = NPM_BIN_DIR ? [process.execPath, [path.join(NPM_BIN_DIR, `${tool}-cli.js`)]] : [tool, []];
  return execFileSync(command, [...prefix, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options }) as string;
}

/** Runs npm and returns its stdout; throws (with `status` and `stderr`) when it fails. */
export function npm(args: readonly string[], options: ExecFileSyncOptions): string {
  return run("npm", args, options);
}

/** Runs `npx …` exactly as a user types it in a project directory. */
export function npx(args: readonly string[], options: ExecFileSyncOptions): string {
  return run("npx", args, options);
}

/**
 * Packs the project as `npm publish` would (dist/ must be built: `npm test` builds it first) into `dir`, and returns
 * the tarball's file name.
 */
export function packInto(dir: string): string {
  const out = npm(["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: ROOT });
  return (JSON.parse(out) as { filename: string }[])[0].filename;
}

/**
 * A lockfile for a project that depends only on the tarball: the tarball's own dependencies pinned to exactly the
 * versions this project's lockfile holds, so `npm ci --offline` installs them from the npm cache that installing
 * this project filled (no registry, no network), the way a user's `npm install` would resolve them.
 */
export function consumerLock(name: string, tarball: string): object {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  const packages: Record<string, unknown> = {
    "": { name, version: "1.0.0", dependencies: { [pkg.name as string]: `file:${tarball}` } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: `file:${tarball}`,
      license: pkg.license,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
      peerDependenciesMeta: pkg.peerDependenciesMeta,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const [key, entry] of Object.entries(lock.packages)) if (key !== "" && !entry.dev) packages[key] = entry;
  return { name, version: "1.0.0", lockfileVersion: 3, requires: true, packages };
}
