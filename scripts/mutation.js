#!/usr/bin/env node
// `npm run mutation`: StrykerJS (stryker.config.json) with the local servers' test certificate trusted, as in npm test.
const path = require("node:path");
const { runWithTestTls } = require("./test-tls");

const stryker = path.join(path.dirname(require.resolve("@stryker-mutator/core/package.json")), "bin", "stryker.js");
runWithTestTls([stryker, "run", ...process.argv.slice(2)]).then((code) => process.exit(code));
