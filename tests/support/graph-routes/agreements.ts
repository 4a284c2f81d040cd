import { GraphHttpError, GraphRequest, GraphServer } from "../graph-server";

/**
 * Graph's terms-of-use endpoints (`/identityGovernance/termsOfUse/agreements`, v1.0) on the local server: stateful,
 * schema-checked, with per-language files, their versions and acceptances.
 *
 * How Graph files a second `POST /agreements/{id}/files` for a language it already has is not documented. The
 * reading followed here (and by the provider) is the one the resource model documents: an agreement has one
 * `agreementFileLocalization` per language, and a localization's `versions` hold its earlier files. So posting an
 * existing language keeps that localization's ID, makes the posted file its current content, and moves the
 * previous file into `versions`. Acceptance records are never removed by a new version; a major version only
 * marks that language as needing acceptance again.
 */

export const AGREEMENTS = "/v1.0/identityGovernance/termsOfUse/agreements";

export interface StoredFile {
  readonly id: string;
  language: string;
  fileName: string;
  displayName: string;
  isDefault: boolean;
  isMajorVersion: boolean;
  createdDateTime: string;
  /** base64, as posted. */
  data: string;
  readonly versions: Omit<StoredFile, "versions">[];
}

export interface StoredAcceptance {
  readonly id: string;
  readonly userId: string;
  readonly language: string;
  readonly recordedDateTime: string;
  state: "accepted" | "declined";
}

export interface StoredAgreement {
  readonly id: string;
  displayName: string;
  isViewingBeforeAcceptanceRequired: boolean;
  isPerDeviceAcceptanceRequired: boolean;
  userReacceptRequiredFrequency: string | null;
  termsExpiration: { startDateTime: string; frequency: string } | null;
  readonly files: StoredFile[];
  readonly acceptances: StoredAcceptance[];
  /** Languages whose users must accept again after a major version. */
  readonly reacceptanceRequired: Set<string>;
}

export interface AgreementRouteOptions {
  /**
   * Whether `$expand=files` returns each file's `fileData.data`. Graph documents the property; when a tenant's
   * Graph leaves it out, the provider must fall back to the hashes it recorded. @default true
   */
  returnFileData?: boolean;
}

/** Only these can be PATCHed on an agreement (Graph "Update agreement", v1.0). */
const PATCHABLE = new Set(["displayName", "isViewingBeforeAcceptanceRequired"]);

export function agreementsOf(server: GraphServer): Map<string, StoredAgreement> {
  return server.collection<StoredAgreement>("agreements");
}

