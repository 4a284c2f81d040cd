import { applicationLabel, roleLabel } from "../../components/conditional-access/well-known";
import type { Plan, PlannedResource } from "./record";

/** Type tokens the reviewer view knows how to describe. */
export const CA_POLICY_TYPE = "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy";
export const CA_COMPONENT_TYPE = "m365-baseline:conditionalaccess:Policy";

const STATE_WORDS: Record<string, string> = {
  enabled: "enabled (enforced)",
  enabledForReportingButNotEnforced: "report-only",
  disabled: "disabled",
};

interface Review {
  builtInExclusions?: { roles?: string[]; users?: { objectId: string; displayName: string }[]; groups?: { objectId: string; displayName: string }[] };
  optOuts?: { kind: string; reason: string }[];
  description?: string;
}

/** The reviewer's view of a plan: one section per policy, in words, names before GUIDs. */
export function renderPlanMarkdown(plan: Plan): string {
  const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
  const names = principalNames(plan);
  const out: string[] = [`# Plan for tenant stack \`${plan.stack}\``, "", `${plan.resources.length} resources declared.`, ""];
  const policies = plan.resources.filter((r) => r.type === CA_POLICY_TYPE).sort((a, b) => a.name.localeCompare(b.name));
  out.push(`## Conditional-access policies (${policies.length})`, "");
  for (const policy of policies) {
    const review = findReview(policy, byUrn);
    out.push(...renderPolicy(policy, review, names), "");
  }
  return out.join("\n");
}

function renderPolicy(policy: PlannedResource, review: Review | undefined, names: Map<string, string>): string[] {
  const i = policy.inputs as Record<string, any>; // plan JSON is schemaless by nature
  const c = i.conditions ?? {};
  const u = c.users ?? {};
  const a = c.applications ?? {};
  const label = (id: string): string => names.get(id) ?? id;
  const lines = [`### ${i.displayName} (\`${policy.name}\`)`, ""];
  if (review?.description) lines.push(`_${review.description}_`, "");
  lines.push(`- **State:** ${STATE_WORDS[i.state] ?? i.state}`);
  lines.push(`- **Targets users:** ${list([...(u.includedUsers ?? []).map(label), ...(u.includedGroups ?? []).map((g: string) => `group ${label(g)}`), ...(u.includedRoles ?? []).map((r: string) => `role ${roleLabel(r)}`)])}`);
  lines.push(`- **Excludes users:** ${list((u.excludedUsers ?? []).map(label))}`);
  lines.push(`- **Excludes groups:** ${list((u.excludedGroups ?? []).map(label))}`);
  lines.push(`- **Excludes roles:** ${list((u.excludedRoles ?? []).map(roleLabel))}`);
  lines.push(`- **Apps:** ${list((a.includedApplications ?? []).map(applicationLabel))}${a.excludedApplications?.length ? `, except ${list(a.excludedApplications.map(applicationLabel))}` : ""}`);
  if (a.includedUserActions?.length) lines.push(`- **User actions:** ${list(a.includedUserActions)}`);
  lines.push(`- **Client apps:** ${list(c.clientAppTypes ?? ["all"])}`);
  if (c.devices?.filter) lines.push(`- **Device filter (${c.devices.filter.mode}):** \`${c.devices.filter.rule}\``);
  if (c.locations) lines.push(`- **Locations:** ${list(c.locations.includedLocations ?? [])}${c.locations.excludedLocations?.length ? `, except ${list(c.locations.excludedLocations)}` : ""}`);
  const g = i.grantControls;
  if (g) {
    const parts = [...(g.builtInControls ?? []), ...(g.termsOfUses ?? []).map((t: string) => `terms of use ${t}`)];
    if (g.authenticationStrengthPolicyId) parts.push(`authentication strength ${g.authenticationStrengthPolicyId}`);
    lines.push(`- **Requires:** ${parts.join(g.operator === "AND" ? " AND " : " OR ")}`);
  }
  const s = i.sessionControls;
  if (s) lines.push(`- **Session:** ${Object.entries(s).map(([k, v]) => `${k} = ${v}`).join(", ")}`);
  for (const optOut of review?.optOuts ?? []) {
    lines.push(`- ⚠️ **Built-in exclusion removed (${optOut.kind}):** ${optOut.reason}`);
  }
  return lines;
}

function findReview(policy: PlannedResource, byUrn: Map<string, PlannedResource>): Review | undefined {
  const parent = policy.parent ? byUrn.get(policy.parent) : undefined;
  return parent?.type === CA_COMPONENT_TYPE ? (parent.inputs.review as Review) : undefined;
}

/** Object ID → display name, from the reviews' built-in exclusions (names come from tenant settings). */
export function principalNames(plan: Plan): Map<string, string> {
  const names = new Map<string, string>();
  for (const r of plan.resources) {
    const review = r.type === CA_COMPONENT_TYPE ? (r.inputs.review as Review) : undefined;
    for (const p of [...(review?.builtInExclusions?.users ?? []), ...(review?.builtInExclusions?.groups ?? [])]) {
      names.set(p.objectId.toLowerCase(), p.displayName);
    }
  }
  return names;
}

function list(items: readonly string[]): string {
  return items.length === 0 ? "none" : items.join(", ");
}
