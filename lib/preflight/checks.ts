import type { Client } from "@microsoft/microsoft-graph-client";
import type * as Graph from "@microsoft/microsoft-graph-types";
import { defenderClient, defenderEndpoint } from "../defender/client";
import { DIRECTORY_SYNC_ROLE_IDS } from "../entra/well-known";
import { ExchangeTarget, exchangeTargetFor, invokeCmdlet, isNotFound } from "../exchange/client";
import { getOne } from "../exchange/query";
import { countSpfLookups, createTxtResolver, SPF_LOOKUP_LIMIT, TxtResolver, validateSpfRecord } from "../dns";
import {
  connectionFor,
  connectionForService,
  createGraphClient,
  describeGraphError,
  endpointOverrides,
  listAllPages,
  ServiceEndpoints,
  statusOf,
} from "../graph";
import { TOKENS } from "../managed/tokens";
import type { Plan } from "../plan/record";
import type { Progress } from "../plan/progress";
import { syncRoleIds, TenantSettings } from "../tenant-settings";
import { AccessProbe, defenderApiUrls, Expectation, expectationsOf } from "./expectations";

/**
 * `preflight`: every expectation of the stack checked against the live tenant, read-only. Each call is Microsoft
 * Graph v1.0 as documented (links per check); nothing is created, changed or deleted.
 */
export type Verdict = "ok" | "warning" | "blocking";

export interface Finding {
  readonly expectation: Expectation;
  /** What the tenant holds, in a reviewer's words ("not found", a user principal name, "3 of 5 free"). */
  readonly found: string;
  readonly verdict: Verdict;
  /** Why it matters and what to do, for warnings and blocking findings. */
  readonly why?: string;
}

export interface PreflightReport {
  readonly stack: string;
  readonly tenantId: string;
  readonly findings: readonly Finding[];
}

export interface PreflightOptions {
  readonly tenant: TenantSettings;
  /** The stack's offline plan: every ID its resources name. */
  readonly plan: Plan;
  /** Non-default endpoints (a sovereign proxy, or the local test server). */
  readonly endpoints?: ServiceEndpoints;
  readonly progress?: Progress;
  /** How SPF includes are looked up; false: not at all (no public DNS here). @default live DNS (lib/dns `createTxtResolver`) */
  readonly resolveTxt?: TxtResolver | false;
}

/** Read permissions preflight itself needs, for the 403 hint. */
const READ_HINT =
  "preflight reads with the tenant's `graph.credential`; it needs Directory.Read.All, RoleManagement.Read.Directory, Policy.Read.All and " +
  "Organization.Read.All (delegated: a Global Reader sign-in is enough).";

export async function runPreflight(options: PreflightOptions): Promise<PreflightReport> {
  const { tenant, plan } = options;
  const progress = options.progress ?? (() => undefined);
  const overrides = endpointOverrides(options.endpoints);
  const graph = createGraphClient(connectionFor(tenant, overrides));
  const expectations = expectationsOf(plan, tenant);
  const findings: Finding[] = [];
  let skus: Graph.SubscribedSku[] | undefined;
  for (const expectation of expectations) {
    progress(`checking ${expectation.kind} ${expectation.id}`);
    try {
      switch (expectation.kind) {
        case "tenant":
          findings.push(await checkTenant(graph, expectation));
          break;
        case "user":
          findings.push(await checkUser(graph, expectation, tenant));
          break;
        case "group":
          findings.push(await checkObject(graph, expectation, `/groups/${expectation.id}`, "group"));
          break;
        case "servicePrincipal":
          findings.push(await checkObject(graph, expectation, `/servicePrincipals/${expectation.id}`, "service principal"));
          break;
        case "role":
          findings.push(await checkRole(graph, expectation, tenant));
          break;
        case "application":
          findings.push(await checkApplication(graph, expectation));
          break;
        case "namedLocation":
          findings.push(await checkObject(graph, expectation, `/identity/conditionalAccess/namedLocations/${expectation.id}`, "named location"));
          break;
        case "licence":
          skus ??= await listAllPages<Graph.SubscribedSku>(graph, "/subscribedSkus");
          findings.push(checkLicence(skus, expectation));
          break;
        case "access":
          findings.push(...(await probeAccess(expectation, options, graph)));
          break;
        case "acceptedDomain":
          findings.push(await checkAcceptedDomain(options, expectation));
          break;
        case "presetRule":
          findings.push(await checkPresetRule(options, expectation));
          break;
        case "spfRecord":
          findings.push(await checkSpfRecord(options, expectation));
          break;
      }
    } catch (err) {
      findings.push({
        expectation,
        found: "could not be read",
        verdict: "blocking",
        why: describeGraphError(err, { resource: "the tenant", step: `reading ${expectation.id}`, hints: { 403: READ_HINT } }).message,
      });
    }
  }
  return { stack: tenant.stack, tenantId: tenant.tenantId, findings };
}

