// Microsoft 365 group membership: read from Graph, written to and read from the CSV `groups export` / `groups import` use.
export { GroupMembership, ListedDirectoryObject, memberIdentifier, compareText, sortGroups } from "./membership";
export {
  readUnifiedGroups,
  ReadGroupsOptions,
  UnifiedGroupsExport,
  IdentifiedById,
  UNIFIED_GROUPS_FILTER,
  UNIFIED_GROUPS_PATH,
  MEMBER_SELECT,
  groupLinksPath,
} from "./read";
export {
  groupsToCsv,
  groupsFromCsv,
  GroupsCsvError,
  GroupsCsvWriteError,
  CsvProblem,
  ReadCsvOptions,
  GROUP_COLUMNS,
  GroupColumn,
  EXCEL_CELL_LIMIT,
  cellsBeyondExcel,
} from "./csv";
