import { GraphHttpError, GraphRequest, GraphResponse, GraphServer } from "../graph-server";

/**
 * The read-only group endpoints `groups export` calls, answered as Graph v1.0 documents them:
 * - `GET /groups` (https://learn.microsoft.com/graph/api/group-list): every group without `$filter` (security and
 *   distribution groups too, as Graph answers), only Microsoft 365 groups with `groupTypes/any(x:x eq 'Unified')`, any
 *   other filter refused; `$select` honoured, a property groups lack refused with 400.
 * - `GET /groups/{id}/members` and `/owners` (group-list-members, group-list-owners): directoryObjects of mixed types,
 *   each with `@odata.type` and `id` plus the selected properties its type has; 404 for a group that does not exist.
 * - `$top` is the page size (at most 999, Graph's maximum for directory collections; default 100), capped by the
 *   route's own page size so tests exercise paging; `@odata.nextLink` keeps the query, as Graph's do.
 * Kept with the tests that use it (tests/support/graph-routes/ is the shared home; this area's brief limited it here).
 */
export interface DirectoryMember {
  readonly "@odata.type": string;
  readonly id: string;
  readonly displayName?: string | null;
  readonly mail?: string | null;
  readonly userPrincipalName?: string | null;
}

export interface TenantGroup {
  readonly id: string;
  readonly displayName: string;
  readonly mail: string | null;
  /** ["Unified"] for a Microsoft 365 group; [] for security and distribution groups. */
  readonly groupTypes: readonly string[];
  readonly mailEnabled: boolean;
  readonly securityEnabled: boolean;
  readonly members: readonly DirectoryMember[];
  readonly owners: readonly DirectoryMember[];
}

export interface GroupRouteOptions {
  /** Largest page for GET /groups. @default server.pageSize */
  readonly groupsPageSize?: number;
  /** Largest page for members and owners. @default server.pageSize */
  readonly linksPageSize?: number;
}

/** A request that reached a route (injected faults answer before routes, so they are not here), with its time. */
export interface Arrival {
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly at: number;
}

const GROUP_PROPERTIES = ["id", "displayName", "mail", "groupTypes", "mailEnabled", "securityEnabled"] as const;
/** Properties of the directoryObject types a group's members can be (user, device, servicePrincipal, orgContact, group). */
const MEMBER_PROPERTIES = ["id", "displayName", "mail", "userPrincipalName"] as const;
const UNIFIED_FILTER = /^groupTypes\/any\((\w+):\s*\1\s+eq\s+'Unified'\)$/i;

export function registerGroupRoutes(server: GraphServer, tenant: { groups: TenantGroup[] }, options: GroupRouteOptions = {}): { arrivals: Arrival[] } {
  const arrivals: Arrival[] = [];
  const arrive = (req: GraphRequest): void => void arrivals.push({ path: req.path, query: req.query, at: Date.now() });

  server.route("GET", "/v1.0/groups", (req) => {
    arrive(req);
    const filter = req.query["$filter"];
    if (filter !== undefined && !UNIFIED_FILTER.test(filter)) throw new GraphHttpError(400, "Request_UnsupportedQuery", `Unsupported query: ${filter}`);
    const groups = filter === undefined ? tenant.groups : tenant.groups.filter((g) => g.groupTypes.includes("Unified"));
    const select = selection(req, GROUP_PROPERTIES, "microsoft.graph.group");
    const shaped = groups.map((g) => pick({ ...g } as Record<string, unknown>, select ?? GROUP_PROPERTIES));
    return page(server, req, shaped, options.groupsPageSize ?? server.pageSize);
  });

  for (const relation of ["members", "owners"] as const) {
    server.route("GET", `/v1.0/groups/:id/${relation}`, (req) => {
      arrive(req);
      const group = tenant.groups.find((g) => g.id.toLowerCase() === req.params.id.toLowerCase());
      if (!group)
        throw new GraphHttpError(
          404,
          "Request_ResourceNotFound",
          `Resource '${req.params.id}' does not exist or one of its queried reference-property objects are not present.`,
        );
      const select = selection(req, MEMBER_PROPERTIES, "microsoft.graph.directoryObject");
      // Each object keeps its type and only the selected properties its type has (a device has no mail).
      const shaped = group[relation].map((m) => ({
        "@odata.type": m["@odata.type"],
        ...pick({ ...m } as Record<string, unknown>, select ?? MEMBER_PROPERTIES),
      }));
      return page(server, req, shaped, options.linksPageSize ?? server.pageSize);
    });
  }
  return { arrivals };
}

/** `$select` as a list, or undefined when absent; a property the type does not have is a 400, as Graph answers. */
function selection(req: GraphRequest, known: readonly string[], type: string): readonly string[] | undefined {
  const select = req.query["$select"];
  if (select === undefined) return undefined;
  const names = select.split(",").map((s) => s.trim());
  const unknown = names.find((n) => !known.includes(n));
  if (unknown) throw new GraphHttpError(400, "Request_BadRequest", `Could not find a property named '${unknown}' on type '${type}'.`);
  return names;
}

/** `id` always, then the named properties the object has (absent ones stay absent, as Graph omits them per type). */
function pick(item: Record<string, unknown>, names: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).filter(([k]) => k === "id" || names.includes(k)));
}

function page(server: GraphServer, req: GraphRequest, items: readonly unknown[], cap: number): GraphResponse {
  const top = Number(req.query["$top"] ?? 100);
  if (!Number.isInteger(top) || top < 1 || top > 999)
    throw new GraphHttpError(400, "Request_BadRequest", `Invalid page size specified: '${req.query["$top"]}'. Must be between 1 and 999 inclusive.`);
  const size = Math.min(top, cap);
  const skip = Number(req.query["$skiptoken"] ?? 0);
  const value = items.slice(skip, skip + size);
  if (skip + size >= items.length) return { status: 200, body: { value } };
  const query = new URLSearchParams({ ...req.query, $skiptoken: String(skip + size) });
  return { status: 200, body: { value, "@odata.nextLink": `${server.url}${req.path}?${query.toString()}` } };
}
