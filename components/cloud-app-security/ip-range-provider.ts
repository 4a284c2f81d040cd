import { DEFENDER_FOR_CLOUD_APPS_APP_ID, defenderClient, defenderEndpoint as endpoint, normaliseApiUrl as normaliseUrl } from "../../lib/defender/client";
import { Connection, describeGraphError, notIdempotent, statusOf } from "../../lib/graph";

export { DEFENDER_FOR_CLOUD_APPS_APP_ID };
import { createOnce, lookupPace } from "../../lib/managed/create-once";
import type { ManagedProvider, ManagedType } from "../../lib/managed/resource";
import { MANAGED_TYPES } from "../../lib/managed/tokens";
import { isCidr } from "../../lib/net";
import type { SubnetRule } from "./payload";

/** Bumped when the provider's behaviour changes, so state records which code wrote it. */
export const IP_RANGE_PROVIDER_VERSION = "2.0.0";

/** Everything the provider needs travels as inputs (plain data, no secrets), so the serialized provider is self-contained. */
export interface IpRangeInputs {
  /** Where and how to sign in; the credential itself comes from the environment through @azure/identity. */
  readonly connection: Connection;
  /** The tenant's Defender for Cloud Apps API URL, e.g. https://contoso.eu2.portal.cloudappsecurity.com/api. */
  readonly apiUrl: string;
  readonly providerVersion: string;
  readonly rule: SubnetRule;
}

/** A range as the list endpoint returns it (https://learn.microsoft.com/defender-cloud-apps/api-data-enrichment-list). */
interface ListedRange {
  readonly _id: string;
  readonly name: string;
  readonly category: number;
  readonly subnets?: readonly { readonly originalString: string }[];
  readonly organization?: string | null;
  readonly tags?: readonly { readonly name: string }[];
}

const HINTS: Readonly<Record<number, string>> = {
  401: "The token was refused: check that the credential signs in to this tenant and requests the Defender for Cloud Apps API.",
  403: `The identity lacks permission: grant the app the Defender for Cloud Apps API (${DEFENDER_FOR_CLOUD_APPS_APP_ID}) permission Settings.manage, with admin consent.`,
  429: "Defender for Cloud Apps allows 30 requests per minute per tenant; retries were exhausted. Run again later or declare fewer changes at once.",
};
/** Page size for the list endpoint (its `limit`). */
const PAGE = 100;

/**
 * Defender for Cloud Apps IP address ranges through the data-enrichment API (create_rule, update_rule, delete,
 * list: https://learn.microsoft.com/defender-cloud-apps/api-data-enrichment-create-rule and its sibling pages).
 * Range names are unique in a tenant, so the name is the key a create looks up before and after sending: an
 * existing range with the declared name is adopted, and a create whose reply was lost is found, not repeated.
 * Clients are built inside each method: Pulumi serializes this object into state and runs it in another process.
 */
