import { z } from "zod";
import { DIRECTORY_SYNC_ROLE_IDS } from "./entra/well-known";
import { GUID_PATTERN, ProblemList, ValidationError } from "./problems";

/**
 * Per-tenant settings: who must never be caught by a conditional-access policy, and how to reach the tenant.
 * They live in `Pulumi.<stack>.yaml` under the key `m365-baseline:tenant`, so one composition can serve many
 * customer tenants; every policy reads its built-in exclusions from here, never from its own definition.
 */
const guid = z
  .string()
  .regex(GUID_PATTERN, { message: "must be a GUID (object ID), e.g. 5f2a9c1b-7e4d-4b8a-9c3e-1d2f3a4b5c6d" })
  .refine((v) => !/^[0-]+$/.test(v), { message: "is the all-zero GUID, which no Entra object has: paste the real object ID" });

const principal = z
  .object({
    /** Entra object ID of the user, group or service principal. */
    objectId: guid,
    /** Shown in plans and diffs so a reviewer reads a name, not a GUID. */
    displayName: z.string().min(1),
  })
  .strict();

export const CLOUDS = ["global", "usGovernment", "usGovernmentDoD", "china"] as const;
export const CREDENTIAL_KINDS = ["default", "azureCli", "environment", "workloadIdentity", "managedIdentity", "deviceCode", "interactiveBrowser"] as const;

export const tenantSettingsSchema = z
  .object({
    /** Customer name shown in plans. */
    displayName: z.string().min(1),
    /** Entra tenant (directory) ID. */
    tenantId: guid,
    /** The tenant's initial domain, e.g. contoso.onmicrosoft.com. */
    primaryDomain: z
      .string()
      .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, { message: "must be a domain name such as contoso.onmicrosoft.com" })
      .optional(),
    /**
     * Accounts Entra Connect / Cloud Sync signs in with. Always excluded, next to the Directory Synchronization
     * Accounts role. Leave `accounts` empty for a cloud-only tenant.
     */
    directorySync: z
      .object({
        /** `Sync_<server>_<id>` or "On-Premises Directory Synchronization Service Account" users. */
        accounts: z.array(principal).default([]),
        /** Entra Connect >= 2.5.76 can authenticate as a service principal: excluded from workload-identity policies. */
        servicePrincipals: z.array(principal).default([]),
        /**
         * Role template IDs excluded from every policy as directory-sync roles. Directory Synchronization Accounts
         * (`d29b2b05-…`) is always one. The other default, On Premises Directory Sync Account (`a92aed5d-…`), is not
         * in Microsoft's built-in roles reference, and Graph rejects a policy naming a role it does not know: when
         * `preflight` finds the tenant does not have it, list only the first here (nobody can hold a role the tenant
         * does not have, so dropping it removes no protection).
         * @default both IDs (DIRECTORY_SYNC_ROLE_IDS)
         */
        roles: z
          .array(guid)
          .refine((ids) => ids.some((id) => id.toLowerCase() === DIRECTORY_SYNC_ROLE_IDS[0]), {
            message: `must include ${DIRECTORY_SYNC_ROLE_IDS[0]} (Directory Synchronization Accounts): the role every sync account holds`,
          })
          .optional(),
      })
      .strict()
      .default({ accounts: [], servicePrincipals: [] }),
    /** Emergency-access accounts. At least one user or group is required: a tenant without one can lock itself out. */
    breakGlass: z
      .object({
        users: z.array(principal).default([]),
        groups: z.array(principal).default([]),
      })
      .strict()
      .refine((b) => b.users.length + b.groups.length > 0, {
        message: "declare at least one break-glass user or group: without one, a mistake can lock every administrator out",
      }),
    /**
     * Teams Rooms resource accounts: they sign in on a device with nobody to answer multifactor authentication or
     * accept terms of use. Microsoft's guidance (https://learn.microsoft.com/microsoftteams/rooms/conditional-access-and-compliance-for-devices):
     * put every room resource account in one group, exclude it from the existing policies and give it policies of
     * its own with device-based controls. Required when any room declares a Teams Rooms device.
     * @default none (no room signs in)
     */
    rooms: z
      .object({
        /**
         * The security group of every Teams Rooms resource account: excluded from every policy like the break-glass
         * accounts (a policy opts out with `exclusionOptOut.roomAccounts`, as the room-only policies do).
         */
        accountsGroup: principal,
        /**
         * `assigned`: the baseline keeps each declared room account a member (Graph `POST /groups/{id}/members/$ref`).
         * `dynamic`: the group's own membership rule adds them (e.g. `user.userPrincipalName -startsWith "mtr-"`),
         * so the baseline adds nobody.
         * @default "assigned"
         */
        membership: z.enum(["assigned", "dynamic"]).default("assigned"),
      })
      .strict()
      .optional(),
    /**
     * DNS zones this stack may write to. A mail domain whose zone is listed gets its DKIM, DMARC and SPF records as
     * Azure DNS record sets (`@pulumi/azure-native` `dns.RecordSet`, through the stack's azure-native provider
     * configuration); any other domain's records are printed for its DNS host, in the plan and as stack outputs.
     * @default no Azure DNS zone
     */
    dns: z
      .object({
        azureZones: z
          .array(
            z
              .object({
                /** The zone name in Azure DNS, e.g. contoso.com (the domain itself or a parent of it). */
                zone: z.string().regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i, { message: "must be a DNS zone name such as contoso.com" }),
                /** The resource group holding the zone. */
                resourceGroup: z.string().min(1),
                /** The subscription holding the zone, when not the azure-native provider's (`azure-native:subscriptionId`). */
                subscriptionId: guid.optional(),
              })
              .strict(),
          )
          .default([]),
      })
      .strict()
      .optional(),
    /** How providers reach Microsoft Graph and which @azure/identity credential they use. */
    graph: z
      .object({
        cloud: z.enum(CLOUDS).default("global"),
        credential: z.enum(CREDENTIAL_KINDS).default("default"),
      })
      .strict()
      .default({ cloud: "global", credential: "default" }),
    /**
     * A credential per service, where one differs from `graph.credential` (see lib/graph/sign-in.ts for what each
     * service accepts): terms of use need an administrator's delegated sign-in (azureCli after a user's `az login`,
     * deviceCode or interactiveBrowser); rooms sign in as the app.
     */
    credentials: z
      .object({
        termsOfUse: z.enum(CREDENTIAL_KINDS).optional(),
        rooms: z.enum(CREDENTIAL_KINDS).optional(),
        defenderForCloudApps: z.enum(CREDENTIAL_KINDS).optional(),
        mailProtection: z.enum(CREDENTIAL_KINDS).optional(),
      })
      .strict()
      .optional(),
    /**
     * Defender for Cloud Apps (portal: Settings › Cloud Apps › About › API URL). Needed only to manage corporate
     * IP ranges through the data-enrichment API; session policies are declared data and need nothing here.
     */
    defenderForCloudApps: z
      .object({
        /** e.g. https://contoso.eu2.portal.cloudappsecurity.com/api — the tenant's own API URL, https only. */
        // No user name or password in the URL ([^@] in the host): it would be copied into plans and PR comments.
        apiUrl: z.string().regex(/^https:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/, {
          message: "must be the https API URL from Settings › Cloud Apps › About, e.g. https://contoso.eu2.portal.cloudappsecurity.com/api",
        }),
      })
      .strict()
      .optional(),
    /**
     * Objects that already exist in the tenant and that the stack declares, by logical name → object ID: the first
     * `pulumi up` adopts each one (Pulumi's `import` resource option) instead of creating a second copy, then brings
     * it to the declaration. `discover --stack` writes this block. Remove an entry once adopted (it is inert then).
     * @default none adopted
     */
    adopt: z
      .object({
        /** Conditional-access policy logical name → policy ID (`GET /identity/conditionalAccess/policies`). */
        conditionalAccessPolicies: z.record(z.string(), guid).optional(),
        /** Named-location logical name → named-location ID. */
        namedLocations: z.record(z.string(), guid).optional(),
        /** TermsOfUse component name → agreement ID (same as the component's `existingAgreementId`). */
        termsOfUse: z.record(z.string(), guid).optional(),
      })
      .strict()
      .optional(),
    /**
     * How CI deploys this tenant. `clientId` is the app registration the tenant's deployment job signs in as, through
     * a federated (OIDC) credential trusted for this repository: no secret anywhere. `npx m365-baseline stacks --json`
     * hands it to the workflow matrix, so each tenant job gets its own credential.
     */
    deployment: z
      .object({
        /** Application (client) ID of that app registration, in this tenant. */
        clientId: guid,
      })
      .strict()
      .optional(),
  })
  .strict();

