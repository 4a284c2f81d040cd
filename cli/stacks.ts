import { stackEntries, stackNames, stacksChangedSince } from "../lib/stacks";
import type { CliIo } from "./io";

export interface StacksOptions {
  changedSince?: string;
  json?: boolean;
  root: string;
}

/** `stacks`: the tenant stacks, or those a change can affect; `--json` is the CI matrix (one job per tenant). */
export function runStacks(options: StacksOptions, io: CliIo): void {
  const stacks = options.changedSince ? stacksChangedSince(options.root, options.changedSince) : stackNames(options.root);
  if (options.json) io.stdout.write(`${JSON.stringify(stackEntries(options.root, stacks))}\n`);
  else io.stdout.write(stacks.map((s) => `${s}\n`).join(""));
}
