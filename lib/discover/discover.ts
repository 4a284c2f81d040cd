import type { Client } from "@microsoft/microsoft-graph-client";
import type * as Graph from "@microsoft/microsoft-graph-types";
import { DIRECTORY_SYNC_ROLE_IDS } from "../entra/well-known";
import { describeGraphError, listAllPages, statusOf } from "../graph";
import { isGuid } from "../problems";
import type { Progress } from "../plan/progress";

/** Display name Entra Connect gives its cloud service account in newer versions (older ones: `Sync_<server>_<id>` UPN). */
export const SYNC_SERVICE_ACCOUNT_NAME = "On-Premises Directory Synchronization Service Account";

export interface FoundPrincipal {
  readonly objectId: string;
  readonly displayName: string;
  /** Why it is listed, e.g. "holds Directory Synchronization Accounts" or "named Sync_*". */
  readonly evidence: readonly string[];
}

export interface ExistingObject {
  readonly id: string;
  readonly displayName: string;
  readonly state?: string;
}

/** What `discover` found in a tenant. Read-only: discovery never writes to Graph. */
export interface Discovery {
  readonly tenantId: string;
  readonly displayName: string;
  readonly primaryDomain?: string;
  /** Users that Entra Connect / Cloud Sync signs in as. */
  readonly syncAccounts: readonly FoundPrincipal[];
  /** Service principals holding a directory-sync role (Entra Connect >= 2.5.76). */
  readonly syncServicePrincipals: readonly FoundPrincipal[];
  readonly policies: readonly ExistingObject[];
  readonly namedLocations: readonly ExistingObject[];
  readonly agreements: readonly ExistingObject[];
  /**
   * Users and groups excluded from every existing conditional-access policy (sync accounts aside): how tenants mark
   * their emergency-access accounts, so the likeliest break-glass accounts. A proposal for a reviewer to confirm.
   */
  readonly breakGlassCandidates: { readonly users: readonly FoundPrincipal[]; readonly groups: readonly FoundPrincipal[] };
  /** The policies and named locations exactly as Graph returned them, for `--current-plan`. */
  readonly graph: { readonly policies: readonly Graph.ConditionalAccessPolicy[]; readonly namedLocations: readonly Graph.NamedLocation[] };
}

/** Every item of a collection, following `@odata.nextLink` with the SDK's own page iterator. */
async function listAll<T>(client: Client, path: string, step: string): Promise<T[]> {
  try {
    return await listAllPages<T>(client, path);
  } catch (err) {
    throw describeGraphError(err, {
      resource: "the tenant",
      step,
      hints: { 403: "discover needs Directory.Read.All, Policy.Read.All and Agreement.Read.All (delegated, e.g. after `az login`)." },
    });
  }
}

