import { isGuid } from "../problems";

/**
 * One Microsoft 365 group as `groups export` writes it and `groups import` reads it back: one CSV row. The same
 * structure comes from Graph (`readUnifiedGroups`) and from the file (`groupsFromCsv`), so an export can be read back,
 * compared, or fed to a migration without a second model.
 */
export interface GroupMembership {
  /** Graph `displayName`: any text, commas, quotes and line breaks included. */
  readonly displayName: string;
  /** Graph `mail`: the group's primary SMTP address; "" when Graph has none (a group still being provisioned). */
  readonly primarySmtpAddress: string;
  /** Graph `id`: the group's object ID, a GUID, unique in a file. */
  readonly id: string;
  /** Direct members, each by `memberIdentifier`. */
  readonly members: readonly string[];
  /** Owners, each by `memberIdentifier`. */
  readonly owners: readonly string[];
}

/** What Graph returns for a member or owner with `$select=id,userPrincipalName,mail,displayName` (a directoryObject). */
export interface ListedDirectoryObject {
  readonly id?: string;
  /** e.g. `#microsoft.graph.user`, `#microsoft.graph.device`: always returned for a directoryObject collection. */
  readonly "@odata.type"?: string;
  readonly mail?: string | null;
  readonly userPrincipalName?: string | null;
  readonly displayName?: string | null;
}

/**
 * The one identifier written for a member or owner, chosen for migrations: the address mail flows to is what a target
 * tenant (or `Add-UnifiedGroupLinks`) can match, so
 *
 * 1. `mail` (the primary SMTP address: users with a mailbox, guests, contacts, mail-enabled groups), else
 * 2. `userPrincipalName` (users without a mailbox), else
 * 3. `id` (the object ID: devices and service principals have neither, and Graph returns only `id` and `@odata.type`
 *    for an object type the credential may not read, "limited information":
 *    https://learn.microsoft.com/graph/api/group-list-members).
 *
 * Blank values count as absent, so no member is ever written as an empty line (which would read back as nothing).
 */
export function memberIdentifier(member: ListedDirectoryObject): { readonly identifier: string; readonly by: "mail" | "userPrincipalName" | "id" } {
  const mail = member.mail?.trim();
  if (mail) return { identifier: mail, by: "mail" };
  const upn = member.userPrincipalName?.trim();
  if (upn) return { identifier: upn, by: "userPrincipalName" };
  if (!member.id) throw new Error("Graph returned a member or owner without an id; nothing identifies it");
  return { identifier: member.id, by: "id" };
}

/**
 * The order every export is written in, so the same tenant gives the same file and a `git diff` or a spreadsheet
 * compare shows only real changes: case-insensitive first (reviewers expect "adele" next to "Adele"), then exact,
 * both by UTF-16 code unit. Not `localeCompare`: its order depends on the machine's locale and ICU version, so two
 * machines could write the same tenant differently.
 */
export function compareText(a: string, b: string): number {
  const foldedA = a.toLowerCase();
  const foldedB = b.toLowerCase();
  if (foldedA !== foldedB) return foldedA < foldedB ? -1 : 1;
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Groups by display name, then ID; each group's members and owners sorted by `compareText`. Returns new objects. */
export function sortGroups(groups: readonly GroupMembership[]): GroupMembership[] {
  return groups
    .map((g) => ({ ...g, members: [...g.members].sort(compareText), owners: [...g.owners].sort(compareText) }))
    .sort((a, b) => compareText(a.displayName, b.displayName) || compareText(a.id, b.id));
}

/**
 * Why a member or owner identifier cannot be written so that it reads back the same, or undefined when it can. The
 * Members and Owners cells hold one identifier per line, blank lines ignored and each line trimmed (so a cell edited
 * in Excel still reads), so an identifier must be non-empty, on one line and without surrounding spaces.
 */
export function identifierProblem(identifier: string): string | undefined {
  if (identifier.trim() === "") return "is empty";
  if (/[\r\n]/.test(identifier)) return "contains a line break (members and owners are one per line)";
  if (identifier !== identifier.trim()) return "starts or ends with white space";
  return undefined;
}

/** Why a group ID is not acceptable (Graph object IDs are GUIDs), or undefined. */
export function groupIdProblem(id: string): string | undefined {
  return isGuid(id) ? undefined : `"${id}" is not a group object ID`;
}
