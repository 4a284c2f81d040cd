import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * A throwaway copy of the project for commands that write files: stacks/ is copied (new-tenant edits it), the
 * rest is linked, so the scaffolded stack plans with the real components and the same @pulumi/pulumi instance.
 */
export function tempProject(): { root: string; remove(): void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "m365-baseline-project-"));
  for (const entry of ["node_modules", "components", "lib"]) fs.symlinkSync(path.join(ROOT, entry), path.join(root, entry));
  for (const file of fs.readdirSync(ROOT).filter((f) => /^Pulumi\..*yaml$/.test(f) || f === "program.ts")) fs.copyFileSync(path.join(ROOT, file), path.join(root, file));
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
