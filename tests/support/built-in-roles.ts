/**
 * Role template IDs from Microsoft's "Microsoft Entra built-in roles" reference, written out here (not taken from
 * lib/entra) so tests of code that uses lib's table compare against the source, not against the code.
 */
export const BUILT_IN_ROLES: Readonly<Record<string, string>> = {
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
};

/** The tenant's role definitions for those roles, as `GET /roleManagement/directory/roleDefinitions/{id}` answers. */
export function builtInRoleDefinitions(): { id: string; displayName: string; isBuiltIn: boolean }[] {
  return Object.entries(BUILT_IN_ROLES).map(([displayName, id]) => ({ id, displayName, isBuiltIn: true }));
}