export function registerAgreementRoutes(server: GraphServer, options: AgreementRouteOptions = {}): void {
  // Every agreement API lists "Application: Not supported" (e.g. https://learn.microsoft.com/graph/api/termsofusecontainer-list-agreements):
  // an app-only token is refused, whatever permissions the app holds.
  server.requireTokenFor(/^\/v1\.0\/identityGovernance\/termsOfUse\//, {
    kind: "delegated",
    refusalCode: "Authorization_RequestDenied",
    refusal: "Insufficient privileges to complete the operation.",
  });
  const store = agreementsOf(server);
  const find = (req: GraphRequest): StoredAgreement => {
    const found = store.get(req.params.id);
    if (!found)
      throw new GraphHttpError(
        404,
        "Request_ResourceNotFound",
        `Resource '${req.params.id}' does not exist or one of its queried reference-property objects are not present.`,
      );
    return found;
  };
  const withData = (): boolean => options.returnFileData ?? true;

  server.route("GET", AGREEMENTS, (req, s) =>
    s.page(
      req,
      [...store.values()].map((a) => agreementView(a, false, false)),
    ),
  );

  server.route("POST", AGREEMENTS, (req, s) => {
    s.requireValid("agreement", req.body);
    const body = req.body as Record<string, unknown>;
    if (typeof body.displayName !== "string" || !body.displayName) throw new GraphHttpError(400, "Request_BadRequest", "displayName is required");
    const files = (body.files ?? []) as Record<string, unknown>[];
    if (files.length === 0) throw new GraphHttpError(400, "Request_BadRequest", "An agreement needs at least one file");
    const agreement: StoredAgreement = {
      id: s.newId(),
      displayName: body.displayName,
      isViewingBeforeAcceptanceRequired: body.isViewingBeforeAcceptanceRequired === true,
      isPerDeviceAcceptanceRequired: body.isPerDeviceAcceptanceRequired === true,
      userReacceptRequiredFrequency: (body.userReacceptRequiredFrequency as string | undefined) ?? null,
      termsExpiration: (body.termsExpiration as StoredAgreement["termsExpiration"] | undefined) ?? null,
      files: [],
      acceptances: [],
      reacceptanceRequired: new Set(),
    };
    files.forEach((f, i) =>
      agreement.files.push(newFile(s, f, files.length === 1 || f.isDefault === true || (i === 0 && !files.some((x) => x.isDefault === true)))),
    );
    store.set(agreement.id, agreement);
    return { status: 201, body: agreementView(agreement, true, false) };
  });

  server.route("GET", `${AGREEMENTS}/:id`, (req) => ({ status: 200, body: agreementView(find(req), req.query["$expand"] === "files", withData()) }));

  server.route("PATCH", `${AGREEMENTS}/:id`, (req, s) => {
    const agreement = find(req);
    s.requireValid("agreement", req.body);
    const body = req.body as Record<string, unknown>;
    const refused = Object.keys(body).filter((k) => !PATCHABLE.has(k) && !k.startsWith("@odata"));
    if (refused.length > 0) throw new GraphHttpError(400, "Request_BadRequest", `Property '${refused[0]}' cannot be updated on an existing agreement`);
    if (typeof body.displayName === "string") agreement.displayName = body.displayName;
    if (typeof body.isViewingBeforeAcceptanceRequired === "boolean") agreement.isViewingBeforeAcceptanceRequired = body.isViewingBeforeAcceptanceRequired;
    return { status: 204 };
  });

  server.route("DELETE", `${AGREEMENTS}/:id`, (req) => {
    find(req);
    store.delete(req.params.id);
    return { status: 204 };
  });

  server.route("POST", `${AGREEMENTS}/:id/files`, (req, s) => {
    const agreement = find(req);
    s.requireValid("agreementFileLocalization", req.body);
    const body = req.body as Record<string, unknown>;
    const language = String(body.language ?? "");
    const existing = agreement.files.find((f) => f.language.toLowerCase() === language.toLowerCase());
    if (!existing) {
      if (body.isDefault === true && agreement.files.some((f) => f.isDefault)) {
        throw new GraphHttpError(400, "Request_BadRequest", "The agreement already has a default file");
      }
      const file = newFile(s, body, false);
      agreement.files.push(file);
      return { status: 200, body: fileView(file, false) };
    }
    const posted = newFile(s, body, existing.isDefault);
    const { versions, ...previous } = existing;
    versions.push({ ...previous, id: s.newId() });
    Object.assign(existing, {
      fileName: posted.fileName,
      displayName: posted.displayName,
      isMajorVersion: posted.isMajorVersion,
      createdDateTime: posted.createdDateTime,
      data: posted.data,
    });
    if (posted.isMajorVersion) agreement.reacceptanceRequired.add(existing.language);
    return { status: 200, body: fileView(existing, false) };
  });

  server.route("GET", `${AGREEMENTS}/:id/files`, (req, s) =>
    s.page(
      req,
      find(req).files.map((f) => fileView(f, withData())),
    ),
  );

  server.route("GET", `${AGREEMENTS}/:id/file`, (req) => {
    const agreement = find(req);
    const main = agreement.files.find((f) => f.isDefault) ?? agreement.files[0];
    return { status: 200, body: { ...fileView(main, withData()), localizations: agreement.files.map((f) => fileView(f, withData())) } };
  });

  server.route("GET", `${AGREEMENTS}/:id/file/localizations/:localizationId/versions`, (req, s) => {
    const file = find(req).files.find((f) => f.id === req.params.localizationId);
    if (!file) throw new GraphHttpError(404, "Request_ResourceNotFound", `Localization '${req.params.localizationId}' does not exist`);
    return s.page(
      req,
      file.versions.map((v) => ({ ...fileView({ ...v, versions: [] }, withData()), versions: undefined })),
    );
  });

  server.route("GET", `${AGREEMENTS}/:id/acceptances`, (req, s) =>
    s.page(
      req,
      find(req).acceptances.map((a) => ({ id: a.id, agreementId: req.params.id, userId: a.userId, state: a.state, recordedDateTime: a.recordedDateTime })),
    ),
  );
}

