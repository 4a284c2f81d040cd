import * as pulumi from "@pulumi/pulumi";
import { byLogicalName } from "../../lib/logical-order";
import { TOKENS } from "../../lib/managed/tokens";
import { normalizeName } from "../../lib/dns";
import type { MailProtectionArgs } from "./definition";
import { exchangeTargetFor, listOf } from "../../lib/exchange";
import { ForwardingDefaultsResource } from "./forwarding-defaults-resource";
import { ForwardingExceptionResource } from "./forwarding-exception-resource";
import { DnsHostRecord, MailDomain } from "./mail-domain";
import { exceptionIdentity, remoteDomainForwardingAllowed } from "./payload";
import { presetScopeInputs } from "./preset-provider";
import { PresetSecurityPolicyResource } from "./preset-resource";
import { validateMailProtection } from "./validate";

/**
 * A tenant's Exchange Online mail protection: external forwarding off but for reviewed exceptions, DKIM/DMARC/SPF for
 * each sending domain, and the preset security policies. Everything is validated first; nothing is declared when
 * anything is wrong. Order of the arrays never matters (logical names are the identity).
 */
export class MailProtection extends pulumi.ComponentResource {
  /** Records for DNS hosts outside Azure DNS, by domain (a stack output to hand to the DNS host). */
  readonly dnsRecords: pulumi.Output<Record<string, DnsHostRecord[]>>;
  /** DKIM signing per domain after the last `up`. */
  readonly dkimStatus: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: MailProtectionArgs, opts?: pulumi.ComponentResourceOptions) {
    validateMailProtection(args);
    super(TOKENS.mailProtection, name, {}, opts);

    const exchange = exchangeTargetFor(args.tenant, "mailProtection", args.endpoints);
    const exceptions = args.forwarding.exceptions ?? [];

    new ForwardingDefaultsResource(
      // Children are named by what they manage, not by this component: the Exchange objects are the tenant's, one
      // each, so a renamed component must not create a second resource for the same object and delete the first.
      "forwarding-defaults",
      {
        ...exchange,
        autoForwardingMode: "Off",
        remoteDomainAutoForward: remoteDomainForwardingAllowed(exceptions),
        exceptionPolicies: exceptions.map((e) => exceptionIdentity(e.name)).sort(),
        otherPoliciesForwarding: [],
      },
      { parent: this },
    );
    for (const e of byLogicalName(exceptions)) {
      new ForwardingExceptionResource(
        `forwarding-${e.name.toLowerCase()}`,
        {
          ...exchange,
          name: e.name.toLowerCase(),
          reason: e.reason.trim(),
          senders: listOf(e.senders),
          senderGroups: listOf(e.senderGroups),
          autoForwardingMode: "On",
          ruleState: "Enabled",
        },
        { parent: this },
      );
    }

    const domains = [...(args.domains ?? [])].sort((a, b) => normalizeName(a.domain).localeCompare(normalizeName(b.domain)));
    const declared = domains.map((d) => ({
      domain: normalizeName(d.domain),
      component: new MailDomain(
        normalizeName(d.domain),
        { tenant: args.tenant, domain: d, exchange, ...(args.poll ? { poll: args.poll } : {}) },
        { parent: this },
      ),
    }));

    for (const p of [...(args.presets ?? [])].sort((a, b) => a.level.localeCompare(b.level))) {
      new PresetSecurityPolicyResource(
        `preset-${p.level}`,
        { ...exchange, level: p.level, ...presetScopeInputs(p), defenderForOffice365: p.defenderForOffice365 ?? true, state: "Enabled" },
        { parent: this },
      );
    }

    this.dnsRecords = pulumi.all(Object.fromEntries(declared.map((d) => [d.domain, d.component.dnsRecords])));
    this.dkimStatus = pulumi.all(Object.fromEntries(declared.map((d) => [d.domain, d.component.dkimStatus])));
    this.registerOutputs({ dnsRecords: this.dnsRecords, dkimStatus: this.dkimStatus });
  }
}
