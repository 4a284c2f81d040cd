import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * A throwaway copy of the project for commands that write files: stacks/ is copied (new-tenant edits it), the
 * rest is linked, so the scaffolded stack plans with the real components and the same @pulumi/pulumi instance, and
 * `npx m365-baseline` run there finds the built command as it does in the project itself.
 */
export function tempProject(): { root: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-project-"));
  for (const entry of ["node_modules", "components", "lib", "cli", "dist", "tsconfig.json"]) fs.symlinkSync(path.join(ROOT, entry), path.join(root, entry));
  for (const file of fs.readdirSync(ROOT).filter((f) => /^Pulumi\..*yaml$/.test(f) || f === "program.ts"))
    fs.copyFileSync(path.join(ROOT, file), path.join(root, file));
  // npx installs a project it runs in by linking it, which runs its `prepare` (the build); dist/ is linked, built.
  const { prepare: _built, ...scripts } = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).scripts;
  fs.writeFileSync(
    path.join(root, "package.json"),
    JSON.stringify({ ...JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")), scripts }, null, 2),
  );
  fs.cpSync(path.join(ROOT, "stacks"), path.join(root, "stacks"), { recursive: true });
  return { root, remove: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/** Collects what a command writes, and lets a test pretend stderr is a terminal. */
export function captureIo(stderrIsTty = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: { write: (s: string) => out.push(s) }, stderr: { isTTY: stderrIsTty, write: (s: string) => err.push(s) }, exitCode: 0 },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}
