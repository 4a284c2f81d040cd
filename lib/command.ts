/**
 * How users start this tool, from their project directory: every command a message tells them to run is written
 * with this, so what is printed is what works (`npx` finds the installed `m365-baseline`; the bare name is on
 * nobody's PATH). tests/cli/next-steps.test.ts runs the printed commands.
 */
export const CLI = "npx m365-baseline";

export function cliCommand(args: string): string {
  return `${CLI} ${args}`;
}
