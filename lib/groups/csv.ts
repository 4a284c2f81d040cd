import { parse } from "csv-parse/sync";
import { stringify } from "csv-stringify/sync";
import { GroupMembership, groupIdProblem, identifierProblem, sortGroups } from "./membership";

/**
 * The group-membership CSV (docs/groups.md, "The CSV file"): what Excel opens as one row per group with no import
 * wizard, and what `groupsFromCsv` reads back to the same structure.
 *
 * - UTF-8 with a byte order mark (EF BB BF): without it Excel reads the file in the machine's ANSI code page and
 *   "Ünïcödé 東京 Ops" turns into mojibake.
 * - Rows end with CRLF (RFC 4180), the last one included; line breaks inside a cell stay LF, as Excel writes them.
 * - A field is quoted when it holds a comma, a double quote, CR or LF; a double quote inside is doubled.
 * - Members and Owners: one identifier per line (LF) in one cell; an empty cell is none.
 * - Formula guard: a value starting with = + - @ (or their full-width forms), a tab, CR or an apostrophe is written
 *   with one more apostrophe in front, which the reader removes again. Group names are chosen by any user who may
 *   create a group, and Excel would run "=HYPERLINK(…)" as a formula (CSV injection,
 *   https://owasp.org/www-community/attacks/CSV_Injection). Guarding the apostrophe itself keeps this reversible.
 */
export const GROUP_COLUMNS = ["DisplayName", "PrimarySmtpAddress", "Id", "Members", "Owners"] as const;
export type GroupColumn = (typeof GROUP_COLUMNS)[number];

/** Excel's limit for the text in one cell (Excel specifications and limits); the file holds more, Excel does not. */
export const EXCEL_CELL_LIMIT = 32_767;

