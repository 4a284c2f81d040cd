import type { ProblemList } from "../problems";
import type { TenantSettings } from "../tenant-settings";
import { Connection, connectionFor, CredentialKind } from "./connection";
import { TENANT_CONFIG_KEY } from "../stack-config";

/**
 * How each service the library calls lets a deployment sign in, from Microsoft's documentation, and which
 * credential a tenant's settings give each one. A combination the service refuses is a validation error before
 * anything is declared, naming the settings field.
 */
export type Service = "termsOfUse" | "rooms" | "defenderForCloudApps" | "mailProtection";

/** Kinds that sign in as a user (an administrator): the only tokens the terms-of-use APIs accept. */
const DELEGATED_KINDS: readonly CredentialKind[] = ["azureCli", "deviceCode", "interactiveBrowser"];
/** Kinds that can sign in as the app itself. `azureCli` and `default` can be either, depending on the login. */
const APP_CAPABLE_KINDS: readonly CredentialKind[] = ["environment", "workloadIdentity", "managedIdentity", "azureCli", "default"];

interface ServiceSignIn {
  /** Which credential kinds the service can accept. */
  readonly kinds: readonly CredentialKind[];
  /** In the reviewer's words, for plans. */
  readonly signsInAs: string;
  /** Why, with Microsoft's documentation. */
  readonly why: string;
}

export const SERVICE_SIGN_IN: Readonly<Record<Service, ServiceSignIn>> = {
  termsOfUse: {
    kinds: DELEGATED_KINDS,
    signsInAs: "an administrator (delegated sign-in)",
    why:
      'Microsoft Graph lists "Application: Not supported" for the terms-of-use (agreement) APIs (Create agreement, ' +
      "List agreements: https://learn.microsoft.com/graph/api/termsofusecontainer-list-agreements): the token must be a signed-in " +
      "Conditional Access or Security Administrator's; `default` is refused because in CI it resolves to an app-only identity",
  },
  rooms: {
    kinds: APP_CAPABLE_KINDS,
    signsInAs: "the deployment's own app (app-only)",
    why:
      "Room mailboxes are managed through Exchange Online's admin API as the app (Exchange.ManageAsApp, " +
      "https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2), with Graph application permissions for the account and places",
  },
  mailProtection: {
    kinds: APP_CAPABLE_KINDS,
    signsInAs: "the deployment's own app (app-only)",
    why:
      "Forwarding, DKIM and preset security policies are Exchange Online cmdlets called through its admin API as the app " +
      "(Exchange.ManageAsApp and the Security Administrator role, https://learn.microsoft.com/powershell/exchange/app-only-auth-powershell-v2)",
  },
  defenderForCloudApps: {
    kinds: [...APP_CAPABLE_KINDS, "deviceCode", "interactiveBrowser"],
    signsInAs: "the deployment's app, or an administrator",
    why: "The Defender for Cloud Apps API takes application or user tokens (https://learn.microsoft.com/defender-cloud-apps/api-authentication-application)",
  },
};

/** The credential kind a tenant gives a service, and the settings field it comes from. */
export function credentialFor(tenant: Pick<TenantSettings, "graph" | "credentials">, service: Service): { kind: CredentialKind; field: string } {
  const own = tenant.credentials?.[service];
  return own ? { kind: own, field: `credentials.${service}` } : { kind: tenant.graph.credential, field: "graph.credential" };
}

/** Adds a problem when the tenant's credential for `service` is one the service refuses. */
export function checkSignIn(
  tenant: Pick<TenantSettings, "graph" | "credentials">,
  service: Service,
  problems: ProblemList,
  settingsKey = TENANT_CONFIG_KEY,
): void {
  const { kind, field } = credentialFor(tenant, service);
  const rule = SERVICE_SIGN_IN[service];
  if (rule.kinds.includes(kind)) return;
  problems.add(
    `${settingsKey}.${field}`,
    `"${kind}" cannot sign in to ${service}: ${rule.why}`,
    `${rule.kinds.join(", ")} (set ${settingsKey}.credentials.${service})`,
  );
}

/** The connection a service's provider uses: the tenant's, with that service's credential. */
export function connectionForService(tenant: TenantSettings, service: Service, overrides: Partial<Connection> = {}): Connection {
  return connectionFor(tenant, { credential: credentialFor(tenant, service).kind, ...overrides });
}
