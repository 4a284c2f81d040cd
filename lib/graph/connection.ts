import type { CLOUDS, CREDENTIAL_KINDS, TenantSettings } from "../tenant-settings";

export type Cloud = (typeof CLOUDS)[number];
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

/**
 * How a provider reaches Microsoft Graph (or another Microsoft API). Plain data, never secrets, so it can be a
 * dynamic provider's input and survive Pulumi's serialization; secrets come from the environment through
 * @azure/identity (e.g. AZURE_CLIENT_SECRET, a federated token file, the Azure CLI's cache).
 */
export interface Connection {
  /** Entra tenant ID the credential signs in to. */
  readonly tenantId: string;
  /** Sovereign cloud: picks the Graph endpoint and the authority host. @default "global" */
  readonly cloud?: Cloud;
  /** Which @azure/identity credential to use. @default "default" (DefaultAzureCredential) */
  readonly credential?: CredentialKind;
  /** Overrides the Graph root, e.g. a local test server. @default the cloud's Graph endpoint */
  readonly graphUrl?: string;
  /** Overrides the authority (login) host. @default the cloud's authority host */
  readonly authorityHost?: string;
  /** Bounded retry for 429 / 5xx: attempts after the first, and the base delay in seconds. @default { maxRetries: 5, delaySeconds: 2 } */
  readonly retry?: { readonly maxRetries: number; readonly delaySeconds: number };
}

interface CloudEndpoints {
  readonly graph: string;
  readonly authority: string;
  readonly exchange: string;
}

/** Endpoints per national cloud (Microsoft Graph "National cloud deployments"; Exchange Online endpoints per cloud). */
export const CLOUD_ENDPOINTS: Readonly<Record<Cloud, CloudEndpoints>> = {
  global: { graph: "https://graph.microsoft.com", authority: "https://login.microsoftonline.com", exchange: "https://outlook.office365.com" },
  usGovernment: { graph: "https://graph.microsoft.us", authority: "https://login.microsoftonline.us", exchange: "https://outlook.office365.us" },
  usGovernmentDoD: { graph: "https://dod-graph.microsoft.us", authority: "https://login.microsoftonline.us", exchange: "https://webmail.apps.mil" },
  china: { graph: "https://microsoftgraph.chinacloudapi.cn", authority: "https://login.chinacloudapi.cn", exchange: "https://partner.outlook.cn" },
};

export function graphRoot(connection: Connection): string {
  return (connection.graphUrl ?? CLOUD_ENDPOINTS[connection.cloud ?? "global"].graph).replace(/\/+$/, "");
}

export function authorityHost(connection: Connection): string {
  return (connection.authorityHost ?? CLOUD_ENDPOINTS[connection.cloud ?? "global"].authority).replace(/\/+$/, "");
}

/** The connection a tenant's settings describe: its tenant ID plus `graph.cloud` and `graph.credential`. */
export function connectionFor(tenant: Pick<TenantSettings, "tenantId" | "graph">, overrides: Partial<Connection> = {}): Connection {
  return { tenantId: tenant.tenantId, cloud: tenant.graph.cloud, credential: tenant.graph.credential, ...overrides };
}

/**
 * Where a component's providers send their requests when not the tenant cloud's public endpoints (a sovereign or
 * test host), and how fast they retry: the one seam every area's Args take, as `endpoints`.
 */
export interface ServiceEndpoints {
  /** @default the cloud's Graph endpoint */
  readonly graphUrl?: string;
  /** @default the cloud's authority host */
  readonly authorityHost?: string;
  /** @default the cloud's Exchange Online endpoint */
  readonly exchangeUrl?: string;
  /** @default { maxRetries: 5, delaySeconds: 2 } */
  readonly retry?: Connection["retry"];
}

/** The connection fields `endpoints` overrides (only those given). */
export function endpointOverrides(endpoints: ServiceEndpoints | undefined): Partial<Connection> {
  const { graphUrl, authorityHost, retry } = endpoints ?? {};
  return { ...(graphUrl ? { graphUrl } : {}), ...(authorityHost ? { authorityHost } : {}), ...(retry ? { retry } : {}) };
}
