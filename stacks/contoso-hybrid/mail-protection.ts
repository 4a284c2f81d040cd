import { MailProtection } from "../../components/mail-protection";
import type { TenantSettings } from "../../lib/tenant-settings";

/**
 * Contoso's mail protection. contoso.com's zone is in Azure DNS (tenant setting dns.azureZones), so its DKIM, DMARC
 * and SPF records are Azure DNS record sets. DMARC is past monitoring: quarantine for half of failing mail while the
 * reports are watched. The on-premises Exchange server still relays some mail (its address in SPF).
 */
export function contosoMailProtection(tenant: TenantSettings): MailProtection {
  return new MailProtection("mail-protection", {
    tenant,
    forwarding: {
      exceptions: [
        {
          name: "helpdesk-ticketing",
          reason: "The helpdesk mailbox forwards to the outsourced ticketing provider (contract HD-2025-14, reviewed yearly).",
          senders: ["helpdesk@contoso.com"],
        },
      ],
    },
    domains: [
      {
        domain: "contoso.com",
        dmarc: { stage: "quarantine", percent: 50, aggregateReports: ["dmarc-reports@contoso.com"] },
        spf: { ip4: ["203.0.113.25"] },
        // The Microsoft 365 domain verification record lives at the apex beside SPF.
        otherApexTxt: ["MS=ms48213579"],
      },
    ],
    presets: [
      { level: "standard", domains: ["contoso.com"] },
      { level: "strict", groups: ["executives@contoso.com"] },
    ],
  });
}
