import type { Client, RetryHandler } from "@microsoft/microsoft-graph-client";
import type { TokenCredential } from "@azure/identity";
import { Connection, graphRoot } from "./connection";
import { createCredential } from "./credential";
import { azureTokenCredentialAuth, graphSdk } from "./sdk";

const DEFAULT_RETRY = { maxRetries: 5, delaySeconds: 2 };

/**
 * The SDK's RetryHandler, widened from 429/503/504 to every 5xx: a 500 or 502 from Graph is as transient as a 503
 * (Graph "Best practices": retry 5xx with back-off). Retry-After is still honoured, and retries stay bounded.
 */
function transientErrorRetryHandler(maxRetries: number, delaySeconds: number): RetryHandler {
  const { RetryHandler, RetryHandlerOptions } = graphSdk();
  const handler = new RetryHandler(new RetryHandlerOptions(delaySeconds, maxRetries));
  // `isRetry` is private in the SDK's typings, so TypeScript refuses a subclass override; replacing it on the
  // instance keeps every other part of the SDK's retry (Retry-After parsing, back-off, bounds) as shipped.
  (handler as unknown as { isRetry(response: Response): boolean }).isRetry = (response) =>
    response.status === 429 || (response.status >= 500 && response.status <= 599);
  return handler;
}

export interface ClientOptions {
  /** Token scopes. @default ["<graph root>/.default"] */
  readonly scopes?: readonly string[];
  /** Root of the API the client calls, for non-Graph Microsoft APIs. @default the connection's Graph root */
  readonly apiRoot?: string;
  /** A credential to use instead of building one from the connection (commands that already hold one). */
  readonly credential?: TokenCredential;
}

/**
 * THE Graph client factory. Builds a client per call: dynamic providers are serialized into Pulumi state and run
 * in another process, so a client captured at module scope would not survive; constructing it inside each
 * provider method does.
 */
export function createGraphClient(connection: Connection, options: ClientOptions = {}): Client {
  const { AuthenticationHandler, Client, HTTPMessageHandler, RedirectHandler, TelemetryHandler } = graphSdk();
  const { TokenCredentialAuthenticationProvider } = azureTokenCredentialAuth();
  const root = (options.apiRoot ?? graphRoot(connection)).replace(/\/+$/, "");
  const host = new URL(root).hostname;
  const scopes = [...(options.scopes ?? [`${graphRoot(connection)}/.default`])];
  const authProvider = new TokenCredentialAuthenticationProvider(options.credential ?? createCredential(connection), { scopes });
  const retry = connection.retry ?? DEFAULT_RETRY;

  const auth = new AuthenticationHandler(authProvider);
  const retryHandler = transientErrorRetryHandler(retry.maxRetries, retry.delaySeconds);
  const redirect = new RedirectHandler();
  const telemetry = new TelemetryHandler();
  const http = new HTTPMessageHandler();
  auth.setNext(retryHandler);
  retryHandler.setNext(redirect);
  redirect.setNext(telemetry);
  telemetry.setNext(http);

  return Client.initWithMiddleware({
    baseUrl: root,
    defaultVersion: "v1.0",
    middleware: auth,
    // The SDK attaches the token only to Graph hosts or these; a configured sovereign or test host must get it.
    customHosts: new Set([host]),
  });
}

/**
 * Per-request retry options for a request that is not idempotent (a POST that creates): retried only when the
 * service refused it outright (429, honouring Retry-After), never on a 5xx or a lost reply, which may have come after
 * the service committed. Pair it with `createOnce` (lib/managed/create-once.ts), which looks the object up instead.
 */
export function notIdempotent(connection: Connection): import("@microsoft/microsoft-graph-client").RetryHandlerOptions[] {
  const { RetryHandlerOptions } = graphSdk();
  const retry = connection.retry ?? DEFAULT_RETRY;
  return [new RetryHandlerOptions(retry.delaySeconds, retry.maxRetries, (_delay, _attempt, _request, _options, response) => response.status === 429)];
}
