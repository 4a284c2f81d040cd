import { GraphHttpError, GraphServer } from "../../support/graph-server";

export interface FakeSku {
  skuId: string;
  skuPartNumber: string;
  prepaidUnits: { enabled: number };
  consumedUnits: number;
}

/**
 * Entra users (those the Exchange fake creates with room mailboxes, collection "users"), subscribed SKUs and
 * assignLicense, as Graph v1.0 answers them. Graph refuses a licence for a user without a usage location.
 */
export function registerAccountRoutes(server: GraphServer, skus: FakeSku[]): void {
  const users = server.collection<Record<string, unknown>>("users");
  const find = (key: string): Record<string, unknown> => {
    const user = users.get(key) ?? [...users.values()].find((u) => String(u.userPrincipalName).toLowerCase() === key.toLowerCase());
    if (!user)
      throw new GraphHttpError(
        404,
        "Request_ResourceNotFound",
        `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return user;
  };
  server.route("GET", "/v1.0/users/:id", (req) => {
    const user = find(req.params.id);
    const select = req.query["$select"]?.split(",");
    const { password: _p, ...visible } = user;
    void _p;
    return { status: 200, body: select ? Object.fromEntries(select.map((k) => [k, visible[k]])) : visible };
  });
  server.route("PATCH", "/v1.0/users/:id", (req, s) => {
    const user = find(req.params.id);
    s.requireValid("user", req.body);
    const body = req.body as Record<string, unknown>;
    for (const [k, v] of Object.entries(body)) {
      if (k === "passwordProfile") user.password = (v as { password?: string }).password;
      else user[k] = v;
    }
    return { status: 204 };
  });
  server.route("GET", "/v1.0/subscribedSkus", () => ({ status: 200, body: { value: skus } }));
  server.route("POST", "/v1.0/users/:id/assignLicense", (req) => {
    const user = find(req.params.id);
    const body = req.body as { addLicenses: { skuId: string; disabledPlans: string[] }[]; removeLicenses: string[] };
    if (body.addLicenses.length > 0 && !user.usageLocation) {
      throw new GraphHttpError(400, "Request_BadRequest", "License assignment cannot be done for user with invalid usage location.");
    }
    let assigned = (user.assignedLicenses as { skuId: string }[]).filter((a) => !body.removeLicenses.includes(a.skuId));
    for (const add of body.addLicenses) {
      const sku = skus.find((x) => x.skuId === add.skuId);
      if (!sku) throw new GraphHttpError(400, "Request_BadRequest", `License ${add.skuId} does not correspond to a valid company License.`);
      if (sku.consumedUnits >= sku.prepaidUnits.enabled)
        throw new GraphHttpError(400, "Request_BadRequest", `Subscription for ${sku.skuPartNumber} has no more available licenses.`);
      if (!assigned.some((a) => a.skuId === add.skuId)) {
        sku.consumedUnits += 1;
        assigned = [...assigned, { skuId: add.skuId }];
      }
    }
    for (const removed of body.removeLicenses) {
      const sku = skus.find((x) => x.skuId === removed);
      if (sku && (user.assignedLicenses as { skuId: string }[]).some((a) => a.skuId === removed)) sku.consumedUnits -= 1;
    }
    user.assignedLicenses = assigned;
    return { status: 200, body: user };
  });
}