/** An agreement made outside Pulumi (e.g. in the portal), for import and drift tests. */
export function seedAgreement(
  server: GraphServer,
  agreement: Partial<Omit<StoredAgreement, "files" | "id">> & {
    files: { language: string; fileName: string; displayName: string; isDefault: boolean; data: Buffer }[];
  },
): StoredAgreement {
  const stored: StoredAgreement = {
    id: server.newId(),
    displayName: "Portal terms",
    isViewingBeforeAcceptanceRequired: false,
    isPerDeviceAcceptanceRequired: false,
    userReacceptRequiredFrequency: null,
    termsExpiration: null,
    acceptances: [],
    reacceptanceRequired: new Set(),
    ...agreement,
    files: agreement.files.map((f) => ({
      ...f,
      id: server.newId(),
      isMajorVersion: false,
      createdDateTime: new Date().toISOString(),
      data: f.data.toString("base64"),
      versions: [],
    })),
  };
  agreementsOf(server).set(stored.id, stored);
  return stored;
}

/** A user accepting the agreement: the history the feature exists to keep. */
export function acceptAgreement(server: GraphServer, agreementId: string, userId: string, language: string): StoredAcceptance {
  const acceptance: StoredAcceptance = { id: server.newId(), userId, language, recordedDateTime: new Date().toISOString(), state: "accepted" };
  agreementsOf(server).get(agreementId)!.acceptances.push(acceptance);
  return acceptance;
}

function newFile(server: GraphServer, body: Record<string, unknown>, isDefault: boolean): StoredFile {
  const data = ((body.fileData as { data?: string } | undefined)?.data ?? "") as string;
  if (!body.language || !body.fileName) throw new GraphHttpError(400, "Request_BadRequest", "language and fileName are required for an agreement file");
  if (!Buffer.from(data, "base64").subarray(0, 5).equals(Buffer.from("%PDF-"))) {
    throw new GraphHttpError(400, "Request_BadRequest", `File '${String(body.fileName)}' is not a PDF document`);
  }
  return {
    id: server.newId(),
    language: String(body.language),
    fileName: String(body.fileName),
    displayName: String(body.displayName ?? ""),
    isDefault,
    isMajorVersion: body.isMajorVersion === true,
    createdDateTime: new Date().toISOString(),
    data,
    versions: [],
  };
}

function agreementView(a: StoredAgreement, withFiles: boolean, withData: boolean): Record<string, unknown> {
  return {
    id: a.id,
    displayName: a.displayName,
    isViewingBeforeAcceptanceRequired: a.isViewingBeforeAcceptanceRequired,
    isPerDeviceAcceptanceRequired: a.isPerDeviceAcceptanceRequired,
    userReacceptRequiredFrequency: a.userReacceptRequiredFrequency,
    termsExpiration: a.termsExpiration,
    ...(withFiles ? { files: a.files.map((f) => fileView(f, withData)) } : {}),
  };
}

function fileView(f: StoredFile, withData: boolean): Record<string, unknown> {
  return {
    id: f.id,
    language: f.language,
    fileName: f.fileName,
    displayName: f.displayName,
    isDefault: f.isDefault,
    isMajorVersion: f.isMajorVersion,
    createdDateTime: f.createdDateTime,
    fileData: withData ? { data: f.data } : null,
  };
}
