import type { ProgressStream } from "../lib/plan/progress";

/** What a subcommand may touch besides its files: injectable so tests capture output and exit codes. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: ProgressStream;
  /** Exit code the command asks for (diff: 0 no change, 1 changes); errors always end with 2. */
  exitCode: number;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, exitCode: 0 };
}

/** Exit codes, shared by every subcommand so CI can branch on them. */
export const EXIT = { ok: 0, changes: 1, error: 2, risks: 3 } as const;
