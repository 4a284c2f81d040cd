import type { Client } from "@microsoft/microsoft-graph-client";
import type * as Graph from "@microsoft/microsoft-graph-types";
import { describeGraphError, listAllPages, statusOf } from "../graph";
import type { Progress } from "../plan/progress";
import { compareText, GroupMembership, ListedDirectoryObject, memberIdentifier, sortGroups } from "./membership";

/**
 * Microsoft 365 groups only: their `groupTypes` holds "Unified"; security, mail-enabled security and distribution
 * groups have none (https://learn.microsoft.com/graph/api/resources/groups-overview). `any` on `groupTypes` is a
 * default `$filter` of List groups (https://learn.microsoft.com/graph/api/group-list): no ConsistencyLevel header.
 */
export const UNIFIED_GROUPS_FILTER = "groupTypes/any(c:c eq 'Unified')";

/** The identifiers a member or owner may be written by (`memberIdentifier`), and `displayName` for messages. */
export const MEMBER_SELECT = "id,userPrincipalName,mail,displayName";

/**
 * 999 per page, the most directory collections return (the default is 100): a 5,000-member group is 6 requests,
 * not 50, and fewer requests are fewer chances to be throttled. Graph may still return fewer; `listAllPages` follows
 * `@odata.nextLink` either way (https://learn.microsoft.com/graph/paging).
 */
const PAGE_SIZE = 999;

/** `GET /groups` (https://learn.microsoft.com/graph/api/group-list). */
export const UNIFIED_GROUPS_PATH = `/groups?$filter=${UNIFIED_GROUPS_FILTER}&$select=id,displayName,mail&$top=${PAGE_SIZE}`;

/**
 * `GET /groups/{id}/members` (https://learn.microsoft.com/graph/api/group-list-members: direct members, not
 * transitive) and `GET /groups/{id}/owners` (https://learn.microsoft.com/graph/api/group-list-owners).
 */
export function groupLinksPath(groupId: string, relation: "members" | "owners"): string {
  return `/groups/${encodeURIComponent(groupId)}/${relation}?$select=${MEMBER_SELECT}&$top=${PAGE_SIZE}`;
}

const PERMISSION_HINT =
  "groups export needs GroupMember.Read.All (or Group.Read.All, Directory.Read.All), delegated or application " +
  "(https://learn.microsoft.com/graph/api/group-list-members); a group with hidden membership also needs Member.Read.Hidden.";

/** A member or owner written by its object ID: it has neither mail nor a user principal name Graph would show. */
export interface IdentifiedById {
  readonly group: { readonly id: string; readonly displayName: string };
  readonly relation: "member" | "owner";
  readonly id: string;
  /** e.g. "device", "servicePrincipal", "user" (a user with only an ID: the credential may not read users). */
  readonly type?: string;
  readonly displayName?: string;
}

export interface UnifiedGroupsExport {
  /** Sorted as `sortGroups` sorts (the order the CSV is written in). */
  readonly groups: readonly GroupMembership[];
  /** Members and owners written by object ID, so a reviewer sees them and can tell a missing permission from a device. */
  readonly identifiedById: readonly IdentifiedById[];
  /** Groups listed but deleted before their members were read (404): left out of `groups`, named here. */
  readonly vanished: readonly { readonly id: string; readonly displayName: string }[];
}

export interface ReadGroupsOptions {
  /** Where progress messages go (`createProgress`). @default none */
  readonly progress?: Progress;
  /**
   * Groups whose members and owners are read at the same time. A few in flight keeps a large tenant's export short;
   * more would mostly earn 429s (which the client's retry waits out, honouring Retry-After). @default 4
   */
  readonly concurrency?: number;
}

/**
 * Every Microsoft 365 group in the tenant with its direct members and owners, read-only. Paging is `listAllPages`;
 * throttling (429 with Retry-After) and 5xx are retried, within bounds, by the client `createGraphClient` builds.
 */
export async function readUnifiedGroups(client: Client, options: ReadGroupsOptions = {}): Promise<UnifiedGroupsExport> {
  const progress = options.progress ?? (() => undefined);
  const concurrency = Math.max(1, options.concurrency ?? 4);

  progress("listing Microsoft 365 groups");
  const listed = await withContext(listAllPages<Graph.Group>(client, UNIFIED_GROUPS_PATH), "the tenant", "listing Microsoft 365 groups");

  const identifiedById: IdentifiedById[] = [];
  const vanished: { id: string; displayName: string }[] = [];
  const groups: GroupMembership[] = [];
  let next = 0;
  let done = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    // After one failure no worker starts another group: a refused permission would refuse every group alike.
    while (next < listed.length && !failed) {
      const group = listed[next++];
      const id = group.id!; // `id` is always returned: `$select` names it, and Graph returns it regardless.
      const displayName = group.displayName ?? "";
      const label = `group "${displayName}" (${id})`;
      try {
        // Members, then owners, one request at a time per group: never more than `concurrency` requests in flight.
        const members = await withContext(listAllPages<ListedDirectoryObject>(client, groupLinksPath(id, "members")), label, "listing members");
        const owners = await withContext(listAllPages<ListedDirectoryObject>(client, groupLinksPath(id, "owners")), label, "listing owners");
        const identify = (relation: "member" | "owner") => (o: ListedDirectoryObject) => {
          const { identifier, by } = memberIdentifier(o);
          if (by === "id") {
            identifiedById.push({
              group: { id, displayName },
              relation,
              id: identifier,
              ...(o["@odata.type"] ? { type: o["@odata.type"].replace(/^#microsoft\.graph\./, "") } : {}),
              ...(o.displayName ? { displayName: o.displayName } : {}),
            });
          }
          return identifier;
        };
        groups.push({
          displayName,
          primarySmtpAddress: group.mail ?? "",
          id,
          members: members.map(identify("member")),
          owners: owners.map(identify("owner")),
        });
      } catch (err) {
        // Deleted between the list and its members: what the tenant no longer has is not an export failure.
        if (statusOf(err) !== 404) {
          failed = true;
          throw err;
        }
        vanished.push({ id, displayName });
      }
      done++;
      if (done % 25 === 0 || done === listed.length) progress(`read members and owners of ${done} of ${listed.length} groups`);
    }
  };
  // Settled, not Promise.all: the export ends (or fails) only once no request of it is still in flight.
  const outcomes = await Promise.allSettled(Array.from({ length: Math.min(concurrency, listed.length) }, worker));
  const failure = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
  if (failure) throw failure.reason;

  const byGroupThenId = (a: IdentifiedById, b: IdentifiedById): number =>
    compareText(a.group.displayName, b.group.displayName) ||
    compareText(a.group.id, b.group.id) ||
    compareText(a.relation, b.relation) ||
    compareText(a.id, b.id);
  const byName = (a: { id: string; displayName: string }, b: { id: string; displayName: string }): number =>
    compareText(a.displayName, b.displayName) || compareText(a.id, b.id);
  // Sorted, like the groups: which worker finished first must not change what is reported.
  return { groups: sortGroups(groups), identifiedById: identifiedById.sort(byGroupThenId), vanished: vanished.sort(byName) };
}

/** A Graph failure described with the group and step (and the permission a 403 means); the status is kept. */
async function withContext<T>(call: Promise<T>, resource: string, step: string): Promise<T> {
  try {
    return await call;
  } catch (err) {
    throw describeGraphError(err, { resource, step, hints: { 403: PERMISSION_HINT } });
  }
}
