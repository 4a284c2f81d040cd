import { GraphHttpError, GraphRequest, GraphResponse, GraphServer } from "../graph-server";
import { page, selected } from "./odata";

/** A tenant as `discover` reads it: filled in by each test. */
export interface DiscoverTenant {
  organization: { id: string; displayName: string; verifiedDomains: { name: string; isInitial: boolean }[] };
  users: { id: string; displayName: string; userPrincipalName: string }[];
  /** Role template ID → principals holding it (`@odata.type` says user or service principal). */
  roleHolders: Record<string, { "@odata.type": string; id: string; displayName: string }[]>;
  groups: { id: string; displayName: string }[];
  /** As Graph returns them; only `conditions.users` exclusions matter to discover (break-glass candidates). */
  policies: ({ id: string; displayName: string; state: string; conditions: { users: { excludeUsers: string[]; excludeGroups: string[] } } } & Record<
    string,
    unknown
  >)[];
  namedLocations: ({ "@odata.type": string; id: string; displayName: string } & Record<string, unknown>)[];
  agreements: { id: string; displayName: string }[];
}

/**
 * The read-only endpoints `discover` calls, with the two `$filter` shapes it sends (anything else is refused, so a
 * changed query fails the test instead of silently matching everything). Pages keep the query in @odata.nextLink,
 * as Graph's own next links do.
 */
export function registerDiscoverRoutes(server: GraphServer, tenant: DiscoverTenant): void {
  server.route("GET", "/v1.0/organization", (req) => page(server, req, [tenant.organization]));
  server.route("GET", "/v1.0/roleManagement/directory/roleAssignments", (req) => {
    const role = /^roleDefinitionId eq '([0-9a-f-]+)'$/.exec(req.query["$filter"] ?? "")?.[1];
    if (!role || req.query["$expand"] !== "principal")
      throw new GraphHttpError(400, "Request_UnsupportedQuery", "filter by roleDefinitionId and expand principal");
    return page(
      server,
      req,
      (tenant.roleHolders[role] ?? []).map((principal) => ({ id: `${role}-${principal.id}`, roleDefinitionId: role, principalId: principal.id, principal })),
    );
  });
  server.route("GET", "/v1.0/users", (req) => {
    const filter = req.query["$filter"] ?? "";
    const prefix = /^startswith\(userPrincipalName,'([^']*)'\)$/.exec(filter)?.[1];
    const name = /^displayName eq '((?:[^']|'')*)'$/.exec(filter)?.[1]?.replace(/''/g, "'");
    if (prefix === undefined && name === undefined) throw new GraphHttpError(400, "Request_UnsupportedQuery", `unsupported filter ${filter}`);
    return page(
      server,
      req,
      tenant.users.filter((u) => (prefix !== undefined ? u.userPrincipalName.startsWith(prefix) : u.displayName === name)),
    );
  });
  server.route("GET", "/v1.0/identity/conditionalAccess/policies", (req) => page(server, req, tenant.policies));
  // Single objects by ID, `$select` honoured: a property the type lacks is a 400, as Graph answers.
  const byId =
    <T extends { id: string }>(items: () => readonly T[]) =>
    (req: GraphRequest): GraphResponse => {
      const item = items().find((i) => i.id === req.params.id);
      if (!item) throw new GraphHttpError(404, "Request_ResourceNotFound", `Resource '${req.params.id}' does not exist.`);
      return { status: 200, body: selected(item, req) };
    };
  server.route(
    "GET",
    "/v1.0/users/:id",
    byId(() => tenant.users),
  );
  server.route(
    "GET",
    "/v1.0/groups/:id",
    byId(() => tenant.groups),
  );
  server.route("GET", "/v1.0/identity/conditionalAccess/namedLocations", (req) => page(server, req, tenant.namedLocations));
  server.route("GET", "/v1.0/identityGovernance/termsOfUse/agreements", (req) => page(server, req, tenant.agreements));
}
