// The mail-protection area's public face: declarations, the component, and the pure pieces a consumer may test with.
export * from "./definition";
export { MailProtection } from "./mail-protection";
export { MailDomain, DnsHostRecord } from "./mail-domain";
export { validateMailProtection } from "./validate";
export { domainRecordSets, azureZoneFor, PlannedRecordSet } from "./dns-records";
export { exceptionIdentity, presetRuleName, remoteDomainForwardingAllowed } from "./payload";
