import { expect } from "chai";
import { MailProtection, MailProtectionArgs } from "../../components/mail-protection";
import { TOKENS } from "../../lib/managed/tokens";
import { startMocks, valueOf } from "../support/pulumi-mocks";
import { testTenant } from "../support/tenant";

// Issue 18's scenario: forwarding off with one reviewed exception; DKIM/DMARC/SPF for a domain whose zone is in
// Azure DNS and for one at another DNS host; the Standard preset. Values are the scenario's and Microsoft's.
const ZONE = { zone: "contoso.com", resourceGroup: "rg-contoso-dns" };
const tenant = testTenant({ dns: { azureZones: [ZONE] } });
const SELECTOR1 = "selector1-contoso-com._domainkey.contoso.r-v1.dkim.mail.microsoft";
const SELECTOR2 = "selector2-contoso-com._domainkey.contoso.r-v1.dkim.mail.microsoft";
const FABRIKAM_SELECTOR1 = "selector1-fabrikam-com._domainkey.contoso.n-v1.dkim.mail.microsoft";
const FABRIKAM_SELECTOR2 = "selector2-fabrikam-com._domainkey.contoso.n-v1.dkim.mail.microsoft";
const args = (overrides: Partial<MailProtectionArgs> = {}): MailProtectionArgs => ({
  tenant,
  forwarding: { exceptions: [{ name: "helpdesk-ticketing", reason: "Forwards to the outsourced ticketing provider.", senders: ["Helpdesk@contoso.com"] }] },
  domains: [
    { domain: "contoso.com", dmarc: { stage: "quarantine", percent: 50, aggregateReports: ["dmarc-reports@contoso.com"] }, otherApexTxt: ["MS=ms48213579"] },
    { domain: "fabrikam.com", dmarc: { stage: "monitor", aggregateReports: ["dmarc@fabrikam.com"] } },
  ],
  presets: [{ level: "standard", domains: ["contoso.com"] }],
  ...overrides,
});
// Exchange answers the selector targets when it creates each domain's keys (the mocks stand in for it).
const exchangeAnswers = (type: string, name: string): Record<string, string> => {
  if (type !== TOKENS.dkimKeys) return {};
  return name.startsWith("fabrikam")
    ? { selector1Cname: FABRIKAM_SELECTOR1, selector2Cname: FABRIKAM_SELECTOR2 }
    : { selector1Cname: SELECTOR1, selector2Cname: SELECTOR2 };
};

