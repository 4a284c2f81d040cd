export * from "./connection";
export { createCredential } from "./credential";
export { graphSdk, isGraphError } from "./sdk";
export { createGraphClient, ClientOptions, notIdempotent } from "./client";
export { describeGraphError, isRemoteCallError, remoteCallError, RemoteCallError, statusOf, CallContext } from "./errors";
export { listAllPages } from "./paging";
export { retryUntil, PollOptions } from "./retry";
export { checkSignIn, connectionForService, credentialFor, Service, SERVICE_SIGN_IN } from "./sign-in";
