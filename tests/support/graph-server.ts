import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { schemaProblems } from "./graph-schema";
import { testCertificate } from "./tls";

/**
 * THE local stand-in for Microsoft Graph (and the other Microsoft APIs the providers call), on 127.0.0.1 over
 * https with a throwaway certificate. It keeps state, records every request, issues tokens like the Entra token
 * endpoint (so real @azure/identity credentials run against it), checks bearer tokens, validates bodies against
 * Graph's v1.0 schema, pages with @odata.nextLink, and misbehaves on demand. Each area adds its endpoints as a
 * route module in tests/support/graph-routes/.
 */

export interface GraphRequest {
  readonly method: string;
  /** Path without query, e.g. /v1.0/identityGovernance/termsOfUse/agreements/abc. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** Parsed JSON (or form fields for the token endpoint); undefined when there was no body. */
  readonly body: unknown;
  /** Named segments from the route pattern (`:id`). */
  readonly params: Readonly<Record<string, string>>;
}

export interface GraphResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** Answer with nothing: reset the connection. */
  readonly reset?: boolean;
}

export type RouteHandler = (req: GraphRequest, server: GraphServer) => GraphResponse | Promise<GraphResponse>;

/** A misbehaviour to inject: the next `times` matching requests get this answer instead of the route's. */
export interface Fault {
  readonly method?: string;
  /** Matched against the path (a string must match exactly). @default every path */
  readonly path?: RegExp | string;
  readonly status: number;
  /** @default 1 */
  readonly times?: number;
  /** Seconds for a Retry-After header; omitted when undefined (Graph's CA endpoints send none). */
  readonly retryAfter?: number;
  /** Graph error code. @default by status (TooManyRequests, Request_ResourceNotFound, ...) */
  readonly code?: string;
  readonly message?: string;
  /**
   * The reply is lost after the service committed: the route runs (the object is created, changed or deleted), then
   * the client gets this fault's status (with `reset`, no answer at all) instead of the route's answer.
   */
  readonly afterCommit?: boolean;
  /** No HTTP answer: the connection is reset (a network failure, a proxy or gateway dropping the request). */
  readonly reset?: boolean;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
  /** What the server answered. */
  readonly status: number;
}

/** Thrown by route handlers to answer with a Graph-style error body. */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly names: readonly string[];
  readonly handler: RouteHandler;
}

const DEFAULT_CODES: Record<number, string> = {
  400: "Request_BadRequest",
  401: "InvalidAuthenticationToken",
  403: "Authorization_RequestDenied",
  404: "Request_ResourceNotFound",
  409: "Request_MultipleObjectsWithSameKeyValue",
  429: "TooManyRequests",
  500: "InternalServerError",
  502: "BadGateway",
  503: "ServiceUnavailable",
  504: "GatewayTimeout",
};

export class GraphServer {
  /** Every request in arrival order (token requests included), with the status it got. */
  readonly requests: RecordedRequest[] = [];
  /** Page size for `page()`. Small by default so paging is exercised. */
  pageSize = 2;
  /** When false, Graph routes accept requests without a bearer token (never the default). */
  requireToken = true;
  private readonly routes: Route[] = [];
  private readonly faults: { fault: Fault; remaining: number }[] = [];
  private readonly collections = new Map<string, Map<string, unknown>>();
  /** Each issued token: app-only (client credentials) or delegated (a user signed in), and its audience. */
  private readonly issuedTokens = new Map<string, IssuedToken>();
  private readonly tokenRules: { readonly path: RegExp; readonly rule: TokenRule }[] = [];
  private baseUrl = "";

  constructor(private readonly server: https.Server) {}

  /** e.g. https://127.0.0.1:43123 — use as `graphUrl` and `authorityHost`. */
  get url(): string {
    return this.baseUrl;
  }

