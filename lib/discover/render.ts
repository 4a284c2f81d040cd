import { stringify } from "yaml";
import { SERVICE_SIGN_IN } from "../graph/sign-in";
import { TOKENS } from "../managed/tokens";
import type { Plan } from "../plan/record";
import { placeholder } from "../scaffold/placeholders";
import { TENANT_CONFIG_KEY } from "../stack-config";
import type { CREDENTIAL_KINDS } from "../tenant-settings";
import type { Discovery, ExistingObject, FoundPrincipal } from "./discover";

export interface RenderOptions {
  /** The stack the settings are for; its plan (if given) matches existing objects to declared logical names. */
  readonly stack?: string;
  readonly plan?: Plan;
  readonly credential?: (typeof CREDENTIAL_KINDS)[number];
  /** The stack's current `Pulumi.<stack>.yaml` config, if it has one: what discovery cannot know is kept from it. */
  readonly existing?: Readonly<Record<string, unknown>>;
}

/** Existing objects the stack also declares, by kind: logical name → object ID (the settings' `adopt` block). */
export interface Adoption {
  readonly conditionalAccessPolicies: Readonly<Record<string, string>>;
  readonly namedLocations: Readonly<Record<string, string>>;
  readonly termsOfUse: Readonly<Record<string, string>>;
  /** Existing objects the stack does not declare: left alone (listed so a reviewer knows they exist). */
  readonly undeclared: readonly { readonly kind: string; readonly object: ExistingObject }[];
  /** Declared objects several existing ones could be (same display name): never adopted, a reviewer decides. */
  readonly ambiguous: readonly { readonly kind: string; readonly name: string; readonly ids: readonly string[] }[];
}

/**
 * Matches what exists to what the stack declares, by display name (the name the portal shows and the declaration
 * sets): Pulumi's `import` resource option then adopts each one on the first `up`. Dynamic-provider resources cannot
 * be `pulumi import`ed at all (pulumi/pulumi#16175), and a `pulumi import` of an azuread policy needs the parent's
 * URN before the parent exists, so adoption is configuration, not a printed command.
 */
export function matchExisting(d: Discovery, plan: Plan | undefined): Adoption {
  const undeclared: { kind: string; object: ExistingObject }[] = [];
  const ambiguous: { kind: string; name: string; ids: string[] }[] = [];
  const match = (kind: string, type: string, objects: readonly ExistingObject[]): Record<string, string> => {
    const found: Record<string, string> = {};
    for (const o of objects) {
      const declared = plan?.resources.find((r) => r.type === type && r.inputs.displayName === o.displayName);
      if (!declared) {
        undeclared.push({ kind, object: o });
        continue;
      }
      // Two existing objects with the declared display name: adopting the wrong one is not undoable (if the stack
      // already manages the other, Pulumi's import replaces it: it deletes the managed one), so neither is adopted.
      const twins = objects.filter((x) => x.displayName === o.displayName);
      if (twins.length > 1) {
        if (!ambiguous.some((a) => a.kind === kind && a.name === declared.name)) ambiguous.push({ kind, name: declared.name, ids: twins.map((t) => t.id) });
        continue;
      }
      found[declared.name] = o.id;
    }
    return found;
  };
  return {
    conditionalAccessPolicies: match("conditional-access policy", TOKENS.conditionalAccessPolicy, d.policies),
    namedLocations: match("named location", TOKENS.namedLocation, d.namedLocations),
    termsOfUse: match("terms-of-use agreement", TOKENS.agreement, d.agreements),
    undeclared,
    ambiguous,
  };
}

/**
 * `Pulumi.<tenant>.yaml`, ready to review: the tenant, its sync principals, break-glass accounts proposed from the
 * policies' exclusions (placeholders `plan` refuses when there is no evidence), and what the first `up` adopts.
 */
export function renderConfigSnippet(d: Discovery, options: RenderOptions = {}): string {
  const candidates = d.breakGlassCandidates;
  const adoption = matchExisting(d, options.plan);
  const adopt = Object.fromEntries(
    (["conditionalAccessPolicies", "namedLocations", "termsOfUse"] as const).filter((k) => Object.keys(adoption[k]).length > 0).map((k) => [k, adoption[k]]),
  );
  const tenant = { ...stackSettings(d, options), ...(Object.keys(adopt).length > 0 ? { adopt } : {}) };
  return [
    `# Pulumi.${options.stack ?? "<tenant>"}.yaml — discovered from tenant ${d.tenantId} (${d.displayName}). Review before committing.`,
    ...evidence("Directory-sync principals found:", [...d.syncAccounts, ...d.syncServicePrincipals], "No directory-sync account found: a cloud-only tenant."),
    ...evidence(
      "Break-glass accounts PROPOSED (confirm they are your emergency-access accounts):",
      [...candidates.users, ...candidates.groups],
      "No account is excluded from every policy: fill in the break-glass accounts.",
    ),
    ...(Object.keys(adopt).length > 0
      ? ["# `adopt`: existing objects this stack declares; the first `pulumi up` takes them over by ID instead of creating copies."]
      : []),
    ...adoption.undeclared.map((u) => `# Exists, not declared by this stack (left alone): ${u.kind} "${u.object.displayName}" (${u.object.id})`),
    ...adoption.ambiguous.map(
      (a) => `# NOT adopted, several exist with its display name: ${a.kind} ${a.name} could be ${a.ids.join(" or ")}; add the right one under adopt by hand`,
    ),
    stringify({ config: { ...options.existing, "azuread:tenantId": d.tenantId, [TENANT_CONFIG_KEY]: tenant } }).trimEnd(),
    "",
  ].join("\n");
}