export const ipRangeProvider: ManagedProvider<IpRangeInputs, IpRangeInputs> = {
  async check(_olds, news) {
    const failures = ruleProblems(news.rule).map((reason) => ({ property: "rule", reason }));
    if (!/^https:\/\//.test(news.apiUrl ?? "")) failures.push({ property: "apiUrl", reason: `"${news.apiUrl}" is not an https API URL` });
    return failures.length > 0 ? { failures } : { inputs: news };
  },

  async diff(_id, olds, news) {
    const replaces: string[] = [];
    // Another API URL or tenant is another Defender instance: the range there is a different object. The name is
    // unique per tenant, so the old range goes first.
    if (normaliseUrl(olds.apiUrl) !== normaliseUrl(news.apiUrl)) replaces.push("apiUrl");
    if (olds.connection?.tenantId !== news.connection?.tenantId) replaces.push("connection");
    const ruleChanged = stable(olds.rule) !== stable(news.rule);
    return { changes: replaces.length > 0 || ruleChanged, replaces, deleteBeforeReplace: replaces.length > 0 };
  },

  async create(inputs) {
    assertSendable(inputs.rule);
    const client = mcasClient(inputs);
    const created = await createOnce<ListedRange | string>({
      findFirst: true, // the API refuses a second range with the same name: adopt the one there is
      lookups: lookupPace(inputs.connection),
      find: () => findByName(inputs),
      send: () =>
        client
          .api(endpoint(inputs.apiUrl, "subnet/create_rule/"))
          .middlewareOptions(notIdempotent(inputs.connection))
          .post(inputs.rule)
          .catch((err: unknown) => Promise.reject(describeGraphError(err, { resource: rangeLabel(inputs), step: "the create request", hints: HINTS }))),
    });
    // Found: the listed range. Created: create_rule's answer, which must be the new ID.
    const id = created.adopted ? (created.value as ListedRange)._id : rangeId(created.value, inputs);
    // An adopted range takes the declared values (update_rule writes the whole rule).
    if (created.adopted && stable(ruleOf(created.value as ListedRange)) !== stable(inputs.rule)) await writeRule(id, inputs);
    return { id, outs: publicOutputs(inputs) };
  },

  async read(id, props) {
    const found = (await listRanges(props)).find((r) => r._id === id);
    // Deleted in the portal: gone, which the engine records (a later `up` creates it again).
    if (!found) return {};
    const state: IpRangeInputs = { ...publicOutputs(props), rule: ruleOf(found) };
    return { id, props: state, inputs: state };
  },

  async update(id, _olds, news) {
    assertSendable(news.rule);
    await writeRule(id, news);
    return { outs: publicOutputs(news) };
  },

  async delete(id, props) {
    await mcasClient(props)
      .api(endpoint(props.apiUrl, `subnet/${encodeURIComponent(id)}/`))
      .delete()
      .catch((err: unknown) => {
        // Already removed (e.g. in the portal): the desired end state holds.
        if (statusOf(err) === 404) return;
        return Promise.reject(describeGraphError(err, { resource: rangeLabel(props), step: "the delete request", hints: HINTS }));
      });
  },
};

export const IP_RANGE_TYPE: ManagedType<IpRangeInputs, IpRangeInputs> = { typeName: MANAGED_TYPES.defenderIpRange, provider: ipRangeProvider };

/** update_rule is not partial: the whole declared rule is sent, so fields no longer declared become empty. Idempotent. */
async function writeRule(id: string, inputs: IpRangeInputs): Promise<void> {
  await mcasClient(inputs)
    .api(endpoint(inputs.apiUrl, `subnet/${encodeURIComponent(id)}/update_rule/`))
    .post(inputs.rule)
    .catch((err: unknown) => Promise.reject(describeGraphError(err, { resource: rangeLabel(inputs), step: "the update request", hints: HINTS })));
}

/** Every range, page by page (`skip`/`limit` until `hasNext` is false). */
async function listRanges(inputs: IpRangeInputs): Promise<ListedRange[]> {
  const client = mcasClient(inputs);
  const ranges: ListedRange[] = [];
  for (let skip = 0; ; skip += PAGE) {
    const page = (await client
      .api(endpoint(inputs.apiUrl, "subnet/"))
      .post({ skip, limit: PAGE })
      .catch((err: unknown) => Promise.reject(describeGraphError(err, { resource: rangeLabel(inputs), step: "listing IP ranges", hints: HINTS })))) as {
      data?: ListedRange[];
      hasNext?: boolean;
    };
    ranges.push(...(page.data ?? []));
    if (!page.hasNext || (page.data ?? []).length === 0) return ranges;
  }
}

async function findByName(inputs: IpRangeInputs): Promise<ListedRange | undefined> {
  return (await listRanges(inputs)).find((r) => r.name === inputs.rule.name);
}

/** The rule as declared from what the API holds, normalised like `subnetRule` so an unchanged range diffs clean. */
function ruleOf(range: ListedRange): SubnetRule {
  const tags = [...new Set((range.tags ?? []).map((t) => t.name))].sort();
  return {
    name: range.name,
    category: range.category,
    subnets: [...new Set((range.subnets ?? []).map((s) => s.originalString.toLowerCase()))].sort(),
    ...(range.organization ? { organization: range.organization } : {}),
    ...(tags.length > 0 ? { tags } : {}),
  };
}

function mcasClient(inputs: IpRangeInputs): ReturnType<typeof defenderClient> {
  return defenderClient(inputs.connection, inputs.apiUrl);
}

/** `create_rule/` answers with the new range's ID as a JSON string. */
function rangeId(answer: unknown, inputs: IpRangeInputs): string {
  if (typeof answer === "string" && answer.trim() !== "") return answer.trim().replace(/^"|"$/g, "");
  throw new Error(`creating ${rangeLabel(inputs)}: the API answered without the new range's ID`);
}

/** Outputs are the declared inputs: nothing the API returns is secret, and nothing secret was sent. */
function publicOutputs(inputs: IpRangeInputs): IpRangeInputs {
  return { connection: inputs.connection, apiUrl: inputs.apiUrl, providerVersion: inputs.providerVersion, rule: inputs.rule };
}

function rangeLabel(inputs: IpRangeInputs): string {
  return `IP range "${inputs.rule?.name}" in Defender for Cloud Apps (tenant ${inputs.connection?.tenantId})`;
}

/** Problems a rule would be refused for; checked before every request so a bad CIDR is never sent. */
export function ruleProblems(rule: SubnetRule | undefined): string[] {
  if (!rule) return ["the IP range rule is missing"];
  const problems: string[] = [];
  if (!rule.name || rule.name.trim() === "") problems.push("name is blank");
  if (!Number.isInteger(rule.category) || rule.category < 1 || rule.category > 6) problems.push(`category ${rule.category} is not 1-6`);
  if (!rule.subnets || rule.subnets.length === 0) problems.push("subnets is empty");
  (rule.subnets ?? []).filter((s) => !isCidr(s)).forEach((s) => problems.push(`"${s}" is not a CIDR range (IPv4 or IPv6 CIDR such as 203.0.113.0/24)`));
  return problems;
}

function assertSendable(rule: SubnetRule): void {
  const problems = ruleProblems(rule);
  if (problems.length > 0) throw new Error(`IP range "${rule?.name}" was not sent to Defender for Cloud Apps: ${problems.join("; ")}`);
}

function stable(rule: SubnetRule | undefined): string {
  if (!rule) return "";
  return JSON.stringify({
    name: rule.name,
    category: rule.category,
    subnets: [...(rule.subnets ?? [])].sort(),
    organization: rule.organization ?? null,
    tags: [...(rule.tags ?? [])].sort(),
  });
}
