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

/** A failed call, with Graph's own error code and message. Never carries headers, tokens or request bodies. */
export class RemoteCallError extends Error {
  constructor(
    message: string,
    readonly statusCode: number,
    readonly code: string,
  ) {
    super(message);
    this.name = "RemoteCallError";
  }
}

export function statusOf(err: unknown): number | undefined {
  if (err instanceof RemoteCallError || isGraphError(err)) return err.statusCode;
  return undefined;
}

/** Turns a Graph SDK error into one that names the resource, the step, Graph's code and message, and a hint. */
export function describeGraphError(err: unknown, context: CallContext): RemoteCallError {
  if (err instanceof RemoteCallError) return err;
  const status = isGraphError(err) ? err.statusCode : -1;
  const code = (isGraphError(err) && err.code) || "NoResponse";
  const remoteMessage = err instanceof Error ? err.message : String(err);
  const hint = context.hints?.[status];
  const statusText = status > 0 ? `HTTP ${status} ` : "";
  return new RemoteCallError(
    `${context.step} for ${context.resource} failed: ${statusText}${code}: ${remoteMessage}${hint ? `\n${hint}` : ""}`,
    status,
    code,
  );
}
