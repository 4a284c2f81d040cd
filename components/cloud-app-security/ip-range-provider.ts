import * as pulumi from "@pulumi/pulumi";
import { Connection, createGraphClient, describeGraphError, statusOf } from "../../lib/graph";
import { isCidr } from "../../lib/net";
import type { SubnetRule } from "./ip-range";

/** Bumped when the provider's behaviour changes, so state records which code wrote it. */
export const IP_RANGE_PROVIDER_VERSION = "1.0.0";
/** Application ID of the Defender for Cloud Apps API; IP ranges need its `Settings.manage` permission. */
export const DEFENDER_FOR_CLOUD_APPS_APP_ID = "05a65629-4c1b-48c1-a78b-804c4abdd4af";

/** Everything the provider needs travels as inputs (plain data, no secrets), so the serialized provider is self-contained. */
export interface IpRangeInputs {
  /** Where and how to sign in; the credential itself comes from the environment through @azure/identity. */
  readonly connection: Connection;
  /** The tenant's Defender for Cloud Apps API URL, e.g. https://contoso.eu2.portal.cloudappsecurity.com/api. */
  readonly apiUrl: string;
  readonly providerVersion: string;
  readonly rule: SubnetRule;
}

const HINTS: Readonly<Record<number, string>> = {
  401: "The token was refused: check that the credential signs in to this tenant and requests the Defender for Cloud Apps API.",
  403: `The identity lacks permission: grant the app the Defender for Cloud Apps API (${DEFENDER_FOR_CLOUD_APPS_APP_ID}) permission Settings.manage, with admin consent.`,
  429: "Defender for Cloud Apps allows 30 requests per minute per tenant; retries were exhausted. Run again later or declare fewer changes at once.",
};

/**
 * Dynamic provider for Defender for Cloud Apps IP address ranges (data-enrichment API, `/api/v1/subnet/`).
 * Clients are built inside each method: Pulumi serializes this object into state and runs it in another process.
 * HTTP goes through the shared Graph client factory with the tenant's API URL as its root and the API's own
 * token scope; the factory's retry honours Retry-After on 429 and retries 5xx, with a bound.
 */
export const ipRangeProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: IpRangeInputs, news: IpRangeInputs): Promise<pulumi.dynamic.CheckResult> {
    const failures = ruleProblems(news.rule).map((reason) => ({ property: "rule", reason }));
    if (!/^https:\/\//.test(news.apiUrl ?? "")) failures.push({ property: "apiUrl", reason: `"${news.apiUrl}" is not an https API URL` });
    return failures.length > 0 ? { failures } : { inputs: news };
  },

  async create(inputs: IpRangeInputs): Promise<pulumi.dynamic.CreateResult> {
    assertSendable(inputs.rule);
    const client = mcasClient(inputs);
    const answer: unknown = await client
      .api(endpoint(inputs.apiUrl, "subnet/create_rule/"))
      .post(inputs.rule)
      .catch((err: unknown) => Promise.reject(describeGraphError(err, { resource: describe(inputs), step: "the create request", hints: HINTS })));
    return { id: rangeId(answer, inputs), outs: publicOutputs(inputs) };
  },

  async diff(id: string, olds: IpRangeInputs, news: IpRangeInputs): Promise<pulumi.dynamic.DiffResult> {
    const replaces: string[] = [];
    if (normaliseUrl(olds.apiUrl) !== normaliseUrl(news.apiUrl)) replaces.push("apiUrl");
    if (olds.connection?.tenantId !== news.connection?.tenantId) replaces.push("connection");
    const ruleChanged = stable(olds.rule) !== stable(news.rule);
    return { changes: replaces.length > 0 || ruleChanged, replaces, deleteBeforeReplace: true };
  },

  async update(id: string, olds: IpRangeInputs, news: IpRangeInputs): Promise<pulumi.dynamic.UpdateResult> {
    assertSendable(news.rule);
    await mcasClient(news)
      .api(endpoint(news.apiUrl, `subnet/${encodeURIComponent(id)}/update_rule/`))
      .post(news.rule)
      .catch((err: unknown) => Promise.reject(describeGraphError(err, { resource: describe(news), step: "the update request", hints: HINTS })));
    return { outs: publicOutputs(news) };
  },

  async delete(id: string, props: IpRangeInputs): Promise<void> {
    await mcasClient(props)
      .api(endpoint(props.apiUrl, `subnet/${encodeURIComponent(id)}/`))
      .delete()
      .catch((err: unknown) => {
        // Already removed (e.g. in the portal): the desired end state holds.
        if (statusOf(err) === 404) return;
        return Promise.reject(describeGraphError(err, { resource: describe(props), step: "the delete request", hints: HINTS }));
      });
  },
};

function mcasClient(inputs: IpRangeInputs): ReturnType<typeof createGraphClient> {
  return createGraphClient(inputs.connection, { apiRoot: normaliseUrl(inputs.apiUrl), scopes: [`${DEFENDER_FOR_CLOUD_APPS_APP_ID}/.default`] });
}

/** Absolute URL under the API root; the Graph client sends absolute URLs as they are. */
function endpoint(apiUrl: string, path: string): string {
  return `${normaliseUrl(apiUrl)}/v1/${path}`;
}

function normaliseUrl(url: string): string {
  return (url ?? "").replace(/\/+$/, "");
}

/** `create_rule/` answers with the new range's ID as a JSON string. */
function rangeId(answer: unknown, inputs: IpRangeInputs): string {
  if (typeof answer === "string" && answer.trim() !== "") return answer.trim().replace(/^"|"$/g, "");
  throw new Error(`creating ${describe(inputs)}: the API answered without the new range's ID`);
}

/** Outputs are the declared inputs: nothing the API returns is secret, and nothing secret was sent. */
function publicOutputs(inputs: IpRangeInputs): IpRangeInputs {
  return { connection: inputs.connection, apiUrl: inputs.apiUrl, providerVersion: inputs.providerVersion, rule: inputs.rule };
}

function describe(inputs: IpRangeInputs): string {
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
