import type { GroupMembership } from "../../lib/groups";
import type { DirectoryMember, TenantGroup } from "../support/graph-routes/groups";

/** The tenant the groups tests export: members of every kind the identifier rule distinguishes. */
export const UNIFIED_FILTER = "groupTypes/any(c:c eq 'Unified')";

export const user = (id: string, displayName: string, mail: string | null, userPrincipalName: string): DirectoryMember => ({
  "@odata.type": "#microsoft.graph.user",
  id,
  displayName,
  mail,
  userPrincipalName,
});
export const ADELE = user("a0000000-0000-4000-8000-000000000001", "Adele Vance", "adele@contoso.com", "adele@contoso.onmicrosoft.com");
/** No mailbox: written by user principal name. */
export const BOB = user("a0000000-0000-4000-8000-000000000002", "Bob Kelly", null, "bob@contoso.onmicrosoft.com");
/** A guest: written by the address mail reaches, not the #EXT# UPN. */
export const GUEST = user("a0000000-0000-4000-8000-000000000003", "Gita Guest", "gita@fabrikam.com", "gita_fabrikam.com#EXT#@contoso.onmicrosoft.com");
/** A device has neither mail nor UPN: written by object ID. */
export const KIOSK: DirectoryMember = { "@odata.type": "#microsoft.graph.device", id: "d0000000-0000-4000-8000-000000000004", displayName: "Kiosk-PC-01" };
/** "Limited information": the credential may not read users, so Graph returns only the type and ID. */
export const HIDDEN_USER: DirectoryMember = {
  "@odata.type": "#microsoft.graph.user",
  id: "e0000000-0000-4000-8000-000000000005",
  displayName: null,
  mail: null,
  userPrincipalName: null,
};

export const GROUP_IDS = {
  finance: "90000000-0000-4000-8000-000000000001",
  tokyo: "90000000-0000-4000-8000-000000000002",
  sales: "90000000-0000-4000-8000-000000000003",
  archive: "90000000-0000-4000-8000-000000000004",
  formula: "90000000-0000-4000-8000-000000000005",
  security: "90000000-0000-4000-8000-000000000006",
  distribution: "90000000-0000-4000-8000-000000000007",
};

export const unified = (id: string, displayName: string, mail: string, members: DirectoryMember[], owners: DirectoryMember[]): TenantGroup => ({
  id,
  displayName,
  mail,
  groupTypes: ["Unified"],
  mailEnabled: true,
  securityEnabled: false,
  members,
  owners,
});

/** Five Microsoft 365 groups (three pages of two) and two groups of other kinds the filter must leave out. */
export function contosoGroups(): TenantGroup[] {
  return [
    unified(GROUP_IDS.finance, "Finance", "finance@contoso.com", [ADELE, BOB, GUEST, KIOSK, HIDDEN_USER], [ADELE]),
    unified(GROUP_IDS.tokyo, "Ünïcödé 東京 Ops", "tokyo-ops@contoso.com", [ADELE], []),
    unified(GROUP_IDS.sales, 'Sales, "EMEA"', "sales-emea@contoso.com", [], [BOB, ADELE]),
    unified(GROUP_IDS.archive, "Archive", "archive@contoso.com", [], []),
    unified(GROUP_IDS.formula, "=cmd", "formula@contoso.com", [ADELE], [ADELE]),
    { ...unified(GROUP_IDS.security, "SG-EmergencyAccess", "", [ADELE], []), mail: null, groupTypes: [], mailEnabled: false, securityEnabled: true },
    { ...unified(GROUP_IDS.distribution, "All Staff", "all-staff@contoso.com", [ADELE, BOB], []), groupTypes: [], mailEnabled: true, securityEnabled: false },
  ];
}

/** What the export holds, written by hand: sorted by name (case-insensitive, by code unit), members and owners too. */
export const EXPECTED: GroupMembership[] = [
  { displayName: "=cmd", primarySmtpAddress: "formula@contoso.com", id: GROUP_IDS.formula, members: ["adele@contoso.com"], owners: ["adele@contoso.com"] },
  { displayName: "Archive", primarySmtpAddress: "archive@contoso.com", id: GROUP_IDS.archive, members: [], owners: [] },
  {
    displayName: "Finance",
    primarySmtpAddress: "finance@contoso.com",
    id: GROUP_IDS.finance,
    members: ["adele@contoso.com", "bob@contoso.onmicrosoft.com", KIOSK.id, HIDDEN_USER.id, "gita@fabrikam.com"],
    owners: ["adele@contoso.com"],
  },
  {
    displayName: 'Sales, "EMEA"',
    primarySmtpAddress: "sales-emea@contoso.com",
    id: GROUP_IDS.sales,
    members: [],
    owners: ["adele@contoso.com", "bob@contoso.onmicrosoft.com"],
  },
  { displayName: "Ünïcödé 東京 Ops", primarySmtpAddress: "tokyo-ops@contoso.com", id: GROUP_IDS.tokyo, members: ["adele@contoso.com"], owners: [] },
];
