import { expect } from "chai";
import { MailProtectionArgs, validateMailProtection } from "../../components/mail-protection";
import type { DmarcPolicy } from "../../lib/dns";
import { testTenant } from "../support/tenant";

// Every validation rule, each with the message an author must see before anything is sent (issue 18). The limits
// are Exchange's own (rule names: New-HostedOutboundSpamFilterRule; key sizes: New-DkimSigningConfig) and the
// project's (a written reason of at least 15 characters).
const valid = (): MailProtectionArgs => ({
  tenant: testTenant(),
  forwarding: { exceptions: [{ name: "sales", reason: "Quotes go to the distributor's portal.", senders: ["sales@contoso.com"] }] },
  domains: [{ domain: "contoso.com", dmarc: { stage: "reject" } }],
  presets: [{ level: "standard", domains: ["contoso.com"] }],
});

/** The problems, one line each without the tenant prefix, or [] when the declaration is valid. */
function problemsOf(args: MailProtectionArgs): string[] {
  try {
    validateMailProtection(args);
    return [];
  } catch (err) {
    return (err as Error).message
      .split("\n")
      .slice(1)
      .map((line) => line.replace(/^ {2}- tenant test-tenant › mail protection › /, ""));
  }
}

describe("mail protection: validation before anything is sent", () => {
  it("accepts a complete declaration", () => {
    expect(problemsOf(valid())).to.deep.equal([]);
  });

  it("forwarding must be declared, even as no exception at all", () => {
    expect(problemsOf({ ...valid(), forwarding: undefined as unknown as MailProtectionArgs["forwarding"] })).to.deep.equal([
      "forwarding: is missing. Allowed: { exceptions: [] } to turn external forwarding off for everyone.",
    ]);
  });

  it("an exception name Exchange cannot take in a rule name, or one that makes it longer than 64 characters", () => {
    const named = (name: string): MailProtectionArgs => ({
      ...valid(),
      forwarding: { exceptions: [{ name, reason: "Quotes go to the distributor's portal.", senders: ["sales@contoso.com"] }] },
    });
    expect(problemsOf(named("sales:eu"))).to.deep.equal([
      'forwarding › exception sales:eu › name: "sales:eu" is not a name Exchange accepts in a rule. Allowed: letters, digits and hyphens, e.g. shared-sales-mailbox.',
    ]);
    // "m365-baseline forwarding " is 25 characters: 39 more make 64, the most a rule name may have.
    expect(problemsOf(named("a".repeat(39)))).to.deep.equal([]);
    expect(problemsOf(named("a".repeat(40)))).to.deep.equal([
      `forwarding › exception ${"a".repeat(40)} › name: makes the rule name "m365-baseline forwarding ${"a".repeat(40)}" longer than Exchange's 64 characters. Allowed: at most 39 characters.`,
    ]);
  });

  it("sender addresses must be SMTP addresses, and two exceptions may not share a name in any case", () => {
    const args: MailProtectionArgs = {
      ...valid(),
      forwarding: {
        exceptions: [
          { name: "Sales", reason: "Quotes go to the distributor's portal.", senders: ["sales"], senderGroups: ["not a group"] },
          { name: "sales", reason: "Quotes go to the distributor's portal.", senders: ["sales@contoso.com"] },
        ],
      },
    };
    expect(problemsOf(args)).to.deep.equal([
      'forwarding › exception Sales › senders[0]: "sales" is not an SMTP address. Allowed: an address such as sales@contoso.com.',
      'forwarding › exception Sales › senderGroups[0]: "not a group" is not an SMTP address. Allowed: an address such as sales@contoso.com.',
      "forwarding › exceptions: sales is declared more than once (names compare case-insensitively). Allowed: one exception per name.",
    ]);
  });

  it("domains: a name, not declared twice, a key size Exchange offers, a DMARC policy, a boolean flag", () => {
    const args: MailProtectionArgs = {
      ...valid(),
      domains: [
        { domain: "not a domain", dmarc: { stage: "reject" } },
        { domain: "Contoso.com.", dmarc: { stage: "reject" }, dkim: { keySize: 4096 as 2048, enabled: "yes" as unknown as boolean } },
        { domain: "contoso.com", dmarc: undefined as unknown as DmarcPolicy },
      ],
    };
    expect(problemsOf(args)).to.deep.equal([
      'domain not a domain › domain: "not a domain" is not a domain name. Allowed: an accepted domain such as contoso.com.',
      'domain Contoso.com. › dkim.enabled: is "yes", not true or false. Allowed: true, false.',
      "domain Contoso.com. › dkim.keySize: 4096 is not a key size Exchange offers. Allowed: 2048 (recommended) or 1024.",
      'domain contoso.com › dmarc: is missing. Allowed: { stage: "monitor", aggregateReports: ["dmarc@…"] } to start, then quarantine, then reject.',
      "domains: contoso.com is declared more than once. Allowed: each domain once.",
    ]);
  });

  it("presets: a level that exists, declared once, with addresses and domains for its recipients", () => {
    const args: MailProtectionArgs = {
      ...valid(),
      presets: [{ level: "standard", users: ["ceo"], exceptDomains: ["-bad-"] }, { level: "standard" }, { level: "maximum" as "strict" }],
    };
    expect(problemsOf(args)).to.deep.equal([
      'preset standard › users[0]: "ceo" is not an SMTP address. Allowed: a recipient or group address such as finance@contoso.com.',
      'preset standard › exceptDomains[0]: "-bad-" is not a domain name. Allowed: an accepted domain such as contoso.com.',
      'preset maximum › level: "maximum" is not a preset. Allowed: standard, strict.',
      "presets: the standard preset is declared more than once. Allowed: each preset once.",
    ]);
  });

  it("a misspelt key anywhere is named with the keys allowed there", () => {
    const args = { ...valid(), forwarding: { exceptions: [], exception: [] } } as unknown as MailProtectionArgs;
    expect(problemsOf(args)).to.deep.equal(["forwarding › exception: is not a field of this declaration. Allowed: exceptions (did you mean exceptions?)."]);
  });
});
