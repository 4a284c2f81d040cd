import {
  CLOUD_ENDPOINTS,
  Connection,
  connectionForService,
  createGraphClient,
  endpointOverrides,
  isRemoteCallError,
  notIdempotent,
  RemoteCallError,
  remoteCallError,
  ServiceEndpoints,
} from "../graph";
import type { Service } from "../graph/sign-in";
import type { TenantSettings } from "../tenant-settings";
import { isGraphError } from "../graph/sdk";

/** One Exchange cmdlet call as InvokeCommand takes it: `{"CmdletInput":{"CmdletName","Parameters"}}`. */
export interface CmdletCall {
  readonly CmdletName: string;
  /** `null` is PowerShell's `$null`: the documented way to clear a list condition (e.g. `-SentTo $null`). */
  readonly Parameters: Readonly<Record<string, string | number | boolean | readonly string[] | null>>;
}

/**
 * The Exchange Online admin REST endpoint the ExchangeOnlineManagement v3 module calls:
 * `POST {exchange}/adminapi/beta/{tenantId}/InvokeCommand` with `{"CmdletInput":{"CmdletName","Parameters"}}`,
 * results in `value`, warnings in `@adminapi.warnings`, paging by `@odata.nextLink`. Microsoft does not document it;
 * shapes were checked against public callers (CIPP `New-ExoRequest.ps1`, ExoHelper, M365Permissions `new-ExOQuery`).
 * Throttling (429 with Retry-After) and 5xx are retried, bounded, by the shared client's RetryHandler.
 */
export interface ExchangeTarget {
  readonly connection: Connection;
  /** Overrides the cloud's Exchange Online root (a local test server). @default CLOUD_ENDPOINTS[cloud].exchange */
  readonly exchangeUrl?: string;
}

/**
 * Where a service's Exchange calls go: the tenant's connection with that service's credential, and the Exchange
 * Online root only when an endpoint override names one (a test host). One place, so every area builds it alike.
 */
export function exchangeTargetFor(tenant: TenantSettings, service: Service, endpoints?: ServiceEndpoints): ExchangeTarget {
  const connection = connectionForService(tenant, service, endpointOverrides(endpoints));
  return { connection, ...(endpoints?.exchangeUrl ? { exchangeUrl: endpoints.exchangeUrl } : {}) };
}

export interface CmdletResult {
  readonly value: readonly Record<string, unknown>[];
  readonly warnings: readonly string[];
}

/** App-only calls are routed through the tenant's arbitration mailbox, as CIPP and the v3 module do. */
const SYSTEM_MAILBOX = "SystemMailbox{bb558c35-97f1-4cb9-8ff7-d53741dc928c}";

/** What a failed cmdlet is about, for its message: a room (by logical name), or any other subject ("DKIM for contoso.com"). */
export type CmdletContext = { readonly room: string } | { readonly subject: string };

export async function invokeCmdlet(target: ExchangeTarget, call: CmdletCall, context: CmdletContext): Promise<CmdletResult> {
  const cloud = CLOUD_ENDPOINTS[target.connection.cloud ?? "global"];
  const root = (target.exchangeUrl ?? cloud.exchange).replace(/\/+$/, "");
  // The token is for Exchange Online whatever host answers: a test server stands in for the same audience.
  const client = createGraphClient(target.connection, { apiRoot: root, scopes: [`${cloud.exchange}/.default`] });
  let url: string | undefined = `${root}/adminapi/beta/${target.connection.tenantId}/InvokeCommand`;
  const value: Record<string, unknown>[] = [];
  const warnings: string[] = [];
  try {
    while (url) {
      // A cmdlet that creates (New-*) may have run although its reply was lost: never retried on 5xx (createOnce
      // looks the object up instead). Get-/Set-/Add-/Remove- cmdlets are idempotent and keep the full retry.
      const request = client.api(url);
      if (isCreatingCmdlet(call)) request.middlewareOptions(notIdempotent(target.connection));
      const page: { value?: Record<string, unknown>[]; "@adminapi.warnings"?: string[]; "@odata.nextLink"?: string } = await request
        .header("X-AnchorMailbox", `APP:${SYSTEM_MAILBOX}@${target.connection.tenantId}`)
        .header("Prefer", "odata.maxpagesize=1000")
        .post({ CmdletInput: call });
      value.push(...(page?.value ?? []));
      warnings.push(...(page?.["@adminapi.warnings"] ?? []));
      url = page?.["@odata.nextLink"];
    }
  } catch (err) {
    throw describeExchangeError(err, call.CmdletName, "subject" in context ? context.subject : `room ${context.room}`);
  }
  return { value, warnings };
}

