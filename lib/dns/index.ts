/**
 * Mail-authentication DNS records: SPF, DMARC, and the record plumbing they share. Pure except `createTxtResolver`,
 * which reads live DNS for preflight.
 */
export * from "./records";
export * from "./dmarc";
export * from "./spf";
export { checkSpfTerms, isSpfText, parseSpfTerms, SPF_MECHANISMS } from "./spf-terms";
export type { SpfMechanism, SpfMechanismName, SpfModifier, SpfQualifier, SpfRecordRole, SpfTerm } from "./spf-terms";
export { createTxtResolver } from "./resolver";
export type { TxtResolverOptions } from "./resolver";
