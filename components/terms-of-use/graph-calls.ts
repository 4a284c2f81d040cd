import type { Client } from "@microsoft/microsoft-graph-client";
import type { Agreement, AgreementFileLocalization } from "@microsoft/microsoft-graph-types";
import { Connection, createGraphClient, describeGraphError, notIdempotent, retryUntil, statusOf } from "../../lib/graph";
import { AGREEMENTS_PATH } from "./model";

/**
 * Credential kinds that yield an app-only token, which the agreement APIs do not accept. An array, not a Set:
 * Pulumi's closure serialization does not carry a Set's contents into the provider host (`has` then throws).
 */
const APP_ONLY_KINDS: readonly string[] = ["environment", "workloadIdentity", "managedIdentity"];

/** What a 403 means here: Microsoft documents these APIs for delegated access only. */
export function forbiddenHint(connection: Connection): string {
  const kind = connection.credential ?? "default";
  const appOnly = APP_ONLY_KINDS.includes(kind)
    ? `This run signed in with the "${kind}" credential, which gets an app-only token. `
    : kind === "default"
      ? 'The "default" credential chain may have picked an app-only credential (environment variables, workload or managed identity). '
      : "";
  return (
    `${appOnly}Terms of use (agreements) are delegated-only in Microsoft Graph: the token must belong to a signed-in user ` +
    "holding Conditional Access Administrator or Security Administrator, with consent for Agreement.ReadWrite.All; " +
    "application permissions are not supported. Set m365-baseline:tenant.graph.credential to azureCli (after `az login --tenant " +
    `${connection.tenantId}\` as that administrator), deviceCode or interactiveBrowser. See docs/terms-of-use.md, "Permissions".`
  );
}

/**
 * The agreement calls one provider operation makes, over one client built for that operation (a client captured
 * in the provider would not survive Pulumi's serialization). Every failure names the agreement and the step.
 */
export class AgreementCalls {
  private readonly client: Client;
  /** Replication-lag polling follows the connection's retry pace, so tests with zero delay poll fast too. */
  private readonly pollDelayMs: number;

  constructor(
    private readonly connection: Connection,
    private readonly label: string,
  ) {
    this.client = createGraphClient(connection);
    this.pollDelayMs = Math.max(20, (connection.retry?.delaySeconds ?? 1) * 1000);
  }

  /** POST /agreements: never retried on a 5xx or a lost reply (the provider looks for it with `findJustCreated`). */
  create(body: Agreement): Promise<Agreement> {
    return this.call("creating the agreement", () => this.client.api(AGREEMENTS_PATH).middlewareOptions(notIdempotent(this.connection)).post(body));
  }

  /**
   * After a create whose outcome is unknown: the agreement it would have made, if Graph has it. Agreements have no
   * unique key, so the match is strict: every setting the create sent (name, per-device, re-acceptance, expiry,
   * expand-before-accept), a default file with the same name created in the last `withinMinutes`, the same bytes
   * when Graph returns them; and exactly one such agreement (several: it refuses to guess). List agreements (v1.0,
   * https://learn.microsoft.com/graph/api/termsofusecontainer-list-agreements), then Get agreement with
   * `$expand=files` for each candidate.
   */
  async findJustCreated(body: Agreement, withinMinutes = 15): Promise<Agreement | undefined> {
    const defaultFile = body.files?.find((f) => f.isDefault) ?? body.files?.[0];
    const since = Date.now() - withinMinutes * 60_000;
    const step = "looking for an agreement a lost reply may have created";
    const candidates: Agreement[] = [];
    let page = (await this.call(step, () => this.client.api(AGREEMENTS_PATH).get())) as { value?: Agreement[]; "@odata.nextLink"?: string };
    for (;;) {
      candidates.push(...(page.value ?? []).filter((a) => a.displayName === body.displayName && sameCreationSettings(a, body)));
      const next = page["@odata.nextLink"];
      if (!next) break;
      page = (await this.call(step, () => this.client.api(next).get())) as typeof page;
    }
    const matches: Agreement[] = [];
    for (const candidate of candidates) {
      const full = await this.find(candidate.id ?? "", "reading a candidate agreement");
      const file = full?.files?.find((f) => f.isDefault) ?? full?.files?.[0];
      if (!full || !file || file.fileName !== defaultFile?.fileName) continue;
      if (Date.parse(file.createdDateTime ?? "") < since) continue;
      if (file.fileData?.data && defaultFile?.fileData?.data && file.fileData.data !== defaultFile.fileData.data) continue;
      matches.push(full);
    }
    if (matches.length > 1) {
      throw new Error(
        `${this.label}: the create request may have reached Graph, and ${matches.length} recent agreements match it (${matches.map((m) => m.id).join(", ")}). ` +
          "Not guessing which one is ours: adopt the right one with existingAgreementId and delete the others in the portal.",
      );
    }
    return matches[0];
  }

