import { Connection, createGraphClient } from "../graph";

/**
 * The Defender for Cloud Apps REST API, as Microsoft documents it (https://learn.microsoft.com/defender-cloud-apps/api-introduction):
 * a base URL per tenant (`https://<tenant>.<region>.portal.cloudappsecurity.com/api`, portal: Settings › Cloud Apps ›
 * About), tokens for the API's application ID, 30 requests per minute per tenant.
 */

/** Application ID of the Defender for Cloud Apps API; IP ranges need its `Settings.manage` permission. */
export const DEFENDER_FOR_CLOUD_APPS_APP_ID = "05a65629-4c1b-48c1-a78b-804c4abdd4af";

/** A client whose token is for the Defender for Cloud Apps API, rooted at the tenant's API URL. */
export function defenderClient(connection: Connection, apiUrl: string): ReturnType<typeof createGraphClient> {
  return createGraphClient(connection, { apiRoot: normaliseApiUrl(apiUrl), scopes: [`${DEFENDER_FOR_CLOUD_APPS_APP_ID}/.default`] });
}

/** Absolute URL of a v1 endpoint under the API root (the client sends absolute URLs as they are), e.g. `subnet/`. */
export function defenderEndpoint(apiUrl: string, path: string): string {
  return `${normaliseApiUrl(apiUrl)}/v1/${path}`;
}

export function normaliseApiUrl(url: string): string {
  return (url ?? "").replace(/\/+$/, "");
}
