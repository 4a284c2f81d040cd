/**
 * Every type token the library registers, in one place: components, plan describers, the policy pack and tests
 * import them from here, so a token can never drift between the code that declares a resource and the code that
 * recognises it.
 */

/** The module part of every managed-object token: `pulumi-nodejs:dynamic/m365-baseline:<Type>`. */
export const MANAGED_MODULE = "m365-baseline";

/**
 * What every dynamic resource was registered as before managed objects had their own types. Each managed type
 * carries an alias from it, so a stack created by an earlier version is updated in place, not replaced.
 */
export const LEGACY_DYNAMIC_TYPE = "pulumi-nodejs:dynamic:Resource";

/** The token the SDK gives a dynamic resource registered with module MANAGED_MODULE and this type name. */
export function managedToken(typeName: string): string {
  return `pulumi-nodejs:dynamic/${MANAGED_MODULE}:${typeName}`;
}

/** Managed objects: Microsoft 365 objects with no resource in a Pulumi provider, managed by our dynamic providers. */
export const MANAGED_TYPES = {
  agreement: "TermsOfUseAgreement",
  defenderIpRange: "DefenderIpRange",
  roomMailbox: "RoomMailbox",
  roomAccount: "RoomAccount",
  roomList: "RoomList",
  forwardingDefaults: "ExternalForwardingDefaults",
  forwardingException: "ExternalForwardingException",
  dkimKeys: "DkimSigningConfig",
  dkimSigning: "DkimSigning",
  presetSecurityPolicy: "PresetSecurityPolicy",
} as const;

export const TOKENS = {
  agreement: managedToken(MANAGED_TYPES.agreement),
  defenderIpRange: managedToken(MANAGED_TYPES.defenderIpRange),
  roomMailbox: managedToken(MANAGED_TYPES.roomMailbox),
  roomAccount: managedToken(MANAGED_TYPES.roomAccount),
  roomList: managedToken(MANAGED_TYPES.roomList),
  forwardingDefaults: managedToken(MANAGED_TYPES.forwardingDefaults),
  forwardingException: managedToken(MANAGED_TYPES.forwardingException),
  dkimKeys: managedToken(MANAGED_TYPES.dkimKeys),
  dkimSigning: managedToken(MANAGED_TYPES.dkimSigning),
  presetSecurityPolicy: managedToken(MANAGED_TYPES.presetSecurityPolicy),
  conditionalAccessPolicy: "azuread:index/conditionalAccessPolicy:ConditionalAccessPolicy",
  /** The library's own component wrapping one policy (its review: exclusions, opt-outs). */
  conditionalAccessComponent: "m365-baseline:conditionalaccess:Policy",
  conditionalAccessPolicySet: "m365-baseline:conditionalaccess:PolicySet",
  termsOfUseComponent: "m365-baseline:termsofuse:TermsOfUse",
  /** A tenant's rooms and room lists; parent of every RoomMailbox and RoomList component. */
  roomSet: "m365-baseline:rooms:RoomSet",
  roomMailboxComponent: "m365-baseline:rooms:RoomMailbox",
  roomListComponent: "m365-baseline:rooms:RoomList",
  sessionComponent: "m365-baseline:cloudappsecurity:Session",
  /** A declared Defender for Cloud Apps session policy (portal-only: carried as reviewed data, see the runbook). */
  sessionPolicy: "m365-baseline:cloudappsecurity:SessionPolicy",
  /** Declared Defender integrations around session control (no API or not managed yet: reviewed data, see the runbook). */
  defenderIntegrations: "m365-baseline:cloudappsecurity:DefenderIntegrations",
  namedLocation: "azuread:index/namedLocation:NamedLocation",
  randomPassword: "random:index/randomPassword:RandomPassword",
  /** A tenant's mail protection: forwarding control, its domains, preset security policies. */
  mailProtection: "m365-baseline:mailprotection:MailProtection",
  /** One sending domain: DKIM keys and signing, and its DNS records (Azure DNS or a table for the DNS host). */
  mailDomain: "m365-baseline:mailprotection:MailDomain",
  dnsRecordSet: "azure-native:dns:RecordSet",
} as const;