  /** The agreement with its files, or undefined when Graph says it does not exist. */
  async find(id: string, step: string): Promise<Agreement | undefined> {
    try {
      return await this.get(id, step);
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  }

  get(id: string, step: string): Promise<Agreement> {
    return this.call(step, () =>
      this.client
        .api(`${AGREEMENTS_PATH}/${encodeURIComponent(id)}`)
        .expand("files")
        .get(),
    );
  }

  /** Right after a create, Graph may answer 404 until the directory has replicated: poll, bounded. */
  getAfterCreate(id: string, step: string): Promise<Agreement> {
    return this.retryWhileNotFound(() => this.get(id, step));
  }

  patch(id: string, body: Pick<Agreement, "displayName" | "isViewingBeforeAcceptanceRequired">): Promise<void> {
    return this.call("updating the display name / view-before-accept setting", () =>
      this.client.api(`${AGREEMENTS_PATH}/${encodeURIComponent(id)}`).patch(body),
    );
  }

  postFile(id: string, body: AgreementFileLocalization, step: string, justCreated: boolean): Promise<AgreementFileLocalization> {
    // Adding a file version is not idempotent: never re-sent on a 5xx. The next run reconciles against what Graph
    // holds (the provider hashes Graph's file content), so a version that landed is not posted twice.
    const post = (): Promise<AgreementFileLocalization> =>
      this.call(step, () =>
        this.client
          .api(`${AGREEMENTS_PATH}/${encodeURIComponent(id)}/files`)
          .middlewareOptions(notIdempotent(this.connection))
          .post(body),
      );
    return justCreated ? this.retryWhileNotFound(post) : post();
  }

  async delete(id: string): Promise<void> {
    try {
      await this.call("deleting the agreement", () => this.client.api(`${AGREEMENTS_PATH}/${encodeURIComponent(id)}`).delete());
    } catch (err) {
      if (statusOf(err) !== 404) throw err; // already gone is what delete wants
    }
  }

  private retryWhileNotFound<T>(operation: () => Promise<T>): Promise<T> {
    return retryUntil(operation, {
      attempts: 6,
      startingDelayMs: this.pollDelayMs,
      maxDelayMs: 8 * this.pollDelayMs,
      isTransient: (err) => statusOf(err) === 404,
    });
  }

  private async call<T>(step: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      throw describeGraphError(err, { resource: this.label, step, hints: { 403: forbiddenHint(this.connection) } });
    }
  }
}

function sameCreationSettings(a: Agreement, body: Agreement): boolean {
  return (
    (a.isPerDeviceAcceptanceRequired ?? false) === (body.isPerDeviceAcceptanceRequired ?? false) &&
    (a.isViewingBeforeAcceptanceRequired ?? false) === (body.isViewingBeforeAcceptanceRequired ?? false) &&
    (a.userReacceptRequiredFrequency ?? null) === (body.userReacceptRequiredFrequency ?? null) &&
    JSON.stringify(a.termsExpiration ?? null) === JSON.stringify(body.termsExpiration ?? null)
  );
}
