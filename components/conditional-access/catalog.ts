import * as pulumi from "@pulumi/pulumi";
import type { CloudAppSecurityType, PolicyDefinition, PolicyState } from "./definition";
import { PRIVILEGED_ROLE_NAMES } from "../../lib/entra/well-known";
import { ValidationError } from "../../lib/problems";
import type { TenantSettings } from "../../lib/tenant-settings";

/**
 * Baseline policies as plain functions returning definitions. Names follow `CA<nnn>-<Who>-<Apps>-<Action>` so the
 * portal lists them in a stable, readable order. Every function accepts `overrides` for per-tenant tuning; built-in
 * exclusions are added later by the payload builder, so no catalog entry can forget them.
 */
export type CatalogOverrides = Partial<Omit<PolicyDefinition, "name">>;

/**
 * Each overridden field replaces the catalog's value whole (no deep merge): narrowing `users` to a pilot group
 * must not silently keep the catalog's `includeUsers: ["All"]`.
 */
function withOverrides(base: PolicyDefinition, overrides: CatalogOverrides = {}): PolicyDefinition {
  return { ...base, ...overrides };
}

/** Intune enrolment must stay reachable, or per-device terms of use can never be accepted on a new device (Microsoft guidance). */
const INTUNE_ENROLLMENT = "Microsoft Intune Enrollment";

/** CA001: every user must accept the given terms of use for every cloud app. */
export function requireTermsOfUse(agreementIds: readonly pulumi.Input<string>[], overrides?: CatalogOverrides): PolicyDefinition {
  return withOverrides(
    {
      name: "CA001-Global-AllApps-RequireTermsOfUse",
      description: "All users must accept the organisation's terms of use before using any cloud app.",
      users: { includeUsers: ["All"] },
      applications: { include: ["All"], exclude: [INTUNE_ENROLLMENT] },
      grant: { operator: "OR", termsOfUse: agreementIds },
    },
    overrides,
  );
}

/** CA002: block legacy authentication protocols, which cannot do MFA. */
export function blockLegacyAuthentication(overrides?: CatalogOverrides): PolicyDefinition {
  return withOverrides(
    {
      name: "CA002-Global-AllApps-BlockLegacyAuthentication",
      description: "Exchange ActiveSync and other legacy clients cannot perform MFA; block them for everyone.",
      users: { includeUsers: ["All"] },
      applications: { include: ["All"] },
      clientAppTypes: ["exchangeActiveSync", "other"],
      grant: { controls: ["block"] },
    },
    overrides,
  );
}

/** CA003: administrators must use MFA everywhere. */
export function requireMfaForAdmins(overrides?: CatalogOverrides): PolicyDefinition {
  return withOverrides(
    {
      name: "CA003-Admins-AllApps-RequireMFA",
      description: "Holders of privileged directory roles must complete multifactor authentication.",
      users: { includeRoles: [...PRIVILEGED_ROLE_NAMES] },
      applications: { include: ["All"] },
      grant: { controls: ["mfa"] },
    },
    overrides,
  );
}

/** CA004: every user must use MFA. */
export function requireMfaForAllUsers(overrides?: CatalogOverrides): PolicyDefinition {
  return withOverrides(
    {
      name: "CA004-Global-AllApps-RequireMFA",
      description: "All users must complete multifactor authentication for every cloud app.",
      users: { includeUsers: ["All"] },
      applications: { include: ["All"] },
      grant: { controls: ["mfa"] },
    },
    overrides,
  );
}

/** CA005: only compliant (Intune) or hybrid Entra joined devices may reach cloud apps. */
export function requireCompliantOrHybridJoinedDevice(overrides?: CatalogOverrides): PolicyDefinition {
  return withOverrides(
    {
      name: "CA005-Global-AllApps-RequireCompliantOrHybridJoinedDevice",
      description: "Access only from devices that are Intune compliant or hybrid Entra joined.",
      users: { includeUsers: ["All"] },
      applications: { include: ["All"], exclude: [INTUNE_ENROLLMENT] },
      grant: { operator: "OR", controls: ["compliantDevice", "domainJoinedDevice"] },
    },
    overrides,
  );
}

/**
 * The device filter that means "unmanaged": neither Intune compliant nor hybrid Entra joined (`ServerAD` trust type).
 * Policies that include devices matching this rule act on unmanaged devices only.
 */
export const UNMANAGED_DEVICE_FILTER = 'device.isCompliant -ne True -and device.trustType -ne "ServerAD"';

/**
 * CA006: browser sessions from unmanaged devices go through Defender for Cloud Apps Conditional Access App Control
 * (portal: Session › "Use Conditional Access App Control"). Modes: `monitorOnly` ("Monitor only"), `blockDownloads`
 * ("Block downloads"), `mcasConfigured` ("Use custom policy": the session policies declared with
 * `CloudAppSecuritySession` decide, and at least one must cover the routed apps). Browser only: App Control proxies
 * web sessions, so other client types are rejected. Target other apps with `overrides.applications`, e.g.
 * `{ include: ["Exchange Online"] }` or an application ID. Requires Defender for Cloud Apps licences (E5 or add-on);
 * without them use `limitWebAccessFromUnmanagedDevices`.
 */
