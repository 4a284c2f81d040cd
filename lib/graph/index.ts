export * from "./connection";
export { createCredential } from "./credential";
export { graphSdk, isGraphError } from "./sdk";
export { createGraphClient, ClientOptions, notIdempotent } from "./client";
export { describeGraphError, isRemoteCallError, remoteCallError, RemoteCallError, statusOf, CallContext } from "./errors";
export { retryUntil, PollOptions } from "./retry";
