// Loaded by mocha before any spec (see .mocharc.json). Shared test setup belongs here, not at a spec's top level.
export {};
