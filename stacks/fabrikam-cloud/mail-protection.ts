import { MailProtection } from "../../components/mail-protection";
import type { TenantSettings } from "../../lib/tenant-settings";

/**
 * Fabrikam's mail protection. fabrikam.com is hosted at its registrar, not in Azure DNS: the plan and the stack output
 * `dnsRecords` list the records to enter there. DMARC starts at monitoring, with reports, as Microsoft advises.
 * Fabrikam has no Defender for Office 365 licences: the Standard preset applies its Exchange Online Protection part.
 */
export function fabrikamMailProtection(tenant: TenantSettings): MailProtection {
  return new MailProtection("mail-protection", {
    tenant,
    forwarding: { exceptions: [] },
    domains: [{ domain: "fabrikam.com", dmarc: { stage: "monitor", aggregateReports: ["dmarc@fabrikam.com"] } }],
    presets: [{ level: "standard", defenderForOffice365: false }],
  });
}
