import * as pulumi from "@pulumi/pulumi";
import { normalizeName } from "../../lib/dns";
import type { PollSettings } from "../../lib/managed/poll";
import { TOKENS } from "../../lib/managed/tokens";
import type { TenantSettings } from "../../lib/tenant-settings";
import type { MailDomainDefinition } from "./definition";
import { DkimKeysResource } from "./dkim-keys-resource";
import { DkimSigningResource } from "./dkim-signing-resource";
import { azureZoneFor, declareAzureRecordSets, domainRecordSets, PlannedRecordSet } from "./dns-records";
import type { ExchangeTarget } from "../../lib/exchange";

export interface MailDomainArgs {
  readonly tenant: TenantSettings;
  /** Validated (validateMailProtection). */
  readonly domain: MailDomainDefinition;
  readonly exchange: ExchangeTarget;
  readonly poll?: PollSettings;
}

/** A record as a DNS host's form asks for it: one row per value. */
export interface DnsHostRecord {
  readonly name: string;
  readonly type: string;
  readonly value: string;
  readonly ttl: number;
  readonly purpose: string;
}

/** Stands for a CNAME target in the plan: Exchange chooses it when it creates the keys. */
export const FROM_EXCHANGE = "from Exchange (Selector1CNAME/Selector2CNAME), known after the first up";

/**
 * One sending domain, in the order the records need: DKIM keys (signing off) → the selector CNAMEs, DMARC and SPF
 * records (Azure DNS record sets when the tenant names the domain's zone; otherwise rows for the DNS host, in the plan
 * and in `dnsRecords`) → DKIM signing, switched on once Exchange sees the CNAMEs.
 */
export class MailDomain extends pulumi.ComponentResource {
  /** Every record for the domain's DNS host (empty when Azure DNS holds them), as a stack output. */
  readonly dnsRecords: pulumi.Output<DnsHostRecord[]>;
  /** DKIM signing after the last `up`: `Valid`, "waiting for the selector CNAME records: …", or "not declared". */
  readonly dkimStatus: pulumi.Output<string>;

  constructor(name: string, args: MailDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    const d = args.domain;
    const domain = normalizeName(d.domain);
    const dkim = { enabled: d.dkim?.enabled ?? true, keySize: d.dkim?.keySize ?? 2048 };
    const zone = azureZoneFor(args.tenant, domain);
    const cloud = args.tenant.graph.cloud;
    // What the plan records for the reviewer: the records as known before anything runs.
    const planned = domainRecordSets(d, cloud, dkim.enabled ? { selector1: FROM_EXCHANGE, selector2: FROM_EXCHANGE } : undefined);
    super(
      TOKENS.mailDomain,
      name,
      {
        domain,
        dkim,
        dmarc: d.dmarc,
        dnsHost: zone ? { azureZone: normalizeName(zone.zone), resourceGroup: zone.resourceGroup } : "external",
        records: hostRows(planned as readonly PlannedRecordSet[]).map((r) => ({ ...r })),
      },
      opts,
    );

    const keys = dkim.enabled ? new DkimKeysResource(`${name}-dkim-keys`, { ...args.exchange, domain, keySize: dkim.keySize }, { parent: this }) : undefined;
    const sets = domainRecordSets(d, cloud, keys ? { selector1: keys.selector1Cname, selector2: keys.selector2Cname } : undefined);
    const recordSets = zone ? declareAzureRecordSets(this, name, zone, sets) : [];
    const signing = keys
      ? new DkimSigningResource(
          `${name}-dkim-signing`,
          {
            ...args.exchange,
            domain,
            enabled: true,
            selector1Cname: keys.selector1Cname,
            selector2Cname: keys.selector2Cname,
            ...(args.poll ? { poll: args.poll } : {}),
          },
          // In Azure DNS the records exist before Exchange is asked to check them; a DNS host's come later, by hand.
          { parent: this, dependsOn: recordSets },
        )
      : undefined;

    this.dnsRecords = zone
      ? pulumi.output([])
      : pulumi
          .all(sets.map((set) => pulumi.all([...set.values])))
          .apply((values: string[][]) => hostRows(sets.map((set, k) => ({ ...set, values: values[k] }))));
    this.dkimStatus = signing ? signing.status : pulumi.output("not declared");
    this.registerOutputs({ dnsRecords: this.dnsRecords, dkimStatus: this.dkimStatus });
  }
}

/** One row per value, in the order a DNS host's form is filled in. */
function hostRows(sets: readonly PlannedRecordSet[]): DnsHostRecord[] {
  return sets.flatMap((s) => s.values.map((value) => ({ name: s.name, type: s.type, value: String(value), ttl: s.ttl, purpose: s.purpose })));
}
