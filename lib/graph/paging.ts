import type { Client, PageCollection } from "@microsoft/microsoft-graph-client";
import { graphSdk } from "./sdk";

/**
 * Every item of a Graph collection, following `@odata.nextLink` with the SDK's own page iterator
 * (https://learn.microsoft.com/graph/paging). Errors are the SDK's, for the caller to describe.
 */
export async function listAllPages<T>(client: Client, path: string): Promise<T[]> {
  const items: T[] = [];
  const first = (await client.api(path).get()) as PageCollection;
  await new (graphSdk().PageIterator)(client, first, (item: T) => (items.push(item), true)).iterate();
  return items;
}
