import { GraphHttpError, GraphServer } from "../graph-server";

/**
 * Graph places (v1.0): the current "Get place" and "Update place" pages identify a place by its `id` only (an older
 * version also took the email address), so only IDs are accepted here; List places finds a room by `emailAddress`.
 * Rooms appear here when the Exchange fake creates a room mailbox (collection "places"). PATCH bodies are
 * checked against the v1.0 `room` type, so a property Graph lacks is refused as Graph would.
 */
export function registerPlacesRoutes(server: GraphServer): void {
  const places = server.collection<Record<string, unknown>>("places");
  const find = (key: string): Record<string, unknown> => {
    const place = [...places.values()].find((p) => p.id === key);
    if (!place) throw new GraphHttpError(404, "ErrorItemNotFound", `The place '${key}' was not found.`);
    return place;
  };
  server.route("GET", "/v1.0/places/microsoft.graph.room", (req, s) => s.page(req, [...places.values()]));
  server.route("GET", "/v1.0/places/:id", (req) => ({ status: 200, body: find(req.params.id) }));
  server.route("PATCH", "/v1.0/places/:id", (req, s) => {
    const place = find(req.params.id);
    s.requireValid("room", req.body);
    const body = req.body as Record<string, unknown>;
    if (body["@odata.type"] !== "microsoft.graph.room" && body["@odata.type"] !== "#microsoft.graph.room") {
      throw new GraphHttpError(400, "ErrorInvalidRequest", "@odata.type is required to update a place and must match its type.");
    }
    for (const [k, v] of Object.entries(body)) if (!k.startsWith("@odata.")) place[k] = v;
    return { status: 200, body: place };
  });
}