export type TenantSettingsInput = z.input<typeof tenantSettingsSchema>;
export type ParsedTenantSettings = z.output<typeof tenantSettingsSchema>;

/** Validated tenant settings plus the stack name they belong to (used in every error message). */
export interface TenantSettings extends ParsedTenantSettings {
  /** The Pulumi stack name, which is also the tenant's short name. */
  readonly stack: string;
}

export type Principal = z.output<typeof principal>;

export interface SettingsSource {
  stack: string;
  /** Where the settings came from, e.g. `Pulumi.contoso-hybrid.yaml`. */
  file: string;
  /** The config key, e.g. `m365-baseline:tenant`. */
  key: string;
}

/** Validates raw settings before any resource is declared; errors name the file, the key path and what is allowed. */
export function parseTenantSettings(raw: unknown, source: SettingsSource): TenantSettings {
  const result = tenantSettingsSchema.safeParse(raw);
  if (!result.success) {
    const problems = new ProblemList([`stack ${source.stack}`, source.file]);
    for (const issue of result.error.issues) {
      const field = [source.key, ...issue.path.map(String)].join(".");
      problems.add(field, issue.message, allowedFor(issue));
    }
    throw new ValidationError(problems.all);
  }
  return { ...result.data, stack: source.stack };
}

function allowedFor(issue: z.core.$ZodIssue): string | undefined {
  if (issue.code === "invalid_value" && "values" in issue) return issue.values.map(String).join(", ");
  if (issue.code === "unrecognized_keys") return 'the keys listed in README.md, "Tenant settings"';
  return undefined;
}

/** The role template IDs excluded as directory-sync roles: the tenant's choice, else both known IDs. */
export function syncRoleIds(tenant: Pick<TenantSettings, "directorySync">): readonly string[] {
  return tenant.directorySync.roles ?? DIRECTORY_SYNC_ROLE_IDS;
}
