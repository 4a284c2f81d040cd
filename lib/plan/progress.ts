/** Where progress goes: stderr, and only when a person watches it, so piped or redirected output stays clean. */
export interface ProgressStream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

export type Progress = (message: string) => void;

export function createProgress(stream: ProgressStream = process.stderr): Progress {
  if (!stream.isTTY) return () => undefined;
  return (message) => void stream.write(`… ${message}\n`);
}
