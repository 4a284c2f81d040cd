import type { TokenCredential } from "@azure/identity";
import { authorityHost, CLOUD_ENDPOINTS, Connection } from "./connection";

/**
 * @azure/identity, loaded when a credential is first needed: an offline `plan` declares the providers that sign in
 * but never signs in, and loading the library is a tenth of its start-up time.
 */
function identity(): typeof import("@azure/identity") {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand (start-up time), typed by the import type
  return require("@azure/identity") as typeof import("@azure/identity");
}

/**
 * THE credential factory: every provider and command gets its credential here, chosen by configuration.
 * Delegated-only APIs (terms of use) need a signed-in administrator: azureCli, deviceCode or interactiveBrowser.
 */
export function createCredential(connection: Connection): TokenCredential {
  const {
    AzureCliCredential,
    DefaultAzureCredential,
    DeviceCodeCredential,
    EnvironmentCredential,
    InteractiveBrowserCredential,
    ManagedIdentityCredential,
    WorkloadIdentityCredential,
  } = identity();
  const host = authorityHost(connection);
  const common = {
    tenantId: connection.tenantId,
    authorityHost: host,
    // Instance discovery asks login.microsoftonline.com about the authority; a configured, non-public host
    // (sovereign cloud or a test server) must not depend on that.
    disableInstanceDiscovery: !isPublicAuthority(host),
  };
  switch (connection.credential ?? "default") {
    case "azureCli":
      return new AzureCliCredential({ tenantId: connection.tenantId });
    case "environment":
      return new EnvironmentCredential(common);
    case "workloadIdentity":
      return new WorkloadIdentityCredential(common);
    case "managedIdentity":
      return new ManagedIdentityCredential();
    case "deviceCode":
      return new DeviceCodeCredential({
        ...common,
        // Device-code prompts must reach the operator on stderr, never stdout (plans may be piped).
        userPromptCallback: (info) => void process.stderr.write(`${info.message}\n`),
      });
    case "interactiveBrowser":
      return new InteractiveBrowserCredential({ ...common, redirectUri: "http://localhost" });
    case "default":
      return new DefaultAzureCredential(common);
  }
}

function isPublicAuthority(host: string): boolean {
  return Object.values(CLOUD_ENDPOINTS).some((e) => e.authority === host);
}
