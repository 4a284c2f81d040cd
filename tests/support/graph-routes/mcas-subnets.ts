import { randomBytes } from "node:crypto";
import { isCidr } from "../../../lib/net";
import { GraphHttpError, GraphRequest, GraphServer } from "../graph-server";

/**
 * Defender for Cloud Apps data-enrichment (IP range) endpoints, as documented under "Data Enrichment API":
 * `POST /api/v1/subnet/create_rule/` answers with the new range's ID as a JSON string; `POST
 * /api/v1/subnet/{id}/update_rule/` is not partial (optional fields not sent become empty); `DELETE
 * /api/v1/subnet/{id}/`; `GET /api/v1/subnet/` lists `{ data, hasNext, total }`. Names are unique. Not Graph, so
 * bodies are checked here rather than against the Graph schema. IDs are 24-hex-digit, like the API's.
 */
export interface StoredRange {
  readonly _id: string;
  readonly name: string;
  readonly category: number;
  readonly subnets: readonly { readonly originalString: string }[];
  readonly organization: string | null;
  readonly tags: readonly string[];
}

export const MCAS_API_PATH = "/api";
/** The Defender for Cloud Apps API's application ID, the audience its tokens carry. */
const DEFENDER_FOR_CLOUD_APPS_API = "05a65629-4c1b-48c1-a78b-804c4abdd4af";
const ALLOWED_FIELDS = ["name", "category", "subnets", "organization", "tags"];

/** Adds the subnet API under `${server.url}/api`; use that as the tenant's `defenderForCloudApps.apiUrl`. */
export function registerMcasSubnetRoutes(server: GraphServer): Map<string, StoredRange> {
  const ranges = server.collection<StoredRange>("mcas-subnets");
  // Tokens must be issued for the Defender for Cloud Apps API (its application ID as the resource).
  server.requireTokenFor(/^\/api\/v1\//, { audience: DEFENDER_FOR_CLOUD_APPS_API });
  const base = `${MCAS_API_PATH}/v1/subnet`;

  server.route("POST", `${base}/create_rule`, (req) => {
    const range = parseRange(req, ranges);
    ranges.set(range._id, range);
    return { status: 200, body: range._id };
  });

  server.route("POST", `${base}/:id/update_rule`, (req) => {
    const existing = ranges.get(req.params.id);
    if (!existing) throw new GraphHttpError(404, "NotFound", `No IP range with id ${req.params.id}`);
    const range = parseRange(req, ranges, existing._id);
    ranges.set(existing._id, range);
    return { status: 200, body: existing._id };
  });

  server.route("DELETE", `${base}/:id`, (req) => {
    if (!ranges.delete(req.params.id)) throw new GraphHttpError(404, "NotFound", `No IP range with id ${req.params.id}`);
    return { status: 200, body: req.params.id };
  });

  // List (https://learn.microsoft.com/defender-cloud-apps/api-data-enrichment-list): GET or POST with
  // { filters, skip, limit }; answers { total, hasNext, data } with tags as objects, as documented.
  const list = (req: GraphRequest) => {
    const body = (req.body ?? {}) as { skip?: number; limit?: number };
    const skip = body.skip ?? 0;
    const limit = body.limit ?? 10;
    const all = [...ranges.values()].sort((a, b) => a._id.localeCompare(b._id));
    const data = all.slice(skip, skip + limit).map((r) => ({ ...r, tags: r.tags.map((name) => ({ _id: `tag-${name}`, name })) }));
    return { status: 200, body: { total: all.length, hasNext: skip + limit < all.length, data } };
  };
  server.route("GET", base, list);
  server.route("POST", base, list);
  return ranges;
}

function parseRange(req: GraphRequest, ranges: Map<string, StoredRange>, id?: string): StoredRange {
  const body = req.body as Record<string, unknown> | undefined;
  if (!body || typeof body !== "object") throw new GraphHttpError(400, "BadRequest", "Request body must be a JSON object");
  const unknown = Object.keys(body).filter((k) => !ALLOWED_FIELDS.includes(k));
  if (unknown.length > 0) throw new GraphHttpError(400, "BadRequest", `Unknown fields: ${unknown.join(", ")}`);
  const { name, category, subnets, organization, tags } = body;
  if (typeof name !== "string" || name.trim() === "") throw new GraphHttpError(400, "BadRequest", "name is required");
  if (!Number.isInteger(category) || (category as number) < 1 || (category as number) > 6) throw new GraphHttpError(400, "BadRequest", "category must be 1-6");
  if (!Array.isArray(subnets) || subnets.length === 0) throw new GraphHttpError(400, "BadRequest", "subnets must be a non-empty array");
  const bad = subnets.filter((s) => typeof s !== "string" || !isCidr(s));
  if (bad.length > 0) throw new GraphHttpError(400, "BadRequest", `Invalid subnet mask: ${bad.join(", ")}`);
  if (organization !== undefined && typeof organization !== "string") throw new GraphHttpError(400, "BadRequest", "organization must be a string");
  if (tags !== undefined && (!Array.isArray(tags) || tags.some((t) => typeof t !== "string")))
    throw new GraphHttpError(400, "BadRequest", "tags must be an array of tag names");
  const clash = [...ranges.values()].find((r) => r.name === name && r._id !== id);
  if (clash) throw new GraphHttpError(400, "BadRequest", `An IP range named "${name}" already exists`);
  return {
    _id: id ?? randomBytes(12).toString("hex"),
    name,
    category: category as number,
    subnets: (subnets as string[]).map((s) => ({ originalString: s })),
    organization: (organization as string | undefined) ?? null,
    tags: (tags as string[] | undefined) ?? [],
  };
}