const quoted = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/** Reads, never writes: the tenant, its sync accounts and the objects a stack would otherwise create twice. */
export async function discoverTenant(client: Client, progress: Progress = () => undefined): Promise<Discovery> {
  progress("reading the organization");
  const [organization] = await listAll<Graph.Organization>(client, "/organization", "reading the organization");
  if (!organization?.id) throw new Error("discover: /organization returned no tenant; is the credential signed in to a directory?");
  const primaryDomain = organization.verifiedDomains?.find((d) => d.isInitial)?.name ?? undefined;

  progress("reading directory-sync role holders");
  const holders = new Map<string, { principal: Graph.DirectoryObject & { displayName?: string }; roles: string[] }>();
  for (const roleId of DIRECTORY_SYNC_ROLE_IDS) {
    const assignments = await listAll<Graph.UnifiedRoleAssignment>(
      client,
      `/roleManagement/directory/roleAssignments?$filter=roleDefinitionId eq ${quoted(roleId)}&$expand=principal`,
      "reading directory-sync role assignments",
    );
    for (const a of assignments) {
      const principal = a.principal as (Graph.DirectoryObject & { displayName?: string }) | undefined;
      if (!principal?.id) continue;
      const entry = holders.get(principal.id) ?? { principal, roles: [] };
      entry.roles.push(roleId);
      holders.set(principal.id, entry);
    }
  }

  progress("looking for Sync_* accounts");
  const named = [
    ...(await listAll<Graph.User>(
      client,
      `/users?$filter=startswith(userPrincipalName,'Sync_')&$select=id,displayName,userPrincipalName`,
      "listing Sync_* users",
    )),
    ...(await listAll<Graph.User>(
      client,
      `/users?$filter=displayName eq ${quoted(SYNC_SERVICE_ACCOUNT_NAME)}&$select=id,displayName,userPrincipalName`,
      "listing sync service accounts",
    )),
  ];

  const accounts = new Map<string, FoundPrincipal>();
  const servicePrincipals: FoundPrincipal[] = [];
  const roleNames = (roles: string[]): string[] =>
    roles.map((r) => `holds role ${r === DIRECTORY_SYNC_ROLE_IDS[0] ? "Directory Synchronization Accounts" : "On Premises Directory Sync Account"}`);
  for (const { principal, roles } of holders.values()) {
    const type = principal["@odata.type" as keyof typeof principal] as string | undefined;
    const found = { objectId: principal.id!, displayName: principal.displayName ?? principal.id!, evidence: roleNames(roles) };
    if (type?.endsWith("servicePrincipal")) servicePrincipals.push(found);
    else if (!type || type.endsWith("user")) accounts.set(found.objectId, found);
  }
  for (const user of named) {
    if (!user.id) continue;
    const label = user.userPrincipalName ?? user.displayName ?? user.id;
    const evidence = user.userPrincipalName?.startsWith("Sync_") ? "named Sync_*" : `named "${SYNC_SERVICE_ACCOUNT_NAME}"`;
    const known = accounts.get(user.id);
    accounts.set(user.id, { objectId: user.id, displayName: label, evidence: [...new Set([...(known?.evidence ?? []), evidence])] });
  }

  progress("reading conditional-access policies, named locations and agreements");
  const policies = await listAll<Graph.ConditionalAccessPolicy>(client, "/identity/conditionalAccess/policies", "listing conditional-access policies");
  const locations = await listAll<Graph.NamedLocation>(client, "/identity/conditionalAccess/namedLocations", "listing named locations");
  const agreements = await listAll<Graph.Agreement>(client, "/identityGovernance/termsOfUse/agreements", "listing terms-of-use agreements");
  const existing = (o: { id?: string; displayName?: string | null; state?: string | null }): ExistingObject => ({
    id: o.id!,
    displayName: o.displayName ?? o.id!,
    ...(o.state ? { state: o.state } : {}),
  });
  const byName = (a: { displayName: string }, b: { displayName: string }): number => a.displayName.localeCompare(b.displayName);
  progress("looking for accounts every policy excludes (break-glass candidates)");
  const syncIds = new Set([...accounts.keys()].map((id) => id.toLowerCase()));
  const breakGlassCandidates = await excludedEverywhere(client, policies, syncIds);

  return {
    tenantId: organization.id,
    displayName: organization.displayName ?? organization.id,
    primaryDomain,
    syncAccounts: [...accounts.values()].sort(byName),
    syncServicePrincipals: servicePrincipals.sort(byName),
    policies: policies.map(existing).sort(byName),
    namedLocations: locations.map(existing).sort(byName),
    agreements: agreements.map(existing).sort(byName),
    breakGlassCandidates: { users: breakGlassCandidates.users.sort(byName), groups: breakGlassCandidates.groups.sort(byName) },
    graph: { policies, namedLocations: locations },
  };
}

/**
 * Principals every policy excludes. Each is read back (`GET /users/{id}`, `GET /groups/{id}`) for its name, and one
 * Graph no longer has (a stale exclusion, 404) is left out.
 */
async function excludedEverywhere(
  client: Client,
  policies: readonly Graph.ConditionalAccessPolicy[],
  syncIds: ReadonlySet<string>,
): Promise<{ users: FoundPrincipal[]; groups: FoundPrincipal[] }> {
  const common = (pick: (users: Graph.ConditionalAccessUsers) => readonly string[] | null | undefined): string[] => {
    const sets = policies.map((p) => new Set((pick(p.conditions?.users ?? {}) ?? []).map((id) => id.toLowerCase()).filter(isGuid)));
    if (sets.length === 0) return [];
    return [...sets[0]].filter((id) => !syncIds.has(id) && sets.every((s) => s.has(id))).sort();
  };
  const evidence = [`excluded from all ${policies.length} existing conditional-access policies`];
  // `$select` names only properties the type has: Graph answers 400 to a group asked for its userPrincipalName.
  const read = async (path: string, id: string, select: string, name: (o: Graph.User & Graph.Group) => string): Promise<FoundPrincipal | undefined> => {
    try {
      const o = (await client.api(`${path}/${id}`).select(select).get()) as Graph.User & Graph.Group;
      return { objectId: id, displayName: name(o), evidence };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw describeGraphError(err, { resource: "the tenant", step: `reading ${path}/${id}`, hints: { 403: "discover needs Directory.Read.All." } });
    }
  };
  const users = await Promise.all(
    common((u) => u.excludeUsers).map((id) => read("/users", id, "id,displayName,userPrincipalName", (o) => o.userPrincipalName ?? o.displayName ?? id)),
  );
  const groups = await Promise.all(common((u) => u.excludeGroups).map((id) => read("/groups", id, "id,displayName", (o) => o.displayName ?? id)));
  return { users: users.filter((u): u is FoundPrincipal => u !== undefined), groups: groups.filter((g): g is FoundPrincipal => g !== undefined) };
}