const FORMULA_START = /^[=+\-@\t\r'\uFF1D\uFF0B\uFF0D\uFF20]/;

/** The formula guard on write: see the module comment. */
function guardFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The formula guard undone on read: every value that starts with an apostrophe was given one by `guardFormula`. */
function unguardFormula(value: string): string {
  return value.startsWith("'") ? value.slice(1) : value;
}

/** A group that cannot be written so that it reads back the same (found before anything is written). */
export class GroupsCsvWriteError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`cannot write the groups CSV: ${problems.length} ${problems.length === 1 ? "problem" : "problems"}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "GroupsCsvWriteError";
  }
}

/**
 * The CSV for `groups`, sorted (`sortGroups`: display name, then ID; members and owners by `compareText`), so the same
 * tenant always gives the same bytes. Refuses, naming each group, what could not be read back the same: an ID that is
 * not a GUID or appears twice, a member or owner identifier that is empty, spans lines or has surrounding spaces.
 */
export function groupsToCsv(groups: readonly GroupMembership[]): string {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const g of groups) {
    const label = `group "${g.displayName}" (${g.id})`;
    const idProblem = groupIdProblem(g.id);
    if (idProblem) problems.push(`${label}: Id ${idProblem}`);
    if (seen.has(g.id.toLowerCase())) problems.push(`${label}: Id appears more than once`);
    seen.add(g.id.toLowerCase());
    for (const [column, list] of [
      ["Members", g.members],
      ["Owners", g.owners],
    ] as const) {
      for (const identifier of list) {
        const problem = identifierProblem(identifier);
        if (problem) problems.push(`${label}: ${column} entry ${JSON.stringify(identifier)} ${problem}`);
      }
    }
  }
  if (problems.length > 0) throw new GroupsCsvWriteError(problems);

  const rows = sortGroups(groups).map((g) => [g.displayName, g.primarySmtpAddress, g.id, g.members.join("\n"), g.owners.join("\n")]);
  return stringify([[...GROUP_COLUMNS], ...rows], {
    bom: true,
    record_delimiter: "windows",
    // csv-stringify quotes a field holding a lone LF only while the record delimiter is its default; with CRLF rows
    // this must be asked for, or a two-member cell would be written unquoted and read back as two rows.
    quote_record_delimiter: true,
    cast: { string: guardFormula },
  });
}

/** One thing wrong in a groups CSV, where a person looking at the file (or at Excel's row numbers) finds it. */
export interface CsvProblem {
  /** 1-based line of the file where the field (or the row) starts. */
  readonly line: number;
  /** 1-based field number in its row, with the header's name for it when known. */
  readonly column?: { readonly number: number; readonly name?: string };
  readonly problem: string;
  readonly allowed?: string;
}

/** Every problem found in a groups CSV at once, so one edit fixes them all; `message` lists each with line and column. */
export class GroupsCsvError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly CsvProblem[],
  ) {
    super(formatCsvProblems(source, problems));
    this.name = "GroupsCsvError";
  }
}

function formatCsvProblems(source: string, problems: readonly CsvProblem[]): string {
  const lines = problems.map((p) => {
    const column = p.column ? `, column ${p.column.number}${p.column.name ? ` (${p.column.name})` : ""}` : "";
    return `  - line ${p.line}${column}: ${p.problem}.${p.allowed ? ` Allowed: ${p.allowed}.` : ""}`;
  });
  return `${source} is not a groups CSV m365-baseline can read: ${problems.length} ${problems.length === 1 ? "problem" : "problems"}:\n${lines.join("\n")}`;
}

export interface ReadCsvOptions {
  /** Named in errors, e.g. the file path. @default "the groups CSV" */
  readonly source?: string;
}

interface ParsedRecord {
  readonly record: string[];
  readonly info: { readonly bytes: number };
}

/**
 * The groups in a CSV written by `groupsToCsv` (or edited in Excel and saved as "CSV UTF-8"), in the file's order.
 * Accepts the file with or without the byte order mark, with CRLF or LF row endings, columns in any order (named by
 * the header, case-insensitively). Throws `GroupsCsvError` naming the line and column of every problem: no header,
 * a missing, unknown or repeated column, a row with more or fewer fields than the header, an Id that is not a GUID or
 * that an earlier row already has.
 */
export function groupsFromCsv(text: string, options: ReadCsvOptions = {}): GroupMembership[] {
  const source = options.source ?? "the groups CSV";
  let parsed: ParsedRecord[];
  try {
    // With `info: true` each record comes as { record, info }; csv-parse's typings describe only the plain string[][].
    parsed = parse(text, { bom: true, info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as ParsedRecord[];
  } catch (err) {
    throw new Error(`${source} is not valid CSV: ${(err as Error).message}. A double quote inside a field must be doubled ("").`);
  }
  const lines = lineLocator(text);
  const problems: CsvProblem[] = [];
  if (parsed.length === 0) {
    throw new GroupsCsvError(source, [
      { line: 1, problem: "the file is empty: the header row is missing", allowed: `a header row ${GROUP_COLUMNS.join(",")}` },
    ]);
  }

  // Each record's first line: where the previous record ended, past the empty lines csv-parse skipped. (csv-parse's
  // own `info.lines` counts a CRLF inside a quoted cell as two lines, so later rows would be misnumbered.)
  let previousEnd = 0;
  const located = parsed.map(({ record, info }) => {
    const line = lines.firstLineAfter(previousEnd);
    previousEnd = info.bytes;
    // Where each field starts: the record's line plus the line breaks in the fields before it (quoted cells keep
    // their line breaks verbatim, so these are the file's own).
    let fieldLine = line;
    const fieldLines = record.map((field) => {
      const at = fieldLine;
      fieldLine += (field.match(/\n/g) ?? []).length;
      return at;
    });
    return { record, line, fieldLines };
  });

  const [header, ...rows] = located;
  const columnIndex = readHeader(header.record, header.line, problems);
  if (!columnIndex) throw new GroupsCsvError(source, problems);

  const groups: GroupMembership[] = [];
  const firstLineOfId = new Map<string, number>();
  for (const row of rows) {
    if (row.record.length !== header.record.length) {
      problems.push({
        line: row.line,
        problem: `the row has ${row.record.length} ${row.record.length === 1 ? "field" : "fields"}, the header ${header.record.length}`,
        allowed: `one field per header column; a field holding a comma, a double quote or a line break must be in double quotes`,
      });
      continue;
    }
    const field = (name: GroupColumn): { value: string; line: number; column: { number: number; name: GroupColumn } } => {
      const index = columnIndex[name];
      return { value: unguardFormula(row.record[index]), line: row.fieldLines[index], column: { number: index + 1, name } };
    };
    const id = field("Id");
    const idProblem = groupIdProblem(id.value);
    if (idProblem) {
      problems.push({
        line: id.line,
        column: id.column,
        problem: idProblem,
        allowed: "the group's object ID, a GUID such as 0f3c5a7e-1d2b-4c6a-9e8f-123456789abc",
      });
    } else {
      const first = firstLineOfId.get(id.value.toLowerCase());
      if (first !== undefined) {
        problems.push({
          line: id.line,
          column: id.column,
          problem: `duplicate Id ${id.value}: line ${first} has the same group`,
          allowed: "each group once (one row per Id)",
        });
      } else {
        firstLineOfId.set(id.value.toLowerCase(), id.line);
      }
    }
    groups.push({
      displayName: field("DisplayName").value,
      primarySmtpAddress: field("PrimarySmtpAddress").value,
      id: id.value,
      members: identifiers(field("Members").value),
      owners: identifiers(field("Owners").value),
    });
  }
  if (problems.length > 0) throw new GroupsCsvError(source, problems);
  return groups;
}

/** A Members or Owners cell: one identifier per line, blank lines ignored, each trimmed (Excel edits leave both). */
function identifiers(cell: string): string[] {
  return cell
    .split(/\r?\n/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** Excel saves "CSV" with the list separator of the machine's region, a semicolon where the decimal sign is a comma. */
const SEMICOLON_HINT = "the header is separated by semicolons: the groups CSV is comma-separated; in Excel, set the list separator to a comma before saving";

/** Field index per column, or undefined (with problems added) when the header is not a groups CSV header. */
function readHeader(header: readonly string[], line: number, problems: CsvProblem[]): Record<GroupColumn, number> | undefined {
  const allowed = `the columns ${GROUP_COLUMNS.join(", ")}, each once, in any order`;
  const found = new Map<GroupColumn, number>();
  header.forEach((cell, index) => {
    const name = GROUP_COLUMNS.find((c) => c.toLowerCase() === cell.trim().toLowerCase());
    const column = { number: index + 1, name: cell };
    if (!name) {
      const semicolons = cell.includes(";") ? ` (${SEMICOLON_HINT})` : "";
      problems.push({ line, column, problem: `unknown column ${JSON.stringify(cell)}${semicolons}`, allowed });
    } else if (found.has(name)) {
      problems.push({ line, column, problem: `column ${name} appears twice (first as column ${found.get(name)! + 1})`, allowed });
    } else {
      found.set(name, index);
    }
  });
  const missing = GROUP_COLUMNS.filter((c) => !found.has(c));
  if (missing.length === GROUP_COLUMNS.length) {
    // Not one known column: the first row is data, or another file. Say that, not five "unknown column"s.
    problems.length = 0;
    const semicolons = header.some((cell) => cell.includes(";")) ? ` (${SEMICOLON_HINT})` : "";
    problems.push({
      line,
      problem: `the header row is missing: the first row names none of the columns${semicolons}`,
      allowed: `a first row ${GROUP_COLUMNS.join(",")}`,
    });
    return undefined;
  }
  if (missing.length > 0) problems.push({ line, problem: `missing ${missing.length === 1 ? "column" : "columns"} ${missing.join(", ")}`, allowed });
  if (problems.length > 0) return undefined;
  return Object.fromEntries(found) as Record<GroupColumn, number>;
}

/**
 * Line numbers from csv-parse's byte offsets (`info.bytes` counts the UTF-8 bytes of the text, its BOM included): a
 * line is ended by LF, so a CRLF file and an LF file number their lines alike.
 */
function lineLocator(text: string): { firstLineAfter(offset: number): number } {
  const bytes = Buffer.from(text, "utf8");
  const LF = 0x0a;
  const CR = 0x0d;
  let position = 0;
  let line = 1;
  return {
    // Offsets only grow (records in file order), so one pass over the bytes numbers every record.
    firstLineAfter(offset: number): number {
      for (; position < offset; position++) if (bytes[position] === LF) line++;
      // Skip the empty lines before the record: they are not part of it.
      while (position < bytes.length && (bytes[position] === LF || bytes[position] === CR)) {
        if (bytes[position] === LF) line++;
        position++;
      }
      return line;
    },
  };
}

/** Cells longer than Excel holds (the file keeps them whole; Excel would not), for the exporter to warn about. */
export function cellsBeyondExcel(
  groups: readonly GroupMembership[],
): { readonly group: GroupMembership; readonly column: "Members" | "Owners"; readonly length: number }[] {
  return groups.flatMap((group) =>
    (
      [
        ["Members", group.members],
        ["Owners", group.owners],
      ] as const
    )
      .map(([column, list]) => ({ group, column, length: list.join("\n").length }))
      .filter((cell) => cell.length > EXCEL_CELL_LIMIT),
  );
}