  /** Registers an endpoint. Pattern segments starting with ':' capture, e.g. /v1.0/places/:id. */
  route(method: string, pattern: string, handler: RouteHandler): this {
    const names: string[] = [];
    const regex = pattern
      .split("/")
      .map((seg) => (seg.startsWith(":") ? (names.push(seg.slice(1)), "([^/]+)") : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("/");
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${regex}/?$`), names, handler });
    return this;
  }

  /**
   * What an endpoint accepts, as the service documents it: a token kind (e.g. terms of use: delegated only) and an
   * audience (the API the token was requested for). A token of the wrong kind gets 403, the wrong audience 401,
   * with the service's own error text.
   */
  requireTokenFor(path: RegExp, rule: TokenRule): this {
    this.tokenRules.push({ path, rule });
    return this;
  }

  /** Tokens issued so far (kinds and audiences), for tests that check how a provider signed in. */
  get tokens(): readonly IssuedToken[] {
    return [...this.issuedTokens.values()];
  }

  /** Drops every fault not yet consumed. */
  clearFaults(): this {
    this.faults.length = 0;
    return this;
  }

  /** Queues a fault; faults are consumed in the order they were added. */
  failNext(fault: Fault): this {
    this.faults.push({ fault, remaining: fault.times ?? 1 });
    return this;
  }

  /** Named, stateful collection (e.g. "agreements"), shared between routes of one area. */
  collection<T>(name: string): Map<string, T> {
    if (!this.collections.has(name)) this.collections.set(name, new Map());
    return this.collections.get(name) as Map<string, T>;
  }

  newId(): string {
    return randomUUID();
  }

  /** Rejects a body the way Graph does when it has properties or values its schema lacks. */
  requireValid(typeName: string, body: unknown): void {
    const problems = schemaProblems(typeName, body);
    if (problems.length > 0) throw new GraphHttpError(400, "Request_BadRequest", problems.join("; "));
  }

  /** A page of `items` for a collection GET, with @odata.nextLink when more remain. */
  page<T>(req: GraphRequest, items: readonly T[]): GraphResponse {
    const skip = Number(req.query["$skiptoken"] ?? 0);
    const value = items.slice(skip, skip + this.pageSize);
    const next = skip + this.pageSize < items.length ? `${this.baseUrl}${req.path}?$skiptoken=${skip + this.pageSize}` : undefined;
    return { status: 200, body: { value, ...(next ? { "@odata.nextLink": next } : {}) } };
  }

  /** Requests whose method matches and whose path matches `path`, token traffic excluded. */
  requestsTo(method: string, path: RegExp | string): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method.toUpperCase() && matches(path, r.path) && !isTokenPath(r.path));
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  /** @internal */
  start(port: number): void {
    this.baseUrl = `https://127.0.0.1:${port}`;
    this.registerTokenEndpoints();
  }

  /** @internal */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.baseUrl);
    const raw = await readBody(req);
    const body = parseBody(raw, req.headers["content-type"]);
    const query = Object.fromEntries(url.searchParams.entries());
    const answer = await this.answer(req.method ?? "GET", url.pathname, query, req.headers, body);
    this.requests.push({ method: req.method ?? "GET", path: url.pathname, query, headers: req.headers, body, status: answer.reset ? 0 : answer.status });
    if (answer.reset) {
      req.socket.destroy();
      return;
    }
    const text = answer.body === undefined ? "" : JSON.stringify(answer.body);
    res.writeHead(answer.status, { ...(text ? { "content-type": "application/json" } : {}), ...answer.headers });
    res.end(text);
  }

  private async answer(method: string, path: string, query: Record<string, string>, headers: IncomingHttpHeaders, body: unknown): Promise<GraphResponse> {
    const fault = this.takeFault(method, path);
    if (fault?.afterCommit) await this.routeRequest(method, path, query, headers, body);
    if (fault?.reset) return { status: 0, reset: true };
    if (fault) {
      return {
        status: fault.status,
        body: graphErrorBody(fault.code ?? DEFAULT_CODES[fault.status] ?? "Error", fault.message ?? `Injected ${fault.status}`),
        headers: fault.retryAfter === undefined ? {} : { "retry-after": String(fault.retryAfter) },
      };
    }
    return this.routeRequest(method, path, query, headers, body);
  }

