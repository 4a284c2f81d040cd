import * as fs from "node:fs";
import { Connection, createGraphClient } from "../lib/graph";
import { cellsBeyondExcel, EXCEL_CELL_LIMIT, GroupMembership, groupsFromCsv, groupsToCsv, readUnifiedGroups, UnifiedGroupsExport } from "../lib/groups";
import { createProgress } from "../lib/plan/progress";
import { tenantSettingsFromConfig } from "../lib/stack-config";
import { CREDENTIAL_KINDS } from "../lib/tenant-settings";
import type { CliIo } from "./io";

export interface GroupsExportOptions {
  /** Tenant stack whose `Pulumi.<stack>.yaml` names the tenant, its cloud and `graph.credential`. */
  stack?: string;
  /** Tenant ID or domain to sign in to, as `discover --tenant` (instead of, or checked against, --stack's). */
  tenant?: string;
  /** @azure/identity credential kind; default the stack's `graph.credential`, else `default`. */
  credential?: string;
  /** The CSV file to write. */
  out: string;
  root: string;
  /** Overrides for a non-public Graph / authority host (sovereign cloud proxies, tests). */
  graphUrl?: string;
  authorityHost?: string;
}

export interface GroupsImportOptions {
  /** The CSV file to read (written by `groups export`, or edited in Excel and saved as CSV UTF-8). */
  in: string;
  /** Print the groups as JSON instead of the summary. */
  json?: boolean;
}

/**
 * `groups export`: every Microsoft 365 group with its members and owners, read-only, written as the CSV Excel opens
 * (docs/groups.md). Signs in as `discover` does: an @azure/identity credential and the same endpoint overrides.
 * Prints a summary on stdout; members written by object ID and cells too long for Excel go to stderr.
 */
export async function runGroupsExport(options: GroupsExportOptions, io: CliIo): Promise<void> {
  const connection = await exportConnection(options);
  const progress = createProgress(io.stderr);
  const exported = await readUnifiedGroups(createGraphClient(connection), { progress });
  fs.writeFileSync(options.out, groupsToCsv(exported.groups));
  const { members, owners } = totals(exported.groups);
  io.stdout.write(`${exported.groups.length} Microsoft 365 groups (${members} memberships, ${owners} ownerships) written to ${options.out}\n`);
  for (const note of exportNotes(exported)) io.stderr.write(`${note}\n`);
}

/** `groups import`: reads a groups CSV back and prints what it holds (a summary, or the structure as JSON). */
export function runGroupsImport(options: GroupsImportOptions, io: CliIo): void {
  const groups = groupsFromCsv(readUtf8(options.in), { source: options.in });
  if (options.json) {
    io.stdout.write(`${JSON.stringify(groups, null, 2)}\n`);
    return;
  }
  io.stdout.write(renderSummary(options.in, groups));
}

/** The connection `discover` would build, with the tenant, cloud and credential from --stack when given. */
export async function exportConnection(options: GroupsExportOptions): Promise<Connection> {
  if (!options.stack && !options.tenant) {
    throw new Error("groups export: give --stack <tenant> (its Pulumi.<stack>.yaml names the tenant and credential) or --tenant <id>");
  }
  // Loaded only for --stack: the stack reader loads @pulumi/pulumi (half a second), which `--tenant` and `import` do not need.
  const settings = options.stack
    ? tenantSettingsFromConfig((await import("../lib/plan/record")).readStackConfig(options.root, options.stack), options.stack)
    : undefined;
  if (settings && options.tenant && options.tenant.toLowerCase() !== settings.tenantId.toLowerCase()) {
    // Two tenants named at once is a mistake; exporting the other customer's groups would be a worse one.
    throw new Error(`groups export: --tenant ${options.tenant} is not the tenant Pulumi.${options.stack}.yaml names (${settings.tenantId})`);
  }
  const credential = options.credential ?? settings?.graph.credential ?? "default";
  if (!(CREDENTIAL_KINDS as readonly string[]).includes(credential)) {
    throw new Error(`groups export: --credential "${credential}" is not a credential kind. Allowed: ${CREDENTIAL_KINDS.join(", ")}`);
  }
  return {
    tenantId: options.tenant ?? settings!.tenantId,
    ...(settings ? { cloud: settings.graph.cloud } : {}),
    credential: credential as Connection["credential"],
    ...(options.graphUrl ? { graphUrl: options.graphUrl } : {}),
    ...(options.authorityHost ? { authorityHost: options.authorityHost } : {}),
  };
}

/** What a reviewer should know about the file that the file cannot say: stderr, not the summary. */
function exportNotes(exported: UnifiedGroupsExport): string[] {
  const notes: string[] = [];
  if (exported.identifiedById.length > 0) {
    notes.push(
      `${exported.identifiedById.length} members or owners are written by object ID (no mail or user principal name): devices and service ` +
        `principals have neither; a user or contact among them means the credential may read group members but not that object type:`,
    );
    for (const m of exported.identifiedById) {
      notes.push(
        `  ${oneLine(m.group.displayName)} (${m.group.id}): ${m.relation} ${m.id}${m.type ? ` ${m.type}` : ""}${m.displayName ? ` "${oneLine(m.displayName)}"` : ""}`,
      );
    }
  }
  for (const g of exported.vanished) notes.push(`group "${oneLine(g.displayName)}" (${g.id}) was deleted while the export ran: not in the file`);
  for (const cell of cellsBeyondExcel(exported.groups)) {
    notes.push(
      `the ${cell.column} cell of "${oneLine(cell.group.displayName)}" (${cell.group.id}) has ${cell.length} characters; Excel holds ${EXCEL_CELL_LIMIT} in a cell ` +
        `and would not show it whole. The file has every entry: read it with \`groups import\`, or any CSV reader.`,
    );
  }
  return notes;
}

function renderSummary(source: string, groups: readonly GroupMembership[]): string {
  const { members, owners } = totals(groups);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
  const lines = [`${source}: ${plural(groups.length, "Microsoft 365 group")}, ${plural(members, "membership")}, ${plural(owners, "ownership")}`];
  for (const g of groups) {
    const address = g.primarySmtpAddress ? ` <${g.primarySmtpAddress}>` : "";
    lines.push(`  ${oneLine(g.displayName)}${address} (${g.id}): ${plural(g.members.length, "member")}, ${plural(g.owners.length, "owner")}`);
  }
  const ownerless = groups.filter((g) => g.owners.length === 0);
  // A group nobody owns is managed by no one but administrators: the finding a membership review looks for first.
  if (ownerless.length > 0) lines.push(`Without an owner (${ownerless.length}): ${ownerless.map((g) => oneLine(g.displayName)).join("; ")}`);
  return `${lines.join("\n")}\n`;
}

function totals(groups: readonly GroupMembership[]): { members: number; owners: number } {
  return groups.reduce((t, g) => ({ members: t.members + g.members.length, owners: t.owners + g.owners.length }), { members: 0, owners: 0 });
}

/** A display name may hold line breaks: shown as \n so each summary line stays one group. */
function oneLine(text: string): string {
  return text.replace(/\r\n|\r|\n/g, "\\n");
}

/**
 * The file as UTF-8, refusing anything else: Excel's plain "CSV (Comma delimited)" saves in the ANSI code page, and
 * decoding that leniently would replace every non-ASCII letter in names and addresses without a word.
 */
function readUtf8(file: string): string {
  const bytes = fs.readFileSync(file);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file} is not UTF-8 text: in Excel, save it as "CSV UTF-8 (Comma delimited)"`);
  }
}
