import { expect } from "chai";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { agreementProvider, AgreementInputs, AgreementState, isPartialFailure, PartialFailure } from "../../components/terms-of-use";
import type { Connection } from "../../lib/graph";
import { localConnection } from "../support/connection";
import { acceptAgreement, agreementsOf, AGREEMENTS, registerAgreementRoutes, seedAgreement } from "../support/graph-routes/agreements";
import { GraphServer, startGraphServer } from "../support/graph-server";
import { base64Of, EN, EN_V2, FR, inputsFor, NL } from "./helpers";

const ONE = new RegExp(`^${AGREEMENTS}/[^/]+$`);
const FILES = new RegExp(`^${AGREEMENTS}/[^/]+/files$`);

describe("terms-of-use dynamic provider against the local Graph server", () => {
  let server: GraphServer;
  let restore: () => void;
  let connection: Connection;
  const provider = agreementProvider as Required<typeof agreementProvider>;

  before(async () => {
    server = await startGraphServer();
    registerAgreementRoutes(server);
    // Terms of use are delegated-only: an administrator signs in (device code against the local server).
    ({ connection, restore } = localConnection(server, { credential: "deviceCode" }));
  });
  after(async () => {
    restore();
    await server.close();
  });

  const inputs = (overrides: Parameters<typeof inputsFor>[0] = {}): AgreementInputs => inputsFor(overrides, connection);
  const since = (mark: number) => server.requests.slice(mark).filter((r) => !/oauth2|well-known/.test(r.path));
  const create = async (overrides: Parameters<typeof inputsFor>[0] = {}): Promise<{ id: string; outs: AgreementState; inputs: AgreementInputs }> => {
    const i = inputs(overrides);
    const { id, outs } = await provider.create(i);
    return { id, outs: outs as AgreementState, inputs: i };
  };

  it("creates with one POST of the agreement and its default file, then posts the other language as a localized file", async () => {
    const mark = server.requests.length;
    const { id, outs } = await create({ reacceptanceFrequency: "P90D" });
    const calls = since(mark);
    expect(calls.map((r) => `${r.method} ${r.path.replace(id, "{id}")} ${r.status}`)).to.deep.equal([
      `POST ${AGREEMENTS} 201`,
      `GET ${AGREEMENTS}/{id} 200`,
      `POST ${AGREEMENTS}/{id}/files 200`,
    ]);
    expect(calls[0].body).to.deep.equal({
      displayName: "Contoso terms of use",
      isViewingBeforeAcceptanceRequired: true,
      isPerDeviceAcceptanceRequired: false,
      userReacceptRequiredFrequency: "P90D",
      files: [{ fileName: "terms-en-US.pdf", language: "en-US", displayName: "Contoso terms of use", isDefault: true, fileData: { data: base64Of(EN) } }],
    });
    expect(calls[2].body).to.deep.equal({
      fileName: "terms-nl-NL.pdf",
      language: "nl-NL",
      displayName: "Contoso gebruiksvoorwaarden",
      isDefault: false,
      isMajorVersion: false,
      fileData: { data: base64Of(NL) },
    });
    const stored = agreementsOf(server).get(id)!;
    expect(stored.files.map((f) => f.language)).to.deep.equal(["en-US", "nl-NL"]);
    expect(outs.files.map((f) => [f.language, f.localizationId])).to.deep.equal(stored.files.map((f) => [f.language, f.id]));
  });

  it("keeps only name, size and SHA-256 of each PDF in the outputs, never the bytes", async () => {
    const { outs } = await create();
    const json = JSON.stringify(outs);
    for (const file of [EN, NL]) {
      expect(json).not.to.contain(base64Of(file).slice(0, 40));
      expect(json).not.to.contain(fs.readFileSync(file, "latin1").slice(0, 40));
    }
    const en = outs.files.find((f) => f.language === "en-US")!;
    expect([en.fileName, en.size, en.sha256]).to.deep.equal([
      "terms-en-US.pdf",
      fs.statSync(EN).size,
      createHash("sha256").update(fs.readFileSync(EN)).digest("hex"),
    ]);
    expect(Object.keys(en)).not.to.include("path");
  });

  it("refresh reads back the same state (no diff) and reports an agreement deleted outside Pulumi as gone", async () => {
    const { id, outs, inputs: declared } = await create();
    const read = await provider.read(id, outs);
    expect(read.id).to.equal(id);
    expect(read.props).to.deep.equal(outs);
    expect((await provider.diff(id, read.props as AgreementState, declared)).changes).to.equal(false);
    agreementsOf(server).delete(id);
    const gone = await provider.read(id, outs);
    expect(gone.id).to.equal(undefined);
  });

  it("updates the display name and view-before-accept in place with one PATCH of exactly those properties", async () => {
    const { id, outs } = await create();
    const changed = inputs({ displayName: "Contoso terms (2026)", requireViewingBeforeAcceptance: false });
    const diff = await provider.diff(id, outs, changed);
    expect([diff.changes, diff.replaces]).to.deep.equal([true, []]);
    const mark = server.requests.length;
    const { outs: after } = await provider.update(id, outs, changed);
    const writes = since(mark).filter((r) => r.method !== "GET");
    expect(writes.map((r) => [r.method, r.body])).to.deep.equal([["PATCH", { displayName: "Contoso terms (2026)", isViewingBeforeAcceptanceRequired: false }]]);
    expect(agreementsOf(server).get(id)!.displayName).to.equal("Contoso terms (2026)");
    expect((await provider.diff(id, after as AgreementState, changed)).changes).to.equal(false);
  });

  it("uploads a changed PDF as a new version of that language: no replacement, no delete, acceptances kept", async () => {
    const { id, outs } = await create();
    const acceptance = acceptAgreement(server, id, "user-1", "en-US");
    const localizationBefore = agreementsOf(server)
      .get(id)!
      .files.find((f) => f.language === "en-US")!.id;
    const changed = inputs({
      files: [
        { language: "en-US", path: EN_V2, displayName: "Contoso terms of use", isDefault: true },
        { language: "nl-NL", path: NL, displayName: "Contoso gebruiksvoorwaarden" },
      ],
    });
    const diff = await provider.diff(id, outs, changed);
    expect([diff.changes, diff.replaces]).to.deep.equal([true, []]);
    const mark = server.requests.length;
    const { outs: after } = await provider.update(id, outs, changed);
    const writes = since(mark).filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path.replace(id, "{id}")}`)).to.deep.equal([`POST ${AGREEMENTS}/{id}/files`]);
    expect(writes[0].body).to.deep.include({ language: "en-US", isMajorVersion: false, fileData: { data: base64Of(EN_V2) } });
    const stored = agreementsOf(server).get(id)!;
    const en = stored.files.find((f) => f.language === "en-US")!;
    expect([en.id, en.data, en.versions.map((v) => v.data)]).to.deep.equal([localizationBefore, base64Of(EN_V2), [base64Of(EN)]]);
    expect(stored.acceptances).to.deep.equal([acceptance]);
    expect((after as AgreementState).files.find((f) => f.language === "en-US")!.sha256).not.to.equal(outs.files.find((f) => f.language === "en-US")!.sha256);
  });

  it("posts a major version only when the author marked the file so", async () => {
    const { id, outs } = await create();
    const changed = inputs({
      files: [
        { language: "en-US", path: EN_V2, displayName: "Contoso terms of use", isDefault: true, majorVersion: true },
        { language: "nl-NL", path: NL, displayName: "Contoso gebruiksvoorwaarden" },
      ],
    });
    const mark = server.requests.length;
    await provider.update(id, outs, changed);
    expect(
      server
        .requestsTo("POST", FILES)
        .filter((r) => server.requests.indexOf(r) >= mark)
        .map((r) => (r.body as { isMajorVersion: boolean }).isMajorVersion),
    ).to.deep.equal([true]);
    expect([...agreementsOf(server).get(id)!.reacceptanceRequired]).to.deep.equal(["en-US"]);
  });

  it("never re-uploads an unchanged PDF, even from another path", async () => {
    const { id, outs } = await create();
    const copy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "tou-")), "copy.pdf");
    fs.copyFileSync(NL, copy);
    const moved = inputs();
    const withMovedNl = { ...moved, files: moved.files.map((f) => (f.language === "nl-NL" ? { ...f, path: copy } : f)) };
    expect((await provider.diff(id, outs, withMovedNl)).changes).to.equal(false);
    const mark = server.requests.length;
    await provider.update(id, outs, { ...withMovedNl, providerVersion: "next" });
    expect(since(mark).filter((r) => r.method !== "GET")).to.deep.equal([]);
  });

  it("adds a new language as a localized file without touching the others", async () => {
    const { id, outs } = await create();
    const more = inputs();
    const withFr = {
      ...more,
      files: [
        ...more.files,
        {
          ...more.files[1],
          language: "fr-FR",
          fileName: "terms-fr-FR.pdf",
          displayName: "Conditions",
          path: FR,
          sha256: createHash("sha256").update(fs.readFileSync(FR)).digest("hex"),
          size: fs.statSync(FR).size,
        },
      ],
    };
    const mark = server.requests.length;
    await provider.update(id, outs, withFr);
    expect(
      since(mark)
        .filter((r) => r.method !== "GET")
        .map((r) => (r.body as { language: string }).language),
    ).to.deep.equal(["fr-FR"]);
  });

  it("refuses a change Graph cannot patch unless the author opted into losing acceptances, and then reports a replacement", async () => {
    const { id, outs } = await create();
    const err = await provider.diff(id, outs, inputs({ requireAcceptanceOnEveryDevice: true })).catch((e: Error) => e);
    expect((err as Error).message).to.contain("stack test-tenant › terms of use contoso-terms: refusing to replace the agreement");
    expect((err as Error).message).to.contain('"require users to accept on every device" changes false → true');
    expect((err as Error).message).to.contain("allowReplacementDestroyingAcceptances: true");
    const allowed = await provider.diff(
      id,
      outs,
      inputs({ requireAcceptanceOnEveryDevice: true, reacceptanceFrequency: "P30D", allowReplacementDestroyingAcceptances: true }),
    );
    expect(allowed.replaces).to.deep.equal(["isPerDeviceAcceptanceRequired", "userReacceptRequiredFrequency"]);
  });

  it("refuses to delete by default and leaves the agreement in the tenant; deletes with allowDeletion", async () => {
    const { id, outs } = await create();
    const mark = server.requests.length;
    const err = await provider.delete(id, outs).catch((e: Error) => e);
    expect((err as Error).message).to.contain(`refusing to delete agreement ${id}: Entra deletes every user's acceptance record with it`);
    expect(since(mark)).to.deep.equal([]);
    expect(agreementsOf(server).has(id)).to.equal(true);
    await provider.delete(id, { ...outs, allowDeletion: true });
    expect(server.requestsTo("DELETE", ONE).map((r) => r.path)).to.include(`${AGREEMENTS}/${id}`);
    expect(agreementsOf(server).has(id)).to.equal(false);
  });

  it("adopts an existing agreement by ID without creating a duplicate, uploading only what differs", async () => {
    const seeded = seedAgreement(server, {
      displayName: "Terms made in the portal",
      isViewingBeforeAcceptanceRequired: true,
      files: [{ language: "en-US", fileName: "terms-en-US.pdf", displayName: "Contoso terms of use", isDefault: true, data: fs.readFileSync(EN) }],
    });
    acceptAgreement(server, seeded.id, "user-2", "en-US");
    const mark = server.requests.length;
    const { id, outs } = await provider.create(inputs({ existingAgreementId: seeded.id }));
    expect(id).to.equal(seeded.id);
    const writes = since(mark).filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path.replace(id, "{id}")}`)).to.deep.equal([`PATCH ${AGREEMENTS}/{id}`, `POST ${AGREEMENTS}/{id}/files`]);
    expect(writes[0].body).to.deep.equal({ displayName: "Contoso terms of use" });
    expect((writes[1].body as { language: string }).language).to.equal("nl-NL");
    expect(agreementsOf(server).get(id)!.acceptances).to.have.length(1);
    expect((await provider.diff(id, outs as AgreementState, inputs({ existingAgreementId: seeded.id }))).changes).to.equal(false);
  });

  it("refuses to adopt an agreement whose unpatchable settings differ from the declaration", async () => {
    const seeded = seedAgreement(server, {
      isPerDeviceAcceptanceRequired: true,
      files: [{ language: "en-US", fileName: "a.pdf", displayName: "A", isDefault: true, data: fs.readFileSync(EN) }],
    });
    const err = await provider.create(inputs({ existingAgreementId: seeded.id })).catch((e: Error) => e);
    expect((err as Error).message).to.contain(`cannot adopt agreement ${seeded.id}: it differs from the declaration in settings Graph cannot change`);
    expect((err as Error).message).to.contain('"require users to accept on every device" changes true → false');
    expect(agreementsOf(server).get(seeded.id)!.files).to.have.length(1);
  });

  it("explains that Pulumi cannot import dynamic resources when read gets no state", async () => {
    const err = await provider.read("some-id", {} as AgreementState).catch((e: Error) => e);
    expect((err as Error).message).to.contain("Pulumi cannot import dynamic-provider resources (pulumi/pulumi#16175)");
    expect((err as Error).message).to.contain("existingAgreementId");
  });

  it("adopting an ID Graph does not know fails before writing anything, naming the ID and the tenant", async () => {
    const missing = "0a0a0a0a-0000-4000-8000-000000000000";
    const err = await provider.create(inputs({ existingAgreementId: missing })).catch((e: Error) => e);
    expect((err as Error).message).to.equal(
      `stack test-tenant › terms of use contoso-terms: cannot adopt agreement ${missing}: Graph has no agreement with that ID in tenant ${connection.tenantId}.`,
    );
  });

  it("update of an agreement deleted outside Pulumi says so and what to run, instead of recreating it silently", async () => {
    const { id, outs } = await create();
    agreementsOf(server).delete(id);
    const err = await provider.update(id, outs, inputs({ displayName: "Renamed" })).catch((e: Error) => e);
    expect((err as Error).message).to.equal(
      `stack test-tenant › terms of use contoso-terms: agreement ${id} no longer exists in the tenant (deleted outside Pulumi). Run \`pulumi refresh\`, then \`pulumi up\` to create it again.`,
    );
  });

  it("update refuses when the portal changed a setting Graph cannot patch, listing it, and records the agreement as it is", async () => {
    const { id, outs } = await create();
    agreementsOf(server).get(id)!.isPerDeviceAcceptanceRequired = true;
    const err = await provider.update(id, outs, inputs({ displayName: "Renamed" })).catch((e: Error) => e);
    expect((err as Error).message).to.contain(
      `agreement ${id} was changed outside Pulumi in settings Graph cannot change:\n  - "require users to accept on every device" changes true → false`,
    );
    expect(isPartialFailure(err)).to.equal(true);
    expect((err as PartialFailure<AgreementState>).properties.isPerDeviceAcceptanceRequired).to.equal(true);
    expect(agreementsOf(server).get(id)!.displayName, "nothing was written").to.not.equal("Renamed");
  });

  it("diff: an in-place change is never a replacement, and a replacement deletes nothing first", async () => {
    const { id, outs } = await create();
    expect(await provider.diff(id, outs, inputs({ displayName: "Renamed" }))).to.deep.equal({ changes: true, replaces: [], deleteBeforeReplace: false });
    expect(await provider.diff(id, outs, inputs())).to.deep.equal({ changes: false, replaces: [], deleteBeforeReplace: false });
    const replaced = await provider.diff(id, outs, inputs({ reacceptanceFrequency: "P30D", allowReplacementDestroyingAcceptances: true }));
    expect(replaced).to.deep.equal({ changes: true, replaces: ["userReacceptRequiredFrequency"], deleteBeforeReplace: false });
    expect(await provider.check({}, inputs())).to.deep.equal({ inputs: inputs() });
  });

  it("state from before the provider kept every field reads and diffs with safe values (older than any version: updated)", async () => {
    const { id, outs } = await create();
    const { providerVersion: _v, label: _l, isPerDeviceAcceptanceRequired: _p, allowDeletion: _d, ...old } = outs;
    void [_v, _l, _p, _d];
    const read = await provider.read(id, old as AgreementState);
    expect(read.props).to.deep.include({ label: `agreement ${id}`, isPerDeviceAcceptanceRequired: false, allowDeletion: false, providerVersion: "0" });
    expect((await provider.diff(id, old as AgreementState, inputs())).changes, "the version moves on").to.equal(true);
    const err = await provider.delete(id, old as AgreementState).catch((e: Error) => e);
    expect((err as Error).message).to.contain(`agreement ${id}: refusing to delete agreement ${id}`);
    expect((err as Error).message).to.contain("run `pulumi state delete` on its URN.");
  });

  describe("faults", () => {
    // Faults carry Retry-After: 0 so the SDK's retry honours it without real sleeps; back-off without the header is
    // covered by tests/graph/client.test.ts.
    it("retries a 429 with Retry-After (Graph refused it: nothing was created) and creates exactly one agreement", async () => {
      const before = agreementsOf(server).size;
      const mark = server.requests.length;
      server.failNext({ method: "POST", path: AGREEMENTS, status: 429, retryAfter: 0 });
      await create();
      expect(
        since(mark)
          .filter((r) => r.method === "POST" && r.path === AGREEMENTS)
          .map((r) => r.status),
      ).to.deep.equal([429, 201]);
      expect(agreementsOf(server).size).to.equal(before + 1);
    });

    it("never re-sends a create after a 5xx: one that did not land fails the run, nothing is created", async () => {
      const before = agreementsOf(server).size;
      const mark = server.requests.length;
      server.failNext({ method: "POST", path: AGREEMENTS, status: 502, retryAfter: 0 });
      const err = await provider.create(inputs({ displayName: "Lost before commit" })).catch((e: Error) => e);
      expect((err as Error).message).to.contain("HTTP 502");
      expect(
        since(mark)
          .filter((r) => r.method === "POST" && r.path === AGREEMENTS)
          .map((r) => r.status),
      ).to.deep.equal([502]);
      expect(agreementsOf(server).size).to.equal(before);
    });

    it("a 5xx after Graph committed the create: not re-sent; the agreement is found and adopted, exactly one exists", async () => {
      const before = agreementsOf(server).size;
      const mark = server.requests.length;
      server.failNext({ method: "POST", path: AGREEMENTS, status: 503, afterCommit: true });
      const { id, outs } = await provider.create(inputs({ displayName: "Lost after commit" }));
      expect(since(mark).filter((r) => r.method === "POST" && r.path === AGREEMENTS)).to.have.length(1);
      expect(agreementsOf(server).size).to.equal(before + 1);
      expect(
        agreementsOf(server)
          .get(id)!
          .files.map((f) => f.language)
          .sort(),
      ).to.deep.equal(["en-US", "nl-NL"]);
      expect(outs.files.map((f) => f.language)).to.deep.equal(["en-US", "nl-NL"]);
    });

    it("polls through 404s right after a create (replication lag)", async () => {
      const mark = server.requests.length;
      server.failNext({ method: "GET", path: ONE, status: 404, times: 2 });
      server.failNext({ method: "POST", path: FILES, status: 404 });
      const { id } = await create();
      expect(
        since(mark)
          .filter((r) => r.path !== AGREEMENTS)
          .map((r) => `${r.method} ${r.status}`),
      ).to.deep.equal(["GET 404", "GET 404", "GET 200", "POST 404", "POST 200"]);
      expect(agreementsOf(server).get(id)!.files).to.have.length(2);
    });

    it("stops retrying at the bound and names the agreement, the step and Graph's error", async () => {
      const { id, outs } = await create();
      server.failNext({ method: "PATCH", path: ONE, status: 503, times: 10, retryAfter: 0, message: "Service is busy" });
      const mark = server.requests.length;
      const err = await provider.update(id, outs, inputs({ displayName: "Renamed" })).catch((e: Error) => e);
      expect((err as Error).message).to.contain(
        "updating the display name / view-before-accept setting for stack test-tenant › terms of use contoso-terms failed: HTTP 503 ServiceUnavailable: Service is busy",
      );
      expect(since(mark).filter((r) => r.method === "PATCH")).to.have.length(1 + connection.retry!.maxRetries);
    });

    it("an app-only sign-in is refused by Graph, and the error explains the delegated-only permission", async () => {
      // The same run as CI's service principal would make it: client credentials, an app-only token. Validation
      // refuses that credential for terms of use, so the provider is given it directly, as a stale state would.
      const appOnly = { ...inputs(), connection: { ...connection, credential: "environment" as const } };
      const err = await provider.create(appOnly).catch((e: Error) => e);
      const message = (err as Error).message;
      expect(message).to.contain(
        "creating the agreement for stack test-tenant › terms of use contoso-terms failed: HTTP 403 Authorization_RequestDenied: Insufficient privileges",
      );
      expect(message).to.contain('signed in with the "environment" credential, which gets an app-only token');
      expect(message).to.contain("delegated-only");
      expect(message).to.contain("Conditional Access Administrator or Security Administrator");
      expect(message).to.contain("azureCli");
    });

    it("records a partial create so the re-run adds the missing language instead of a duplicate agreement", async () => {
      const before = agreementsOf(server).size;
      server.failNext({ method: "POST", path: FILES, status: 400, code: "Request_BadRequest", message: "Something about the file" });
      const failure = await create().catch((e: unknown) => e);
      expect(isPartialFailure(failure)).to.equal(true);
      const partial = failure as PartialFailure<AgreementState>;
      expect(partial.message).to.contain(
        "posting the nl-NL file (new language) for stack test-tenant › terms of use contoso-terms failed: HTTP 400 Request_BadRequest: Something about the file",
      );
      expect(partial.properties.files.map((f) => f.language)).to.deep.equal(["en-US"]);
      const declared = inputs();
      const diff = await provider.diff(partial.id, partial.properties, declared);
      expect([diff.changes, diff.replaces]).to.deep.equal([true, []]);
      await provider.update(partial.id, partial.properties, declared);
      expect(agreementsOf(server).size).to.equal(before + 1);
      expect(
        agreementsOf(server)
          .get(partial.id)!
          .files.map((f) => f.language),
      ).to.deep.equal(["en-US", "nl-NL"]);
    });

    it("skips an upload that already landed when the previous run failed after Graph stored it", async () => {
      const { id, outs } = await create();
      const changed = inputs({
        files: [
          { language: "en-US", path: EN_V2, displayName: "Contoso terms of use", isDefault: true },
          { language: "nl-NL", path: NL, displayName: "Contoso gebruiksvoorwaarden" },
        ],
      });
      await provider.update(id, outs, changed); // landed, but suppose the engine never recorded it
      const mark = server.requests.length;
      await provider.update(id, outs, changed);
      expect(since(mark).filter((r) => r.method !== "GET")).to.deep.equal([]);
      expect(
        agreementsOf(server)
          .get(id)!
          .files.find((f) => f.language === "en-US")!.versions,
      ).to.have.length(1);
    });
  });

  describe("when Graph returns no file content", () => {
    let quiet: GraphServer;
    let quietConnection: Connection;
    let restoreQuiet: () => void;
    before(async () => {
      quiet = await startGraphServer();
      registerAgreementRoutes(quiet, { returnFileData: false });
      ({ connection: quietConnection, restore: restoreQuiet } = localConnection(quiet, { credential: "deviceCode" }));
    });
    after(async () => {
      restoreQuiet();
      await quiet.close();
    });

    it("relies on the recorded hashes: nothing is re-uploaded, and only a changed PDF is posted", async () => {
      const declared = inputsFor({}, quietConnection);
      const { id, outs } = await provider.create(declared);
      const mark = quiet.requests.length;
      await provider.update(id, outs as AgreementState, { ...declared, providerVersion: "next" });
      expect(quiet.requests.slice(mark).filter((r) => r.method === "POST" && !/oauth2/.test(r.path))).to.deep.equal([]);
      const v2 = inputsFor(
        {
          files: [
            { language: "en-US", path: EN_V2, displayName: "Contoso terms of use", isDefault: true },
            { language: "nl-NL", path: NL, displayName: "Contoso gebruiksvoorwaarden" },
          ],
        },
        quietConnection,
      );
      await provider.update(id, outs as AgreementState, v2);
      expect(
        quiet
          .requestsTo("POST", FILES)
          .slice(1)
          .map((r) => (r.body as { language: string }).language),
      ).to.deep.equal(["en-US"]);
    });
  });
});