/** GET one object; undefined when Graph answers 404 (no such object in this tenant). */
async function getOrMissing<T>(graph: Client, path: string, select: string): Promise<T | undefined> {
  try {
    return (await graph.api(path).select(select).get()) as T;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

const missing = (expectation: Expectation, what: string, why: string): Finding => ({ expectation, found: `no such ${what}`, verdict: "blocking", why });
const ok = (expectation: Expectation, found: string): Finding => ({ expectation, found, verdict: "ok" });

/** GET /organization (https://learn.microsoft.com/graph/api/organization-list): the tenant the credential is signed in to. */
async function checkTenant(graph: Client, expectation: Expectation): Promise<Finding> {
  const [organization] = await listAllPages<Graph.Organization>(graph, "/organization");
  const found = `${organization?.displayName ?? "?"} (${organization?.id ?? "no organization"})`;
  if (organization?.id?.toLowerCase() === expectation.id.toLowerCase()) return ok(expectation, found);
  return {
    expectation,
    found,
    verdict: "blocking",
    why: "the credential is signed in to another tenant: this stack's exclusion IDs belong to its own tenant only. Sign in to the right tenant (az login --tenant …).",
  };
}

/** GET /users/{id} (https://learn.microsoft.com/graph/api/user-get); sync accounts: their role assignments. */
async function checkUser(graph: Client, expectation: Expectation, tenant: TenantSettings): Promise<Finding> {
  const user = await getOrMissing<Graph.User>(graph, `/users/${expectation.id}`, "id,displayName,userPrincipalName,accountEnabled");
  if (!user) return missing(expectation, "user", "a typo, a deleted account, or another tenant's object ID: the exclusion would protect nobody.");
  const found = `${user.userPrincipalName ?? user.id}${user.displayName && user.displayName !== user.userPrincipalName ? ` (${user.displayName})` : ""}`;
  if (expectation.holdsSyncRole) {
    // GET /roleManagement/directory/roleAssignments?$filter=principalId eq '…' (https://learn.microsoft.com/graph/api/rbacapplication-list-roleassignments)
    const assignments = await listAllPages<Graph.UnifiedRoleAssignment>(
      graph,
      `/roleManagement/directory/roleAssignments?$filter=principalId eq '${expectation.id}'`,
    );
    const syncRoles = new Set([...DIRECTORY_SYNC_ROLE_IDS, ...syncRoleIds(tenant)].map((id) => id.toLowerCase()));
    if (!assignments.some((a) => syncRoles.has((a.roleDefinitionId ?? "").toLowerCase()))) {
      return {
        expectation,
        found: `${found}, holds no directory-sync role`,
        verdict: "blocking",
        why: "the settings call this the directory-sync account, but it does not hold Directory Synchronization Accounts: check the ID against Entra Connect's account (`discover` lists the holders).",
      };
    }
    return ok(expectation, `${found}, holds Directory Synchronization Accounts`);
  }
  if (user.accountEnabled === false && expectation.sources.some((s) => s.includes("breakGlass"))) {
    return {
      expectation,
      found: `${found}, sign-in blocked`,
      verdict: "warning",
      why: "an emergency-access account that cannot sign in gives no emergency access.",
    };
  }
  return ok(expectation, found);
}

async function checkObject(graph: Client, expectation: Expectation, path: string, what: string): Promise<Finding> {
  const object = await getOrMissing<{ id?: string; displayName?: string | null }>(graph, path, "id,displayName");
  if (!object) return missing(expectation, what, "a typo, a deleted object, or another tenant's object ID.");
  return ok(expectation, object.displayName ?? object.id ?? expectation.id);
}

/**
 * GET /roleManagement/directory/roleDefinitions/{id} (https://learn.microsoft.com/graph/api/unifiedroledefinition-get;
 * `isBuiltIn`). Conditional access takes built-in directory roles only, and Graph refuses a whole policy that names
 * a role it does not know, so every policy write of `pulumi up` would fail: blocking.
 */
async function checkRole(graph: Client, expectation: Expectation, tenant: TenantSettings): Promise<Finding> {
  const role = await getOrMissing<Graph.UnifiedRoleDefinition>(
    graph,
    `/roleManagement/directory/roleDefinitions/${expectation.id}`,
    "id,displayName,isBuiltIn",
  );
  const fromSyncDefaults = !tenant.directorySync.roles && expectation.sources.some((s) => s.includes("directorySync.roles"));
  if (!role) {
    return missing(
      expectation,
      "directory role",
      "Graph rejects a conditional-access policy naming a role it does not know, so every policy write would fail." +
        (fromSyncDefaults
          ? ` It is a default directory-sync exclusion: set \`directorySync.roles: ["${DIRECTORY_SYNC_ROLE_IDS[0]}"]\` in the tenant settings (nobody can hold a role the tenant does not have, so dropping it removes no protection).`
          : " Check the role template ID against Microsoft's built-in roles reference."),
    );
  }
  if (role.isBuiltIn === false) {
    return { expectation, found: `${role.displayName} (custom role)`, verdict: "blocking", why: "conditional access accepts built-in directory roles only." };
  }
  return ok(expectation, role.displayName ?? expectation.id);
}

/** GET /servicePrincipals(appId='…') (https://learn.microsoft.com/graph/api/serviceprincipal-get): the app exists in this tenant. */
async function checkApplication(graph: Client, expectation: Expectation): Promise<Finding> {
  const app = await getOrMissing<Graph.ServicePrincipal>(graph, `/servicePrincipals(appId='${expectation.id}')`, "id,appId,displayName");
  if (app) return ok(expectation, app.displayName ?? expectation.id);
  return {
    expectation,
    found: "no service principal in this tenant",
    verdict: "warning",
    why: "check the application ID: an app the tenant has never used has no service principal yet, and a mistyped ID makes the condition cover nothing.",
  };
}

/** GET /subscribedSkus (https://learn.microsoft.com/graph/api/subscribedsku-list): `prepaidUnits.enabled`, `consumedUnits`. */
function checkLicence(skus: readonly Graph.SubscribedSku[], expectation: Expectation): Finding {
  const needed = expectation.count ?? 1;
  const sku = skus.find((s) => s.skuPartNumber?.toLowerCase() === expectation.id.toLowerCase());
  if (!sku) return missing(expectation, "subscription", "the tenant has no subscription for this licence: the room account cannot be licensed.");
  const enabled = sku.prepaidUnits?.enabled ?? 0;
  const free = enabled - (sku.consumedUnits ?? 0);
  const found = `${free} of ${enabled} free, ${needed} needed`;
  if (enabled < needed) return { expectation, found, verdict: "blocking", why: "the subscription has fewer licences than the rooms need." };
  if (free < needed) return { expectation, found, verdict: "warning", why: "fewer free licences than the rooms need, unless these rooms already hold theirs." };
  return ok(expectation, found);
}

/**
 * One read per service, with the credential the tenant gives that service: what the managed objects will call
 * during `up`. A refusal here (wrong token kind, missing consent) is the refusal `up` would meet half-way.
 */
async function probeAccess(expectation: Expectation, options: PreflightOptions, graph: Client): Promise<Finding[]> {
  const { tenant, plan } = options;
  const overrides = endpointOverrides(options.endpoints);
  const service = expectation.id as AccessProbe;
  const attempt = async (label: string, call: () => Promise<unknown>, hint: string): Promise<Finding> => {
    try {
      await call();
      return ok({ ...expectation, expectedName: label }, "readable with the stack's credential");
    } catch (err) {
      if (isNotFound(err) && service === "rooms") return ok({ ...expectation, expectedName: label }, "readable with the stack's credential");
      const status = statusOf(err);
      return {
        expectation: { ...expectation, expectedName: label },
        found: status && status > 0 ? `refused (HTTP ${status})` : "no answer",
        verdict: "blocking",
        why: hint,
      };
    }
  };
  switch (service) {
    case "conditionalAccess":
      // GET /identity/conditionalAccess/policies (https://learn.microsoft.com/graph/api/conditionalaccessroot-list-policies)
      return [
        await attempt(
          "conditional access (graph.credential)",
          // The directory reads' own client: conditional access uses `graph.credential` too, so one sign-in serves both.
          () => graph.api("/identity/conditionalAccess/policies").select("id").top(1).get(),
          "the identity cannot read conditional-access policies: grant Policy.Read.All and, to write them, Policy.ReadWrite.ConditionalAccess.",
        ),
      ];
    case "termsOfUse":
      // GET /identityGovernance/termsOfUse/agreements (https://learn.microsoft.com/graph/api/termsofusecontainer-list-agreements): delegated only.
      return [
        await attempt(
          "terms of use (credentials.termsOfUse)",
          () =>
            createGraphClient(connectionForService(tenant, "termsOfUse", overrides))
              .api("/identityGovernance/termsOfUse/agreements")
              .select("id")
              .get(),
          "terms of use accept only an administrator's delegated sign-in (Conditional Access or Security Administrator) with Agreement.ReadWrite.All.",
        ),
      ];
    case "rooms": {
      const address = plan.resources.find((r) => r.type === TOKENS.roomMailbox)?.inputs.address;
      return [
        await attempt(
          "rooms: Exchange Online (credentials.rooms)",
          () =>
            invokeCmdlet(
              exchangeTargetFor(tenant, "rooms", options.endpoints),
              { CmdletName: "Get-Mailbox", Parameters: { Identity: String(address ?? tenant.primaryDomain ?? "room") } },
              { room: String(address ?? "") },
            ),
          "the app cannot run Exchange cmdlets: grant Exchange.ManageAsApp and an Exchange role (Recipient Management) to the app.",
        ),
      ];
    }
    case "mailProtection":
      // Get-HostedOutboundSpamFilterPolicy (https://learn.microsoft.com/powershell/module/exchangepowershell/get-hostedoutboundspamfilterpolicy).
      return [
        await attempt(
          "mail protection: Exchange Online (credentials.mailProtection)",
          () =>
            getOne(mailExchange(options), "the Default outbound spam policy", {
              CmdletName: "Get-HostedOutboundSpamFilterPolicy",
              Parameters: { Identity: "Default" },
            }),
          "the app cannot run the mail-protection cmdlets: grant Exchange.ManageAsApp and the Security Administrator role (or Organization Management) to the app.",
        ),
      ];
    case "defenderForCloudApps":
      // POST {apiUrl}/v1/subnet/ lists IP ranges (https://learn.microsoft.com/defender-cloud-apps/api-data-enrichment-list).
      return Promise.all(
        defenderApiUrls(plan).map((apiUrl) =>
          attempt(
            `Defender for Cloud Apps API ${new URL(apiUrl).host} (credentials.defenderForCloudApps)`,
            () =>
              defenderClient(connectionForService(tenant, "defenderForCloudApps", overrides), apiUrl)
                .api(defenderEndpoint(apiUrl, "subnet/"))
                .post({ skip: 0, limit: 1 }),
            "check the API URL (Settings › Cloud Apps › About) and grant the app the Defender for Cloud Apps API permission Settings.manage.",
          ),
        ),
      );
  }
}

/** Exchange Online as mail protection reaches it: the admin API with the `mailProtection` credential. */
function mailExchange(options: PreflightOptions): ExchangeTarget {
  return exchangeTargetFor(options.tenant, "mailProtection", options.endpoints);
}

/** `Get-AcceptedDomain`: DKIM can be set up only for a domain Microsoft 365 has (New-DkimSigningConfig refuses others). */
async function checkAcceptedDomain(options: PreflightOptions, expectation: Expectation): Promise<Finding> {
  const found = await getOne(mailExchange(options), `accepted domain ${expectation.id}`, {
    CmdletName: "Get-AcceptedDomain",
    Parameters: { Identity: expectation.id },
  });
  if (found && String(found.DomainName ?? "").toLowerCase() === expectation.id.toLowerCase()) return ok(expectation, `accepted (${String(found.DomainType)})`);
  return {
    expectation,
    found: "not an accepted domain",
    verdict: "blocking",
    why: "add and verify the domain in the Microsoft 365 admin center (Settings › Domains) first: Exchange refuses DKIM for a domain it does not have.",
  };
}

/** The preset's rule, which exists only once the preset was turned on in the Defender portal. */
async function checkPresetRule(options: PreflightOptions, expectation: Expectation): Promise<Finding> {
  const [kind, name] = expectation.id.split(":");
  const found = await getOne(mailExchange(options), name, { CmdletName: `Get-${kind}ProtectionPolicyRule`, Parameters: { Identity: name } });
  if (found) return ok(expectation, `exists (${String(found.State ?? "state unknown")})`);
  return {
    expectation,
    found: "does not exist",
    verdict: "blocking",
    why:
      "turn the preset on once in the Microsoft Defender portal (Email & collaboration › Policies & rules › Threat policies › Preset security " +
      "policies): Microsoft creates its policies and rules only there." +
      (kind === "ATP" ? " The ATP rule also needs Defender for Office 365 licences; without them set defenderForOffice365: false." : ""),
  };
}

/**
 * The SPF record the stack will publish, with its includes resolved live: RFC 7208 §4.6.4 allows 10 DNS lookups
 * across nested includes and 2 void lookups, beyond which receivers answer permerror. The plan counts only what it
 * knows offline (Exchange Online's include, one lookup for any other); the live count is the real one.
 */
async function checkSpfRecord(options: PreflightOptions, expectation: Expectation): Promise<Finding> {
  if (options.resolveTxt === false) return ok(expectation, "not checked (--no-dns)");
  const resolve = options.resolveTxt ?? createTxtResolver();
  try {
    const { lookups } = await countSpfLookups(expectation.id, resolve);
    const problems = await validateSpfRecord(expectation.id, resolve);
    if (problems.length === 0) return ok(expectation, `${lookups} DNS lookups of ${SPF_LOOKUP_LIMIT}`);
    // Over the limit is certain from the includes' own records; anything else may be this machine's DNS view (an
    // include that does not resolve here), so it is a warning to check, not a stop.
    return {
      expectation,
      found: problems.map((p) => p.problem).join("; "),
      verdict: lookups > SPF_LOOKUP_LIMIT ? "blocking" : "warning",
      why: "receivers would answer permerror: fewer includes (send from subdomains with their own SPF), or the service's addresses in ip4/ip6.",
    };
  } catch (err) {
    return { expectation, found: `could not be resolved (${(err as Error).message})`, verdict: "warning", why: "check the includes' DNS once it answers." };
  }
}

/** True when any finding must stop `pulumi up`. */
export function hasBlocking(report: PreflightReport): boolean {
  return report.findings.some((f) => f.verdict === "blocking");
}
