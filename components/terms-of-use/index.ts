export { TermsOfUse, TermsOfUseFileSummary } from "./terms-of-use";
export { TermsOfUseArgs, TermsOfUseFile } from "./definition";
export { buildAgreementInputs } from "./validate";
export { planAgreementChange, AgreementChange, PlannedUpload, replacementRefusal } from "./changes";
export { buildCreateBody, buildFileBody, stateFromGraph } from "./requests";
export { agreementProvider, PartialFailure } from "./provider";
export { AgreementResource } from "./agreement-resource";
export * from "./model";
export { inspectPdf, MAX_PDF_BYTES, PDF_SIGNATURE } from "./pdf";