  private async routeRequest(method: string, path: string, query: Record<string, string>, headers: IncomingHttpHeaders, body: unknown): Promise<GraphResponse> {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (this.requireToken && !isTokenPath(path)) {
        const refusal = this.tokenRefusal(path, headers);
        if (refusal) return refusal;
      }
      const params = Object.fromEntries(route.names.map((n, i) => [n, decodeURIComponent(m[i + 1])]));
      try {
        return await route.handler({ method, path, query, headers, body, params }, this);
      } catch (err) {
        if (err instanceof GraphHttpError) return { status: err.status, body: graphErrorBody(err.code, err.message) };
        return { status: 500, body: graphErrorBody("InternalServerError", `local server bug: ${(err as Error).message}`) };
      }
    }
    return { status: 404, body: graphErrorBody("Request_ResourceNotFound", `No route for ${method} ${path} on the local server`) };
  }

  private takeFault(method: string, path: string): Fault | undefined {
    if (isTokenPath(path)) return undefined;
    const entry = this.faults.find(
      (f) => f.remaining > 0 && (!f.fault.method || f.fault.method.toUpperCase() === method) && (!f.fault.path || matches(f.fault.path, path)),
    );
    if (!entry) return undefined;
    entry.remaining -= 1;
    return entry.fault;
  }

  private tokenRefusal(path: string, headers: IncomingHttpHeaders): GraphResponse | undefined {
    const auth = headers.authorization ?? "";
    const token = auth.startsWith("Bearer ") ? this.issuedTokens.get(auth.slice(7)) : undefined;
    if (!token) return { status: 401, body: graphErrorBody("InvalidAuthenticationToken", "Access token is empty or invalid.") };
    for (const { path: pattern, rule } of this.tokenRules) {
      if (!pattern.test(path)) continue;
      if (rule.audience !== undefined && token.audience !== rule.audience) {
        return { status: 401, body: graphErrorBody("InvalidAuthenticationToken", `Access token validation failure. Invalid audience: ${token.audience}`) };
      }
      if (rule.kind !== undefined && token.kind !== rule.kind) {
        return {
          status: 403,
          body: graphErrorBody(
            rule.refusalCode ?? "Forbidden",
            rule.refusal ?? `This API does not accept ${token.kind === "app" ? "app-only" : "delegated"} tokens.`,
          ),
        };
      }
    }
    return undefined;
  }

  /** The Entra endpoints MSAL (inside @azure/identity) calls: OpenID metadata and the v2.0 token endpoint. */
  private registerTokenEndpoints(): void {
    this.route("GET", "/:tenant/v2.0/.well-known/openid-configuration", (req) => ({
      status: 200,
      body: {
        issuer: `${this.baseUrl}/${req.params.tenant}/v2.0`,
        authorization_endpoint: `${this.baseUrl}/${req.params.tenant}/oauth2/v2.0/authorize`,
        token_endpoint: `${this.baseUrl}/${req.params.tenant}/oauth2/v2.0/token`,
        device_authorization_endpoint: `${this.baseUrl}/${req.params.tenant}/oauth2/v2.0/devicecode`,
        end_session_endpoint: `${this.baseUrl}/${req.params.tenant}/oauth2/v2.0/logout`,
        jwks_uri: `${this.baseUrl}/${req.params.tenant}/discovery/v2.0/keys`,
        response_types_supported: ["code", "token"],
        subject_types_supported: ["pairwise"],
        id_token_signing_alg_values_supported: ["RS256"],
      },
    }));
    // Device authorization (RFC 8628, as Entra's v2.0 endpoint answers it): the "administrator" approves at once.
    this.route("POST", "/:tenant/oauth2/v2.0/devicecode", (req) => {
      const form = (req.body ?? {}) as Record<string, string>;
      if (!form.client_id || !form.scope) throw new GraphHttpError(400, "invalid_request", "client_id and scope are required");
      return {
        status: 200,
        body: {
          device_code: `device-${randomUUID()}`,
          user_code: "LOCAL-CODE",
          verification_uri: `${this.baseUrl}/devicelogin`,
          expires_in: 900,
          interval: 1,
          message: "To sign in, enter LOCAL-CODE (local test server).",
        },
      };
    });
    this.route("POST", "/:tenant/oauth2/v2.0/token", (req) => {
      const form = (req.body ?? {}) as Record<string, string>;
      if (!form.client_id || !form.scope) throw new GraphHttpError(400, "invalid_request", "client_id and scope are required");
      // client_credentials: an app signs in as itself (app-only). Every other grant here is a user's (delegated).
      const kind: TokenKind = form.grant_type === "client_credentials" ? "app" : "delegated";
      const scope = form.scope.split(" ").find((sc) => sc.endsWith("/.default")) ?? form.scope.split(" ")[0];
      const token = `local-token-${this.issuedTokens.size + 1}-${randomUUID()}`;
      this.issuedTokens.set(token, { kind, audience: scope.replace(/\/\.default$/, ""), clientId: form.client_id });
      const user =
        kind === "delegated"
          ? { id_token: fakeIdToken(this.baseUrl, req.params.tenant, form.client_id), client_info: fakeClientInfo(), refresh_token: `refresh-${randomUUID()}` }
          : {};
      return { status: 200, body: { token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600, access_token: token, scope: form.scope, ...user } };
    });
  }
}

