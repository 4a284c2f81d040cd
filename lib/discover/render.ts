import { stringify } from "yaml";
import { TOKENS } from "../managed/tokens";
import type { Plan, PlannedResource } from "../plan/record";
import { placeholder } from "../scaffold/placeholders";
import { TENANT_CONFIG_KEY } from "../stack-config";
import type { CREDENTIAL_KINDS } from "../tenant-settings";
import type { Discovery, ExistingObject } from "./discover";

const CA_POLICY_TYPE = TOKENS.conditionalAccessPolicy;
const NAMED_LOCATION_TYPE = TOKENS.namedLocation;

export interface RenderOptions {
  /** The stack the snippet is for; its plan (if given) matches existing objects to declared logical names. */
  readonly stack?: string;
  readonly plan?: Plan;
  readonly credential?: (typeof CREDENTIAL_KINDS)[number];
}

/** `Pulumi.<tenant>.yaml` content. Break-glass accounts cannot be discovered: they stay placeholders `plan` rejects. */
export function renderConfigSnippet(d: Discovery, options: RenderOptions = {}): string {
  const principal = (p: { objectId: string; displayName: string }) => ({ objectId: p.objectId, displayName: p.displayName });
  const tenant = {
    displayName: d.displayName,
    tenantId: d.tenantId,
    ...(d.primaryDomain ? { primaryDomain: d.primaryDomain } : {}),
    directorySync: { accounts: d.syncAccounts.map(principal), servicePrincipals: d.syncServicePrincipals.map(principal) },
    breakGlass: {
      users: [
        { objectId: placeholder("object ID of a break-glass user (Graph cannot tell which they are)"), displayName: placeholder("its user principal name") },
      ],
    },
    graph: { cloud: "global", credential: options.credential ?? "default" },
  };
  const evidence = [...d.syncAccounts, ...d.syncServicePrincipals].map((p) => `#   ${p.displayName}: ${p.evidence.join("; ")}`);
  return [
    `# Pulumi.${options.stack ?? "<tenant>"}.yaml — discovered from tenant ${d.tenantId} (${d.displayName}).`,
    ...(evidence.length ? ["# Directory-sync principals found:", ...evidence] : ["# No directory-sync account found: a cloud-only tenant."]),
    stringify({ config: { "azuread:tenantId": d.tenantId, [TENANT_CONFIG_KEY]: tenant } }).trimEnd(),
    "",
  ].join("\n");
}

/** Existing objects a stack must import (or adopt) instead of creating a second copy. */
export function renderImports(d: Discovery, options: RenderOptions = {}): string {
  const stackFlag = options.stack ? ` --stack ${shellQuote(options.stack)}` : "";
  const lines = ["# Existing objects: import them so `pulumi up` does not create a second copy."];
  const section = (title: string, type: string, objects: readonly ExistingObject[]): void => {
    if (objects.length === 0) return;
    lines.push(`#`, `# ${title}`);
    for (const o of objects) {
      const declared = declaredFor(options.plan, type, o.displayName);
      const name = declared?.name ?? logicalName(o.displayName);
      const parent = declared?.parent ? ` --parent ${shellQuote(`parent=${declared.parent}`)}` : "";
      const note = options.plan && !declared ? "   # not declared by this stack: declare it first, or leave it unmanaged" : "";
      lines.push(`pulumi import${stackFlag} ${shellQuote(type)} ${shellQuote(name)} ${shellQuote(o.id)}${parent}${note}`);
    }
  };
  section("Conditional-access policies", CA_POLICY_TYPE, d.policies);
  section("Named locations", NAMED_LOCATION_TYPE, d.namedLocations);
  if (d.agreements.length > 0) {
    lines.push(
      "#",
      "# Terms-of-use agreements: dynamic-provider resources cannot be `pulumi import`ed; adopt each one with",
      "# the TermsOfUse component's `existingAgreementId` (keeps every acceptance record):",
    );
    for (const a of d.agreements) lines.push(`#   existingAgreementId: "${a.id}"   # ${a.displayName}`);
  }
  if (lines.length === 1) lines.push("# none found: nothing to import.");
  return lines.join("\n") + "\n";
}

function declaredFor(plan: Plan | undefined, type: string, displayName: string): PlannedResource | undefined {
  return plan?.resources.find((r) => r.type === type && r.inputs.displayName === displayName);
}

/** A logical name from a portal display name, e.g. "Block legacy auth!" → "Block-legacy-auth". */
export function logicalName(displayName: string): string {
  return (
    displayName
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 100) || "imported"
  );
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9._:/=@-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
