#!/usr/bin/env node
// The installed `m365-baseline` command (package.json `bin`, compiled to dist/cli/bin.js). It always runs the CLI:
// npm and npx start it through links with other names (node_modules/.bin/m365-baseline), so whether to run must
// never depend on the name it was started by.
import { runCli } from "./main";

runCli(process.argv.slice(2)).then(
  (code) => {
    // Let stdout drain (a pipe to `tee` or a file) before exiting; the mock runtime can keep timers alive.
    process.stdout.write("", () => process.exit(code));
  },
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
  },
);