/**
 * The stack's tenant settings after discovery: what Graph told us (tenant, sync principals, break-glass candidates)
 * replaces what the file had; what discovery cannot know (the Defender API URL, the deployment app, credentials, or
 * break-glass accounts when no candidate was found) is kept from the stack's file.
 */
export function stackSettings(d: Discovery, options: Pick<RenderOptions, "credential" | "existing">): Record<string, unknown> {
  const discovered = discoveredSettings(d, options.credential);
  const own = options.existing?.[TENANT_CONFIG_KEY];
  if (!own || typeof own !== "object") return discovered;
  const kept = own as Record<string, unknown>;
  const hasCandidates = d.breakGlassCandidates.users.length + d.breakGlassCandidates.groups.length > 0;
  return {
    ...kept,
    ...discovered,
    ...(hasCandidates || !kept.breakGlass ? {} : { breakGlass: kept.breakGlass }),
    ...(kept.graph ? { graph: kept.graph } : {}),
    ...(kept.credentials ? { credentials: kept.credentials } : {}),
  };
}

/**
 * The tenant settings discovery supports (no `adopt`): break-glass accounts from the candidates, or placeholders
 * `plan` refuses when no account is excluded from every policy.
 */
export function discoveredSettings(d: Discovery, credential: RenderOptions["credential"] = "default"): Record<string, unknown> {
  const principal = (p: { objectId: string; displayName: string }) => ({ objectId: p.objectId, displayName: p.displayName });
  const candidates = d.breakGlassCandidates;
  const proposed = candidates.users.length + candidates.groups.length > 0;
  return {
    displayName: d.displayName,
    tenantId: d.tenantId,
    ...(d.primaryDomain ? { primaryDomain: d.primaryDomain } : {}),
    directorySync: { accounts: d.syncAccounts.map(principal), servicePrincipals: d.syncServicePrincipals.map(principal) },
    breakGlass: proposed
      ? { users: candidates.users.map(principal), groups: candidates.groups.map(principal) }
      : {
          users: [
            {
              objectId: placeholder("object ID of a break-glass user (no account is excluded from every existing policy)"),
              displayName: placeholder("its user principal name"),
            },
          ],
        },
    graph: { cloud: "global", credential },
    // Terms of use accept only an administrator's delegated sign-in (lib/graph/sign-in.ts): an app-only kind used
    // for discovery cannot be theirs, so they get `azureCli` (an administrator's `az login`).
    ...(SERVICE_SIGN_IN.termsOfUse.kinds.includes(credential) ? {} : { credentials: { termsOfUse: "azureCli" } }),
  };
}

function evidence(title: string, found: readonly FoundPrincipal[], none: string): string[] {
  return found.length > 0 ? [`# ${title}`, ...found.map((p) => `#   ${p.displayName}: ${p.evidence.join("; ")}`)] : [`# ${none}`];
}

/** What happens to each existing object, in a reviewer's words (stdout after the settings). */
export function renderAdoption(d: Discovery, options: RenderOptions = {}): string {
  const adoption = matchExisting(d, options.plan);
  const lines = ["# Existing objects"];
  const adopted = (["conditionalAccessPolicies", "namedLocations", "termsOfUse"] as const).flatMap((k) =>
    Object.entries(adoption[k]).map(([name, id]) => `#   ${name} ← ${id}   (adopt.${k})`),
  );
  if (!options.plan) lines.push("#   (no --stack: nothing matched to declarations; every object below is listed only)");
  if (adopted.length > 0) lines.push("# Adopted by the first `pulumi up` (updated to the declaration, never created twice):", ...adopted);
  if (adoption.ambiguous.length > 0) {
    lines.push(
      "# NOT adopted (several exist with the declared display name; choose by hand):",
      ...adoption.ambiguous.map((a) => `#   ${a.name}: ${a.ids.join(" or ")}`),
    );
  }
  if (adoption.undeclared.length > 0) {
    lines.push("# Not declared by the stack, left alone:", ...adoption.undeclared.map((u) => `#   ${u.kind} "${u.object.displayName}" (${u.object.id})`));
  }
  if (adopted.length + adoption.undeclared.length === 0) lines.push("#   none found: nothing to adopt.");
  return lines.join("\n") + "\n";
}
