import { GraphHttpError, GraphRequest, GraphResponse, GraphServer } from "../graph-server";
import { page, selected } from "./odata";

/**
 * A tenant's directory as `preflight` reads it, answered the way Graph v1.0 documents each endpoint: single objects
 * by ID (404 `Request_ResourceNotFound` when absent), `$select` honoured and an unknown property refused with 400,
 * collections paged with @odata.nextLink, role assignments filtered by `principalId eq '…'` only.
 */
export interface DirectoryFixture {
  organization: { id: string; displayName: string };
  users: { id: string; displayName: string; userPrincipalName: string; accountEnabled: boolean }[];
  groups: { id: string; displayName: string }[];
  servicePrincipals: { id: string; appId: string; displayName: string }[];
  /** Built-in roles have the template ID as their ID (https://learn.microsoft.com/graph/api/resources/unifiedroledefinition). */
  roleDefinitions: { id: string; displayName: string; isBuiltIn: boolean }[];
  roleAssignments: { id: string; principalId: string; roleDefinitionId: string; directoryScopeId: string }[];
  subscribedSkus: { skuId: string; skuPartNumber: string; consumedUnits: number; prepaidUnits: { enabled: number; suspended: number; warning: number } }[];
  namedLocations: { "@odata.type": string; id: string; displayName: string }[];
  policies: { id: string; displayName: string }[];
  agreements: { id: string; displayName: string }[];
}

export function registerDirectoryRoutes(server: GraphServer, tenant: DirectoryFixture): void {
  const byId =
    <T extends { id: string }>(items: () => readonly T[], type: string) =>
    (req: GraphRequest): GraphResponse => {
      const item = items().find((i) => i.id.toLowerCase() === req.params.id.toLowerCase());
      if (!item)
        throw new GraphHttpError(
          404,
          "Request_ResourceNotFound",
          `Resource '${req.params.id}' does not exist or one of its queried reference-property objects are not present.`,
        );
      return { status: 200, body: { "@odata.context": `${server.url}/v1.0/$metadata#${type}/$entity`, ...selected(item, req) } };
    };
  server.route("GET", "/v1.0/organization", (req) => page(server, req, [tenant.organization]));
  server.route(
    "GET",
    "/v1.0/users/:id",
    byId(() => tenant.users, "users"),
  );
  server.route(
    "GET",
    "/v1.0/groups/:id",
    byId(() => tenant.groups, "groups"),
  );
  server.route(
    "GET",
    "/v1.0/servicePrincipals/:id",
    byId(() => tenant.servicePrincipals, "servicePrincipals"),
  );
  server.route(
    "GET",
    "/v1.0/roleManagement/directory/roleDefinitions/:id",
    byId(() => tenant.roleDefinitions, "roleManagement/directory/roleDefinitions"),
  );
  server.route(
    "GET",
    "/v1.0/identity/conditionalAccess/namedLocations/:id",
    byId(() => tenant.namedLocations, "identity/conditionalAccess/namedLocations"),
  );
  server.route("GET", "/v1.0/roleManagement/directory/roleAssignments", (req) => {
    const principal = /^principalId eq '([0-9a-f-]+)'$/i.exec(req.query["$filter"] ?? "")?.[1];
    if (!principal) throw new GraphHttpError(400, "Request_UnsupportedQuery", "filter by principalId eq '<id>'");
    return page(
      server,
      req,
      tenant.roleAssignments.filter((a) => a.principalId.toLowerCase() === principal.toLowerCase()),
    );
  });
  server.route("GET", "/v1.0/subscribedSkus", (req) => page(server, req, tenant.subscribedSkus));
  server.route("GET", "/v1.0/identity/conditionalAccess/policies", (req) => page(server, req, tenant.policies));
  // Agreements are delegated-only ("Application: Not supported", https://learn.microsoft.com/graph/api/termsofusecontainer-list-agreements).
  server.requireTokenFor(/^\/v1\.0\/identityGovernance\/termsOfUse\//, {
    kind: "delegated",
    refusalCode: "Authorization_RequestDenied",
    refusal: "Insufficient privileges to complete the operation.",
  });
  server.route("GET", "/v1.0/identityGovernance/termsOfUse/agreements", (req) => page(server, req, tenant.agreements));
  // Alternate key: GET /servicePrincipals(appId='{appId}') (https://learn.microsoft.com/graph/api/serviceprincipal-get).
  server.route("GET", "/v1.0/:entity", (req) => {
    const appId = /^servicePrincipals\(appId='([^']+)'\)$/.exec(req.params.entity)?.[1];
    if (!appId) throw new GraphHttpError(400, "BadRequest", `Resource not found for the segment '${req.params.entity}'.`);
    const sp = tenant.servicePrincipals.find((s) => s.appId.toLowerCase() === appId.toLowerCase());
    if (!sp) throw new GraphHttpError(404, "Request_ResourceNotFound", `Resource 'servicePrincipals(appId='${appId}')' does not exist.`);
    return { status: 200, body: selected(sp, req) };
  });
}