export type TokenKind = "app" | "delegated";

export interface IssuedToken {
  readonly kind: TokenKind;
  /** The resource the token was requested for (its scope without `/.default`). */
  readonly audience: string;
  readonly clientId: string;
}

export interface TokenRule {
  readonly kind?: TokenKind;
  readonly audience?: string;
  /** The service's own error code and text for a token of the wrong kind. */
  readonly refusalCode?: string;
  readonly refusal?: string;
}

/** The test administrator MSAL reads from a delegated sign-in (an unsigned ID token: MSAL does not verify it). */
const TEST_ADMIN_OID = "00000000-0000-4000-8000-00000000ad01";

function fakeIdToken(baseUrl: string, tenant: string, clientId: string): string {
  const encode = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: clientId,
    iss: `${baseUrl}/${tenant}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    oid: TEST_ADMIN_OID,
    tid: tenant,
    sub: TEST_ADMIN_OID,
    preferred_username: "admin@contoso.test",
    name: "Test administrator",
    ver: "2.0",
  };
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`;
}

function fakeClientInfo(): string {
  return Buffer.from(JSON.stringify({ uid: TEST_ADMIN_OID, utid: "11111111-2222-3333-4444-555555555555" })).toString("base64url");
}

export async function startGraphServer(): Promise<GraphServer> {
  const { cert, key } = testCertificate();
  const server = https.createServer({ cert, key });
  const graph = new GraphServer(server);
  server.on("request", (req, res) => {
    graph.handle(req, res).catch((err: Error) => {
      res.writeHead(500);
      res.end(String(err.message));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  graph.start((server.address() as AddressInfo).port);
  return graph;
}

export function graphErrorBody(code: string, message: string): unknown {
  return { error: { code, message, innerError: { date: new Date().toISOString(), "request-id": randomUUID() } } };
}

function isTokenPath(path: string): boolean {
  return /\/oauth2\/v2\.0\/(token|devicecode)$|\/\.well-known\/openid-configuration$/.test(path);
}

function matches(pattern: RegExp | string, path: string): boolean {
  return typeof pattern === "string" ? pattern === path : pattern.test(path);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseBody(raw: string, contentType: string | undefined): unknown {
  if (raw === "") return undefined;
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw).entries());
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}