/**
 * Cmdlets not safe to re-send after an uncertain failure: New- creates a second object, Rotate- (DKIM keys) rotates
 * twice. Get-, Set-, Enable-, Disable-, Add- and Remove- leave the same state when repeated.
 */
export function isCreatingCmdlet(call: CmdletCall): boolean {
  return call.CmdletName.startsWith("New-") || call.CmdletName.startsWith("Rotate-");
}

/** A failed cmdlet, with Exchange's exception type and its own error text (a RemoteCallError with `exceptionType`). */
export type ExchangeCallError = RemoteCallError & { readonly exceptionType: string };

export function exchangeCallError(message: string, statusCode: number, code: string, exceptionType: string): ExchangeCallError {
  return remoteCallError(message, statusCode, code, exceptionType) as ExchangeCallError;
}

/** Whether `err` is a failed cmdlet, optionally of one exception type. */
export function isExchangeError(err: unknown, exceptionType?: string): err is ExchangeCallError {
  return isRemoteCallError(err) && err.exceptionType !== undefined && (exceptionType === undefined || err.exceptionType === exceptionType);
}

/**
 * Exchange's error body: `error.message` (and `error.details[].message`) read `|<exception type>|<text>`, sometimes
 * with a leading error ID (`Ex6F9304|...`). Never includes request headers or bodies (they can carry secrets).
 */
export function describeExchangeError(err: unknown, cmdlet: string, subject: string): ExchangeCallError {
  const status = isGraphError(err) ? err.statusCode : -1;
  const code = (isGraphError(err) && err.code) || "NoResponse";
  let text = err instanceof Error ? err.message : String(err);
  if (isGraphError(err) && typeof err.body === "string") {
    try {
      const body = JSON.parse(err.body) as { message?: string; details?: { message?: string }[] };
      text = body.details?.find((d) => d.message)?.message ?? body.message ?? text;
    } catch {
      // A non-JSON body (Exchange sometimes answers HTML from a front end): keep the SDK's message.
    }
  }
  // `[<error ID>]|<dotted exception type>|<text>`: the text itself may hold "|" (a rule name echoed back), so only the
  // first two separators split.
  const match = /^[^|]*\|([\w.]+)\|([\s\S]*)$/.exec(text);
  const exceptionType = match ? (match[1].split(".").pop() ?? "") : "";
  const exchangeText = (match ? match[2] : text).trim();
  const statusText = status > 0 ? `HTTP ${status} ` : "";
  const hint =
    status === 403 || status === 401
      ? "\nThe app needs the Exchange.ManageAsApp permission and an Exchange role (e.g. Exchange Recipient Administrator for rooms, Security Administrator for mail protection) in this tenant."
      : "";
  return exchangeCallError(`${cmdlet} for ${subject} failed: ${statusText}${exceptionType || code}: ${exchangeText}${hint}`, status, code, exceptionType);
}

/** "Not there (yet)": the object does not exist, or replication has not reached the server that answered. */
export function isNotFound(err: unknown): boolean {
  if (isExchangeError(err)) return err.statusCode === 404 || err.exceptionType === "ManagementObjectNotFoundException";
  return (isRemoteCallError(err) || isGraphError(err)) && err.statusCode === 404;
}
