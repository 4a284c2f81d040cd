import { isGraphError } from "./sdk";

/** What was being done when a call failed, so the message says which resource and which step. */
export interface CallContext {
  /** e.g. `agreement "Contoso terms of use"`. */
  readonly resource: string;
  /** e.g. `adding the fr-FR file`. */
  readonly step: string;
  /** Extra advice per HTTP status, e.g. what a 403 means for a delegated-only API. */
  readonly hints?: Readonly<Record<number, string>>;
}

/**
 * A failed call, with the service's own error code and message. Never carries headers, tokens or request bodies.
 *
 * A plain `Error` with fields, not a subclass: providers run from Pulumi's closure serialization, which turns an
 * instance of a class extending Error into a plain object with no message (tests/managed/ proves it), so the
 * engine would report "undefined" and every `instanceof` would fail. Recognise one with `isRemoteCallError`.
 */
export interface RemoteCallError extends Error {
  readonly statusCode: number;
  readonly code: string;
  /** Exchange only: the .NET exception type, e.g. `ManagementObjectNotFoundException`. */
  readonly exceptionType?: string;
}

export function remoteCallError(message: string, statusCode: number, code: string, exceptionType?: string): RemoteCallError {
  const name = exceptionType === undefined ? "RemoteCallError" : "ExchangeCallError";
  return Object.assign(new Error(message), { name, statusCode, code, ...(exceptionType === undefined ? {} : { exceptionType }) });
}

export function isRemoteCallError(err: unknown): err is RemoteCallError {
  return (
    err instanceof Error &&
    (err.name === "RemoteCallError" || err.name === "ExchangeCallError") &&
    typeof (err as { statusCode?: unknown }).statusCode === "number"
  );
}

export function statusOf(err: unknown): number | undefined {
  if (isRemoteCallError(err) || isGraphError(err)) return err.statusCode;
  return undefined;
}

/** Turns a Graph SDK error into one that names the resource, the step, Graph's code and message, and a hint. */
export function describeGraphError(err: unknown, context: CallContext): RemoteCallError {
  if (isRemoteCallError(err)) return err;
  const status = isGraphError(err) ? err.statusCode : -1;
  const code = (isGraphError(err) && err.code) || "NoResponse";
  const remoteMessage = err instanceof Error ? err.message : String(err);
  const hint = context.hints?.[status];
  const statusText = status > 0 ? `HTTP ${status} ` : "";
  return remoteCallError(`${context.step} for ${context.resource} failed: ${statusText}${code}: ${remoteMessage}${hint ? `\n${hint}` : ""}`, status, code);
}
