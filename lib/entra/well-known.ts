import { isGuid } from "../problems";

/**
 * Names authors may write instead of GUIDs. Application IDs and role *template* IDs are the same in every
 * tenant, which is what makes one baseline portable across customers (object IDs are not).
 * Sources: Microsoft Entra built-in roles reference; Microsoft first-party application IDs; shared/reference/facts.md.
 */
export const SPECIAL_APPLICATIONS = ["All", "None", "Office365", "MicrosoftAdminPortals"] as const;

export const WELL_KNOWN_APPLICATIONS: Readonly<Record<string, string>> = {
  "Exchange Online": "00000002-0000-0ff1-ce00-000000000000",
  "SharePoint Online": "00000003-0000-0ff1-ce00-000000000000",
  "Microsoft Teams": "cc15fd57-2c6c-4117-a88c-83b1d56b4bbe",
  "Microsoft Intune Enrollment": "d4ebce55-015a-49b5-a083-c84d1797ae8c",
};

/** Display names Graph uses for the special application values, for plans and diffs. */
const SPECIAL_APPLICATION_LABELS: Readonly<Record<string, string>> = {
  All: "All cloud apps",
  None: "No cloud apps",
  Office365: "Office 365 (app group)",
  MicrosoftAdminPortals: "Microsoft Admin Portals",
};

export const ROLE_TEMPLATES: Readonly<Record<string, string>> = {
  "Global Administrator": "62e90394-69f5-4237-9190-012177145e10",
  "Privileged Role Administrator": "e8611ab8-c189-46e8-94e1-60213ab1f814",
  "Privileged Authentication Administrator": "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
  "Security Administrator": "194ae4cb-b126-40b2-bd5b-6091b380977d",
  "Conditional Access Administrator": "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9",
  "Exchange Administrator": "29232cdf-9323-42fd-ade2-1d097af3e4de",
  "SharePoint Administrator": "f28a1f50-f6e7-4571-818b-6a12f2af6b6c",
  "User Administrator": "fe930be7-5e62-47db-91af-98c3a49a38b1",
  "Helpdesk Administrator": "729827e3-9c14-49f7-bb1b-9608f156bbb8",
  "Billing Administrator": "b0f54661-2d74-4c50-afa3-1ec803f12efe",
  "Authentication Administrator": "c4e39bd9-1100-46d3-8c65-fb160da0071f",
  "Application Administrator": "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
  "Cloud Application Administrator": "158c047a-c907-4556-b7ef-446551a6b5f7",
  "Hybrid Identity Administrator": "8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2",
  "Intune Administrator": "3a2c62db-5318-420d-8d74-23affee5d9d5",
  "Teams Administrator": "69091246-20e8-4a56-aa4d-066075b2a7a8",
  "Directory Synchronization Accounts": "d29b2b05-8046-44ba-8758-1e26182fcf32",
  "On Premises Directory Sync Account": "a92aed5d-d78a-4d16-b381-09adb37eb3b0",
};

/** The roles Entra Connect / Cloud Sync accounts hold. Excluded from every policy unless a reviewer opts out. */
export const DIRECTORY_SYNC_ROLE_IDS: readonly string[] = [
  ROLE_TEMPLATES["Directory Synchronization Accounts"],
  ROLE_TEMPLATES["On Premises Directory Sync Account"],
];

/** Microsoft's "Require MFA for administrators" template targets these roles. */
export const PRIVILEGED_ROLE_NAMES: readonly string[] = [
  "Global Administrator",
  "Privileged Role Administrator",
  "Privileged Authentication Administrator",
  "Security Administrator",
  "Conditional Access Administrator",
  "Exchange Administrator",
  "SharePoint Administrator",
  "User Administrator",
  "Helpdesk Administrator",
  "Billing Administrator",
  "Authentication Administrator",
  "Application Administrator",
  "Cloud Application Administrator",
  "Hybrid Identity Administrator",
  "Intune Administrator",
  "Teams Administrator",
];

export type Resolution = { ok: true; id: string } | { ok: false; known: string };

/** Resolves an application name or ID to the value Graph expects in `includeApplications`. */
export function resolveApplication(nameOrId: string): Resolution {
  if ((SPECIAL_APPLICATIONS as readonly string[]).includes(nameOrId)) return { ok: true, id: nameOrId };
  if (isGuid(nameOrId)) return { ok: true, id: nameOrId.toLowerCase() };
  const id = WELL_KNOWN_APPLICATIONS[nameOrId];
  if (id) return { ok: true, id };
  return { ok: false, known: [...SPECIAL_APPLICATIONS, ...Object.keys(WELL_KNOWN_APPLICATIONS)].join(", ") + ", or an application (client) ID" };
}

/** Resolves a role name or template ID to the template ID Graph expects in `includeRoles` / `excludeRoles`. */
export function resolveRole(nameOrId: string): Resolution {
  if (isGuid(nameOrId)) return { ok: true, id: nameOrId.toLowerCase() };
  const id = ROLE_TEMPLATES[nameOrId];
  if (id) return { ok: true, id };
  return { ok: false, known: Object.keys(ROLE_TEMPLATES).join(", ") + ", or a role template ID" };
}

const APPLICATION_NAMES_BY_ID = invert(WELL_KNOWN_APPLICATIONS);
const ROLE_NAMES_BY_ID = invert(ROLE_TEMPLATES);

/** Human label for an application value, for plans and diffs. */
export function applicationLabel(id: string): string {
  return SPECIAL_APPLICATION_LABELS[id] ?? APPLICATION_NAMES_BY_ID[id.toLowerCase()] ?? id;
}

/** Human label for a role template ID, for plans and diffs. */
export function roleLabel(id: string): string {
  return ROLE_NAMES_BY_ID[id.toLowerCase()] ?? id;
}

function invert(table: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(table).map(([name, id]) => [id.toLowerCase(), name]));
}

/** Graph `conditionalAccessGuestOrExternalUserTypes` (flags enum of conditionalAccessGuestsOrExternalUsers), v1.0. */
export const GUEST_OR_EXTERNAL_USER_TYPES = [
  "internalGuest",
  "b2bCollaborationGuest",
  "b2bCollaborationMember",
  "b2bDirectConnectUser",
  "otherExternalUser",
  "serviceProvider",
] as const;
export type GuestOrExternalUserType = (typeof GUEST_OR_EXTERNAL_USER_TYPES)[number];
