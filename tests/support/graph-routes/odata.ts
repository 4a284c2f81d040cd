import { GraphHttpError, GraphRequest, GraphResponse, GraphServer } from "../graph-server";

/** OData as Graph answers it, shared by the route modules. */

/** A Graph collection page: `$top` caps it (no next link, as for a one-off probe), else @odata.nextLink carries the query. */
export function page<T>(server: GraphServer, req: GraphRequest, items: readonly T[]): GraphResponse {
  const skip = Number(req.query["$skiptoken"] ?? 0);
  const size = Math.min(server.pageSize, Number(req.query["$top"] ?? server.pageSize));
  const value = items.slice(skip, skip + size);
  if (skip + size >= items.length || req.query["$top"]) return { status: 200, body: { value } };
  const query = new URLSearchParams({ ...req.query, $skiptoken: String(skip + size) });
  return { status: 200, body: { value, "@odata.nextLink": `${server.url}${req.path}?${query.toString()}` } };
}

/** `$select`: only the named properties (and `id`); a property the type does not have is a 400, as Graph answers. */
export function selected<T extends object>(item: T, req: GraphRequest): Partial<T> {
  const select = req.query["$select"];
  if (!select) return item;
  const names = select.split(",").map((s) => s.trim());
  const unknown = names.filter((n) => !(n in item));
  if (unknown.length > 0) throw new GraphHttpError(400, "BadRequest", `Could not find a property named '${unknown[0]}' on type 'microsoft.graph.entity'.`);
  return Object.fromEntries(Object.entries(item).filter(([k]) => k === "id" || names.includes(k))) as Partial<T>;
}
