import type { Connection } from "../../lib/graph";
import type { GraphServer } from "./graph-server";

export const TEST_TENANT_ID = "11111111-2222-3333-4444-555555555555";

/**
 * A connection that makes the real EnvironmentCredential sign in at the local server with a client secret from
 * the environment, exactly as a CI pipeline would against Entra. Restores the environment in `restore`.
 */
export function localConnection(server: GraphServer, overrides: Partial<Connection> = {}): { connection: Connection; restore: () => void } {
  const saved = { id: process.env.AZURE_CLIENT_ID, secret: process.env.AZURE_CLIENT_SECRET, tenant: process.env.AZURE_TENANT_ID };
  process.env.AZURE_CLIENT_ID = "00000000-aaaa-bbbb-cccc-000000000001";
  process.env.AZURE_CLIENT_SECRET = "local-test-secret-not-real";
  process.env.AZURE_TENANT_ID = TEST_TENANT_ID;
  const connection: Connection = {
    tenantId: TEST_TENANT_ID,
    credential: "environment",
    graphUrl: server.url,
    authorityHost: server.url,
    retry: { maxRetries: 3, delaySeconds: 0 },
    ...overrides,
  };
  const restore = (): void => {
    for (const [key, value] of [
      ["AZURE_CLIENT_ID", saved.id],
      ["AZURE_CLIENT_SECRET", saved.secret],
      ["AZURE_TENANT_ID", saved.tenant],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  return { connection, restore };
}