describe("MailProtection component under Pulumi mocks", () => {
  it("declares forwarding, each domain's DKIM and records, and the preset, all parented under the component", async () => {
    const { resources, settle } = await startMocks("test-tenant", exchangeAnswers);
    new MailProtection("mail-protection", args());
    await settle();
    const byType = (token: string) => resources.filter((r) => r.type === token);
    const component = byType(TOKENS.mailProtection)[0];
    expect(byType(TOKENS.forwardingDefaults).map((r) => [r.inputs.autoForwardingMode, r.inputs.remoteDomainAutoForward, r.parent])).to.deep.equal([
      ["Off", true, component.urn],
    ]);
    expect(byType(TOKENS.forwardingException).map((r) => [r.inputs.name, r.inputs.senders])).to.deep.equal([["helpdesk-ticketing", ["helpdesk@contoso.com"]]]);
    expect(byType(TOKENS.mailDomain).map((r) => [r.name, r.parent])).to.have.deep.members([
      ["contoso.com", component.urn],
      ["fabrikam.com", component.urn],
    ]);
    expect(byType(TOKENS.presetSecurityPolicy).map((r) => [r.inputs.level, r.inputs.domains, r.inputs.state])).to.deep.equal([
      ["standard", ["contoso.com"], "Enabled"],
    ]);
  });

  it("a domain in a declared Azure DNS zone gets record sets: both selector CNAMEs to Exchange's targets, DMARC at _dmarc, SPF beside the other apex TXT", async () => {
    const { resources, settle } = await startMocks("test-tenant", exchangeAnswers);
    new MailProtection("mail-protection", args());
    await settle();
    const sets = resources.filter((r) => r.type === TOKENS.dnsRecordSet);
    const shape = sets.map((r) => [
      r.inputs.relativeRecordSetName,
      r.inputs.recordType,
      r.inputs.zoneName,
      r.inputs.resourceGroupName,
      r.inputs.cnameRecord ?? r.inputs.txtRecords,
    ]);
    expect(shape).to.have.deep.members([
      ["selector1._domainkey", "CNAME", "contoso.com", "rg-contoso-dns", { cname: SELECTOR1 }],
      ["selector2._domainkey", "CNAME", "contoso.com", "rg-contoso-dns", { cname: SELECTOR2 }],
      ["_dmarc", "TXT", "contoso.com", "rg-contoso-dns", [{ value: ["v=DMARC1; p=quarantine; pct=50; rua=mailto:dmarc-reports@contoso.com"] }]],
      ["@", "TXT", "contoso.com", "rg-contoso-dns", [{ value: ["v=spf1 include:spf.protection.outlook.com -all"] }, { value: ["MS=ms48213579"] }]],
    ]);
    // Left in place when the declaration goes: the apex set also holds the domain's verification record.
    expect(sets.map((r) => r.retainOnDelete)).to.deep.equal([true, true, true, true]);
    // Exchange is asked to switch signing on only after the records exist in Azure DNS.
    const signing = resources.find((r) => r.type === TOKENS.dkimSigning && r.inputs.domain === "contoso.com")!;
    expect(signing.dependencies).to.include.members(sets.map((s) => s.urn!));
    expect(signing.inputs.selector1Cname).to.equal(SELECTOR1);
  });

  it("a domain at another DNS host gets no record set: its records are a stack output for the DNS host", async () => {
    const { resources, settle } = await startMocks("test-tenant", exchangeAnswers);
    const mail = new MailProtection("mail-protection", args());
    await settle();
    expect(resources.filter((r) => r.type === TOKENS.dnsRecordSet && String(r.inputs.zoneName).includes("fabrikam"))).to.deep.equal([]);
    const records = (await valueOf(mail.dnsRecords))["fabrikam.com"];
    expect(records.map((r) => [r.type, r.name, r.value])).to.deep.equal([
      ["CNAME", "selector1._domainkey.fabrikam.com", FABRIKAM_SELECTOR1],
      ["CNAME", "selector2._domainkey.fabrikam.com", FABRIKAM_SELECTOR2],
      ["TXT", "_dmarc.fabrikam.com", "v=DMARC1; p=none; rua=mailto:dmarc@fabrikam.com"],
      ["TXT", "fabrikam.com", "v=spf1 include:spf.protection.outlook.com -all"],
    ]);
    expect((await valueOf(mail.dnsRecords))["contoso.com"], "Azure DNS holds contoso.com's").to.deep.equal([]);
  });

  it("without exceptions the Default remote domain blocks forwarding too (defence in depth)", async () => {
    const { resources, settle } = await startMocks("test-tenant", exchangeAnswers);
    new MailProtection("mail-protection", args({ forwarding: { exceptions: [] }, domains: [], presets: [] }));
    await settle();
    expect(resources.filter((r) => r.type === TOKENS.forwardingDefaults).map((r) => r.inputs.remoteDomainAutoForward)).to.deep.equal([false]);
  });

  it("refuses bad input before declaring anything, every problem named with its tenant, part and field", async () => {
    const { resources, settle } = await startMocks("test-tenant", exchangeAnswers);
    const bad = args({
      forwarding: { exceptions: [{ name: "everyone", reason: "ok", senders: [] }] },
      domains: [
        { domain: "contoso.onmicrosoft.com", dmarc: { stage: "reject" } },
        { domain: "fabrikam.com", dmarc: { stage: "monitor", aggregateReports: ["dmarc@fabrikam.com"] }, otherApexTxt: ["v=spf1 -all"] },
      ],
      presets: [{ level: "standard", groups: ["not-an-address"], defenderForOffice365: "false" as unknown as boolean }],
    });
    expect(() => new MailProtection("mail-protection", bad)).to.throw(
      [
        "tenant test-tenant › mail protection › forwarding › exception everyone › reason: an exception that lets mail leave the organization needs a written reason a reviewer can judge. Allowed: a sentence of at least 15 characters.",
        "tenant test-tenant › mail protection › forwarding › exception everyone › senders: names no sender and no group: its rule would let every sender forward outside the organization. Allowed: the mailboxes (senders) or groups (senderGroups) allowed to forward.",
        "tenant test-tenant › mail protection › domain contoso.onmicrosoft.com › domain: contoso.onmicrosoft.com is an initial (onmicrosoft.com) domain: Microsoft signs it and publishes its records. Allowed: a custom domain the tenant sends from.",
        "tenant test-tenant › mail protection › domain fabrikam.com › otherApexTxt[0]: is an SPF record: a domain may publish only one, and the baseline writes it from spf. Allowed: declare senders in spf.",
        'tenant test-tenant › mail protection › preset standard › defenderForOffice365: is "false", not true or false. Allowed: true, false.',
        'tenant test-tenant › mail protection › preset standard › groups[0]: "not-an-address" is not an SMTP address. Allowed: a recipient or group address such as finance@contoso.com.',
      ]
        .map((line) => `  - ${line}`)
        .join("\n"),
    );
    await settle();
    expect(resources).to.deep.equal([]);
  });

  it("refuses a credential Exchange's admin API cannot take for mail protection (delegated only)", () => {
    const delegated = testTenant({ credentials: { termsOfUse: "deviceCode", mailProtection: "deviceCode" } });
    expect(() => new MailProtection("mail-protection", args({ tenant: delegated }))).to.throw(
      /credentials\.mailProtection: "deviceCode" cannot sign in to mailProtection/,
    );
  });
});