export function routeUnmanagedBrowserSessionsToDefender(mode: CloudAppSecurityType, overrides?: CatalogOverrides): PolicyDefinition {
  return withOverrides(
    {
      name: "CA006-Global-Office365-UnmanagedBrowser-DefenderSessionControl",
      description: "Browser sessions to Office 365 from unmanaged devices are proxied by Defender for Cloud Apps.",
      users: { includeUsers: ["All"] },
      applications: { include: ["Office365"] },
      clientAppTypes: ["browser"],
      deviceFilter: { mode: "include", rule: UNMANAGED_DEVICE_FILTER },
      session: { cloudAppSecurity: mode },
    },
    overrides,
  );
}

/**
 * CA006 for Exchange Online only (Outlook on the web): the field scenario where Conditional Access routes browser
 * sessions to Exchange Online through Conditional Access App Control and session policies control downloads. Same
 * conditions as `routeUnmanagedBrowserSessionsToDefender`, its own logical name so both can coexist.
 */
export function routeUnmanagedExchangeOnlineBrowserSessionsToDefender(mode: CloudAppSecurityType, overrides?: CatalogOverrides): PolicyDefinition {
  return {
    ...routeUnmanagedBrowserSessionsToDefender(mode, {
      description: "Browser sessions to Exchange Online (Outlook on the web) from unmanaged devices are proxied by Defender for Cloud Apps.",
      applications: { include: ["Exchange Online"] },
      ...overrides,
    }),
    name: "CA006-Global-ExchangeOnline-UnmanagedBrowser-DefenderSessionControl",
  };
}

/**
 * CA007, the fallback without Defender for Cloud Apps licences: browser sessions to Exchange Online and SharePoint
 * Online get "Use app enforced restrictions" (Graph `applicationEnforcedRestrictions`). The apps themselves then
 * limit web access from devices that are neither compliant nor hybrid joined (the device state travels in the
 * token, so no device filter is needed here). It only takes effect when Exchange's OWA mailbox policy says so
 * (`Set-OwaMailboxPolicy -ConditionalAccessPolicy ReadOnly` or `ReadOnlyPlusAttachmentsBlocked`) and SharePoint's
 * unmanaged-device access is "Allow limited, web-only access"; neither is automated here (see docs/cloud-app-security.md).
 */
export function limitWebAccessFromUnmanagedDevices(overrides?: CatalogOverrides): PolicyDefinition {
  return withOverrides(
    {
      name: "CA007-Global-ExchangeSharePoint-Browser-AppEnforcedRestrictions",
      description: "Exchange Online and SharePoint Online limit browser access from unmanaged devices (app enforced restrictions).",
      users: { includeUsers: ["All"] },
      applications: { include: ["Exchange Online", "SharePoint Online"] },
      clientAppTypes: ["browser"],
      session: { applicationEnforcedRestrictions: true },
    },
    overrides,
  );
}

/**
 * The room policies Microsoft's Teams Rooms guidance describes
 * (https://learn.microsoft.com/microsoftteams/rooms/conditional-access-and-compliance-for-devices): the room
 * accounts, excluded from every other policy, get policies of their own with controls a device can satisfy, never
 * interactive MFA. Each includes the tenant's room accounts group and opts out of its built-in exclusion.
 */
function roomPolicy(
  tenant: Pick<TenantSettings, "stack" | "rooms">,
  base: Omit<PolicyDefinition, "users" | "exclusionOptOut">,
  overrides?: CatalogOverrides,
): PolicyDefinition {
  if (!tenant.rooms) {
    throw new ValidationError([
      {
        path: [`tenant ${tenant.stack}`, `policy ${base.name}`, "users"],
        problem: `Pulumi.${tenant.stack}.yaml names no room accounts group for this room policy to include`,
        allowed: "rooms: { accountsGroup: { objectId, displayName } } in the tenant settings",
      },
    ]);
  }
  const group = tenant.rooms.accountsGroup;
  return withOverrides(
    {
      ...base,
      users: { includeGroups: [group.objectId] },
      exclusionOptOut: { roomAccounts: { reason: `a policy for the Teams Rooms accounts: it applies to ${group.displayName} on purpose` } },
    },
    overrides,
  );
}

/** CA008: Teams Rooms accounts sign in only from the tenant's trusted locations (the guidance's example policy). */
export function blockRoomsOutsideTrustedLocations(tenant: Pick<TenantSettings, "stack" | "rooms">, overrides?: CatalogOverrides): PolicyDefinition {
  return roomPolicy(
    tenant,
    {
      name: "CA008-TeamsRooms-AllApps-BlockOutsideTrustedLocations",
      description: "Teams Rooms resource accounts may sign in only from a trusted location (where the room consoles are).",
      applications: { include: ["All"] },
      locations: { include: ["All"], exclude: ["AllTrusted"] },
      grant: { controls: ["block"] },
    },
    overrides,
  );
}

/** CA009: Teams Rooms accounts sign in only on a device Intune marks compliant (the guidance's compliance policy). */
export function requireCompliantDeviceForRooms(tenant: Pick<TenantSettings, "stack" | "rooms">, overrides?: CatalogOverrides): PolicyDefinition {
  return roomPolicy(
    tenant,
    {
      name: "CA009-TeamsRooms-AllApps-RequireCompliantDevice",
      description:
        "Teams Rooms resource accounts sign in only on an Intune-compliant room console; never interactive MFA, which nobody at a console can answer.",
      applications: { include: ["All"] },
      grant: { controls: ["compliantDevice"] },
    },
    overrides,
  );
}

/** Convenience for stacks: the state a reviewer approved, written once. */
export function inState(state: PolicyState, def: PolicyDefinition): PolicyDefinition {
  return { ...def, state };
}
