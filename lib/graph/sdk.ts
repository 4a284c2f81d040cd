/**
 * The Microsoft Graph JavaScript SDK, loaded when a client is first built or an error first inspected. An offline
 * `plan` declares the providers that call Graph but never calls it, and start-up time is a benchmarked goal.
 */
export function graphSdk(): typeof import("@microsoft/microsoft-graph-client") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand (start-up time), typed by the import type
  return require("@microsoft/microsoft-graph-client") as typeof import("@microsoft/microsoft-graph-client");
}

export function azureTokenCredentialAuth(): typeof import("@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand (start-up time), typed by the import type
  return require("@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials") as typeof import("@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials");
}

/** Whether `err` is the SDK's GraphError, without loading the SDK when it was never loaded (then it cannot be one). */
export function isGraphError(err: unknown): err is import("@microsoft/microsoft-graph-client").GraphError {
  const loaded = require.cache[require.resolve("@microsoft/microsoft-graph-client")];
  return loaded !== undefined && err instanceof graphSdk().GraphError;
}
