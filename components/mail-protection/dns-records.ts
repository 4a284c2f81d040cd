import * as dns from "@pulumi/azure-native/dns";
import { Provider as AzureNativeProvider } from "@pulumi/azure-native/provider";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_TTL, dmarcRecord, normalizeName, recordRelativeTo, spfRecord, txtStrings } from "../../lib/dns";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { MailDomainDefinition } from "./definition";

/** One DNS name and type with all its values: what Azure DNS calls a record set, and one row per value for a DNS host. */
export interface PlannedRecordSet {
  /** Fully qualified, lower case, no trailing dot. */
  readonly name: string;
  readonly type: "TXT" | "CNAME";
  /** A CNAME's target comes from Exchange (known after the first `up`); TXT values are known from the declaration. */
  readonly values: readonly pulumi.Input<string>[];
  readonly ttl: number;
  /** What the record is for, in the administrator's words. */
  readonly purpose: string;
}

export type AzureZone = NonNullable<TenantSettings["dns"]>["azureZones"][number];

/** The DKIM selector targets Exchange gave the domain (outputs of its DkimSigningConfig), when DKIM is declared. */
export interface SelectorTargets {
  readonly selector1: pulumi.Input<string>;
  readonly selector2: pulumi.Input<string>;
}

/**
 * Every record a sending domain needs (Microsoft: "Set up SPF/DKIM/DMARC", defender-office-365 email-authentication
 * pages): the two DKIM selector CNAMEs, the DMARC TXT at `_dmarc`, and the apex TXT with SPF beside the domain's other
 * TXT values (one record set holds every TXT value of a name).
 */
export function domainRecordSets(d: MailDomainDefinition, cloud: TenantSettings["graph"]["cloud"], selectors?: SelectorTargets): PlannedRecordSet[] {
  const domain = normalizeName(d.domain);
  const dmarc = dmarcRecord(domain, d.dmarc);
  const spf = spfRecord(domain, d.spf ?? {}, cloud);
  const cname = (n: 1 | 2, target: pulumi.Input<string>): PlannedRecordSet => ({
    name: `selector${n}._domainkey.${domain}`,
    type: "CNAME",
    values: [target],
    ttl: DEFAULT_TTL,
    purpose: `DKIM selector ${n}: Exchange's public key for signing`,
  });
  return [
    ...(selectors ? [cname(1, selectors.selector1), cname(2, selectors.selector2)] : []),
    { name: dmarc.name, type: "TXT", values: [dmarc.value], ttl: dmarc.ttl ?? DEFAULT_TTL, purpose: `DMARC, stage ${d.dmarc.stage}` },
    {
      name: spf.name,
      type: "TXT",
      values: [spf.value, ...(d.otherApexTxt ?? [])],
      ttl: spf.ttl ?? DEFAULT_TTL,
      purpose: "SPF (and the domain's other TXT values)",
    },
  ];
}

/** The declared Azure DNS zone holding the domain: the zone itself or its closest parent. */
export function azureZoneFor(tenant: Pick<TenantSettings, "dns">, domain: string): AzureZone | undefined {
  const name = normalizeName(domain);
  return (tenant.dns?.azureZones ?? [])
    .filter((z) => name === normalizeName(z.zone) || name.endsWith(`.${normalizeName(z.zone)}`))
    .sort((a, b) => b.zone.length - a.zone.length)[0];
}

/**
 * The record sets as Azure DNS resources (`azure-native:dns:RecordSet`), children of `parent`, named by the domain's
 * logical name and the record's own name so a plan reads them. A zone in another subscription gets its own provider.
 */
export function declareAzureRecordSets(parent: pulumi.Resource, name: string, zone: AzureZone, sets: readonly PlannedRecordSet[]): dns.RecordSet[] {
  const provider = zone.subscriptionId ? new AzureNativeProvider(`${name}-dns-subscription`, { subscriptionId: zone.subscriptionId }, { parent }) : undefined;
  return sets.map((set) => {
    const relative = recordRelativeTo(zone.zone, set.name);
    const label = relative === "@" ? "apex" : relative.replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
    return new dns.RecordSet(
      `${name}-${label}-${set.type.toLowerCase()}`,
      {
        resourceGroupName: zone.resourceGroup,
        zoneName: normalizeName(zone.zone),
        relativeRecordSetName: relative,
        recordType: set.type,
        ttl: set.ttl,
        ...(set.type === "CNAME"
          ? { cnameRecord: { cname: set.values[0] } }
          : { txtRecords: set.values.map((v) => ({ value: pulumi.output(v).apply(txtStrings) })) }),
      },
      // Retained when the declaration goes: the apex TXT set also holds the domain's verification record, and
      // removing SPF, DMARC or the DKIM CNAMEs of a domain that still sends mail would break its delivery.
      { parent, retainOnDelete: true, ...(provider ? { provider } : {}) },
    );
  });
}
