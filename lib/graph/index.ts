export * from "./connection";
export { createCredential } from "./credential";
export { graphSdk, isGraphError } from "./sdk";
export { createGraphClient, ClientOptions } from "./client";
export { describeGraphError, RemoteCallError, statusOf, CallContext } from "./errors";
export { retryUntil, PollOptions } from "./retry";
