import type { Agreement } from "@microsoft/microsoft-graph-types";
import { planAgreementChange, hasChanges, replacementRefusal } from "./changes";
import { AgreementCalls } from "./graph-calls";
import type { AgreementFileInput, AgreementFileState, AgreementInputs, AgreementState } from "./model";
import { readDeclaredPdf } from "./pdf";
import { createOnce, lookupPace } from "../../lib/managed/create-once";
import { ManagedProvider, ManagedType, partialFailure } from "../../lib/managed/resource";
import { MANAGED_TYPES } from "../../lib/managed/tokens";
import { buildCreateBody, buildFileBody, defaultFileOf, fileState, stateFromGraph } from "./payload";

/**
 * Entra ID terms of use over Microsoft Graph, as a Pulumi dynamic provider. Serialized into state and run by the
 * engine in another process: every method builds its own Graph client from the `connection` input.
 */
export const agreementProvider: ManagedProvider<AgreementInputs, AgreementState> = {
  async check(_olds, news) {
    return { inputs: news };
  },

  async diff(_id, olds, news) {
    const change = planAgreementChange(withDefaults(olds, _id), news);
    if (change.replaces.length > 0 && !news.allowReplacementDestroyingAcceptances) {
      throw new Error(replacementRefusal(news.label, change.replaceReasons));
    }
    return { changes: hasChanges(change), replaces: [...change.replaces], deleteBeforeReplace: false };
  },

  async create(inputs) {
    const calls = new AgreementCalls(inputs.connection, inputs.label);
    if (inputs.adoptAgreementId) {
      const id = inputs.adoptAgreementId;
      const existing = await calls.find(id, "reading the agreement to adopt");
      if (!existing)
        throw new Error(`${inputs.label}: cannot adopt agreement ${id}: Graph has no agreement with that ID in tenant ${inputs.connection.tenantId}.`);
      const state = await reconcile(calls, id, existing, inputs, [], false, (reasons) =>
        [
          `${inputs.label}: cannot adopt agreement ${id}: it differs from the declaration in settings Graph cannot change:`,
          ...reasons.map((r) => `  - ${r}`),
          "Declare what the tenant has (see the portal's terms of use page), then adopt.",
        ].join("\n"),
      );
      return { id, outs: state };
    }

    const defaultFile = defaultFileOf(inputs.files);
    const body = buildCreateBody(inputs, readDeclaredPdf(defaultFile, inputs.label));
    // Sent once: after a 5xx or a lost reply the agreement is looked for, and adopted if it landed.
    const { value: created } = await createOnce<Agreement>({
      findFirst: false,
      lookups: lookupPace(inputs.connection),
      send: () => calls.create(body),
      find: () => calls.findJustCreated(body),
    });
    const id = created.id ?? "";
    const recorded = [fileState(defaultFile, created.files?.[0]?.id ?? "")];
    let agreement: Agreement;
    try {
      agreement = await calls.getAfterCreate(id, "reading the new agreement");
    } catch (err) {
      throw partialFailure((err as Error).message, id, { ...inputs, files: recorded });
    }
    const state = await reconcile(
      calls,
      id,
      agreement,
      inputs,
      recorded,
      true,
      (reasons) => `${inputs.label}: agreement ${id} was created differently from the declaration: ${reasons.join("; ")}`,
    );
    return { id, outs: state };
  },

  async read(id, props) {
    if (!props?.connection) {
      throw new Error(
        `cannot read agreement ${id}: its state has no connection. Pulumi cannot import dynamic-provider resources (pulumi/pulumi#16175); ` +
          'adopt an existing agreement with the TermsOfUse argument existingAgreementId instead (docs/terms-of-use.md, "Import").',
      );
    }
    const known = withDefaults(props, id);
    const agreement = await new AgreementCalls(known.connection, known.label).find(id, "reading the agreement");
    // An agreement deleted outside Pulumi is gone, not an error: an empty ID tells the engine so.
    if (!agreement) return {};
    const state = stateFromGraph(agreement, known);
    // Drift is in `props` (the state diff compares); the declared inputs keep their PDF paths, which Graph never returns.
    return { id, props: state };
  },

  async update(id, olds, news) {
    const calls = new AgreementCalls(news.connection, news.label);
    const current = await calls.find(id, "reading the agreement before updating it");
    if (!current) {
      throw new Error(
        `${news.label}: agreement ${id} no longer exists in the tenant (deleted outside Pulumi). Run \`pulumi refresh\`, then \`pulumi up\` to create it again.`,
      );
    }
    const state = await reconcile(calls, id, current, news, olds.files ?? [], false, (reasons) =>
      [
        `${news.label}: agreement ${id} was changed outside Pulumi in settings Graph cannot change:`,
        ...reasons.map((r) => `  - ${r}`),
        "Run `pulumi refresh` and review the plan.",
      ].join("\n"),
    );
    return { outs: state };
  },

  async delete(id, props) {
    const known = withDefaults(props, id);
    if (!known.allowDeletion) {
      throw new Error(
        `${known.label}: refusing to delete agreement ${id}: Entra deletes every user's acceptance record with it. ` +
          "To delete it, set allowDeletion: true and run `pulumi up` before removing it. To stop managing it but keep it in the tenant, " +
          "run `pulumi state delete` on its URN.",
      );
    }
    await new AgreementCalls(known.connection, known.label).delete(id);
  },
};

