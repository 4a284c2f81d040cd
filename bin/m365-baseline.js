#!/usr/bin/env node
// Thin launcher so `npx m365-baseline` works from a checkout without a build step.
require("ts-node").register({ transpileOnly: true, project: require("path").join(__dirname, "..", "tsconfig.json") });
require("../cli/main.ts");