export const AGREEMENT_TYPE: ManagedType<AgreementInputs, AgreementState> = { typeName: MANAGED_TYPES.agreement, provider: agreementProvider };

/**
 * Brings the live agreement to the declaration: PATCH what Graph can patch, post files whose content or names
 * differ. Compares against Graph's answer (hashing the content when Graph returns it) rather than only the
 * recorded state, so a re-run after a failure skips what already landed.
 */
async function reconcile(
  calls: AgreementCalls,
  id: string,
  current: Agreement,
  news: AgreementInputs,
  knownFiles: readonly AgreementFileState[],
  justCreated: boolean,
  onReplace: (reasons: readonly string[]) => string,
): Promise<AgreementState> {
  let state = stateFromGraph(current, { ...news, files: knownFiles });
  const change = planAgreementChange(state, news);
  if (change.replaces.length > 0) throw partialFailure(onReplace(change.replaceReasons), id, state);
  try {
    if (change.patch) {
      await calls.patch(id, change.patch);
      state = { ...state, ...change.patch };
    }
    for (const upload of change.uploads) {
      const step = `posting the ${upload.file.language} file (${upload.reason}${upload.isMajorVersion ? ", major version" : ""})`;
      const posted = await calls.postFile(id, buildFileBody(upload.file, readDeclaredPdf(upload.file, news.label), upload.isMajorVersion), step, justCreated);
      state = { ...state, files: withFile(state.files, fileState(upload.file, posted.id ?? existingLocalizationId(state.files, upload.file))) };
    }
  } catch (err) {
    throw partialFailure((err as Error).message, id, state);
  }
  return state;
}

function withFile(files: readonly AgreementFileState[], file: AgreementFileState): AgreementFileState[] {
  return [...files.filter((f) => f.language.toLowerCase() !== file.language.toLowerCase()), file].sort((a, b) => a.language.localeCompare(b.language));
}

function existingLocalizationId(files: readonly AgreementFileState[], file: AgreementFileInput): string {
  return files.find((f) => f.language.toLowerCase() === file.language.toLowerCase())?.localizationId ?? "";
}

/** State written by an older provider, or bare props from an import, with safe values for what is missing. */
function withDefaults(props: Partial<AgreementState>, id: string): AgreementState {
  return {
    connection: props.connection!,
    label: props.label ?? `agreement ${id}`,
    displayName: props.displayName ?? "",
    isViewingBeforeAcceptanceRequired: props.isViewingBeforeAcceptanceRequired ?? false,
    isPerDeviceAcceptanceRequired: props.isPerDeviceAcceptanceRequired ?? false,
    userReacceptRequiredFrequency: props.userReacceptRequiredFrequency ?? null,
    termsExpiration: props.termsExpiration ?? null,
    files: props.files ?? [],
    adoptAgreementId: props.adoptAgreementId ?? null,
    allowReplacementDestroyingAcceptances: props.allowReplacementDestroyingAcceptances ?? false,
    allowDeletion: props.allowDeletion ?? false,
    // Missing means state from before the version input existed: older than any version, so the diff updates it.
    providerVersion: props.providerVersion ?? "0",
  };
}
