import { expect } from "chai";
import { MICROSOFT_365_SPF_INCLUDE, spfRecord, SpfPolicy, validateSpfPolicy, validateSpfRecord } from "../../lib/dns";
import { ProblemList, ValidationError } from "../../lib/problems";
import { lines } from "./support";

// Expected records are Microsoft's own examples:
// https://learn.microsoft.com/defender-office-365/email-authentication-spf-configure
function policyProblems(spf: SpfPolicy): string[] {
  const problems = new ProblemList(["SPF for contoso.com"]);
  validateSpfPolicy(spf, problems);
  return lines(problems.all);
}

describe("dns: SPF records from a declared policy", () => {
  it("defaults to Exchange Online only, hard fail: Microsoft's record for a Microsoft 365-only domain", () => {
    expect(MICROSOFT_365_SPF_INCLUDE).to.equal("spf.protection.outlook.com");
    expect(spfRecord("contoso.com")).to.deep.equal({ name: "contoso.com", type: "TXT", value: "v=spf1 include:spf.protection.outlook.com -all" });
    expect(spfRecord("Contoso.com.", {}).name).to.equal("contoso.com");
  });

  it("writes addresses before includes, as Microsoft's examples do", () => {
    expect(spfRecord("contoso.com", { ip4: ["192.168.0.10"] }).value).to.equal("v=spf1 ip4:192.168.0.10 include:spf.protection.outlook.com -all");
    expect(spfRecord("contoso.com", { ip4: ["192.168.0.12", "192.168.0.10"] }).value).to.equal(
      "v=spf1 ip4:192.168.0.10 ip4:192.168.0.12 include:spf.protection.outlook.com -all",
    );
  });

  it("keeps Exchange Online first among includes, de-duplicates and sorts the rest, and writes ~all for softfail", () => {
    const spf: SpfPolicy = {
      include: ["servers.adatum.com", "_spf.fabrikam.example", "SERVERS.adatum.com.", "spf.protection.outlook.com"],
      ip6: ["2001:DB8::/32", "2001:db8::/32"],
      ip4: ["203.0.113.0/24"],
      all: "softfail",
    };
    expect(spfRecord("marketing.contoso.com", spf).value).to.equal(
      "v=spf1 ip4:203.0.113.0/24 ip6:2001:db8::/32 include:spf.protection.outlook.com include:_spf.fabrikam.example include:servers.adatum.com ~all",
    );
  });

  it("uses the include of the tenant's cloud (GCC High and DoD, 21Vianet)", () => {
    expect(spfRecord("contoso.com", {}, "usGovernment").value).to.equal("v=spf1 include:spf.protection.office365.us -all");
    expect(spfRecord("contoso.com", {}, "usGovernmentDoD").value).to.equal("v=spf1 include:spf.protection.office365.us -all");
    expect(spfRecord("contoso.com", {}, "china").value).to.equal("v=spf1 include:spf.protection.partner.outlook.cn -all");
  });

  it("refuses addresses of the wrong family or with bad prefixes, bad includes and endings, all at once", () => {
    const spf = { ip4: ["300.1.1.1", "2001:db8::1", "10.0.0.0/33", "10.0.0.0/08"], ip6: ["192.0.2.1"], include: ["not a domain"], all: "pass" };
    expect(() => spfRecord("contoso.com", spf as unknown as SpfPolicy)).to.throw(ValidationError);
    expect(policyProblems(spf as unknown as SpfPolicy)).to.deep.equal([
      'SPF for contoso.com › include[0]: "not a domain" is not a domain name. Allowed: the include domain the sending service documents, such as servers.adatum.com.',
      'SPF for contoso.com › ip4[0]: "300.1.1.1" is not an IPv4 address or CIDR range. Allowed: e.g. 192.168.0.10 or 203.0.113.0/24.',
      'SPF for contoso.com › ip4[1]: "2001:db8::1" is not an IPv4 address or CIDR range. Allowed: e.g. 192.168.0.10 or 203.0.113.0/24.',
      'SPF for contoso.com › ip4[2]: "10.0.0.0/33" is not an IPv4 address or CIDR range. Allowed: e.g. 192.168.0.10 or 203.0.113.0/24.',
      'SPF for contoso.com › ip4[3]: "10.0.0.0/08" is not an IPv4 address or CIDR range. Allowed: e.g. 192.168.0.10 or 203.0.113.0/24.',
      'SPF for contoso.com › ip6[0]: "192.0.2.1" is not an IPv6 address or CIDR range. Allowed: e.g. 2001:db8::1 or 2001:db8::/32.',
      'SPF for contoso.com › all: is "pass". Allowed: fail (-all, Microsoft\'s recommendation), softfail (~all).',
    ]);
  });

  it("counts lookups offline: Exchange Online's 2 plus one per other include; 10 passes, 11 is refused", () => {
    const includes = (n: number): string[] => Array.from({ length: n }, (_, i) => `s${i + 1}.example.com`);
    expect(policyProblems({ include: includes(8) })).to.deep.equal([]);
    expect(policyProblems({ include: includes(9) })).to.deep.equal([
      "SPF for contoso.com › include: needs at least 11 DNS lookups, more than the 10 receivers allow, so SPF would fail with permerror (RFC 7208 §4.6.4). " +
        "Allowed: fewer includes: send from subdomains with their own SPF records, or list the service's addresses in ip4/ip6.",
    ]);
  });

  it("refuses a declaration whose record would exceed the 450 octets RFC 7208 §3.4 recommends", () => {
    // "v=spf1" (6) + 26 × " ip4:203.0.113.NNN/32" (21) + " include:spf.protection.outlook.com" (35) + " -all" (5) = 592 octets.
    const ip4 = Array.from({ length: 26 }, (_, i) => `203.0.113.${100 + i}/32`);
    expect(policyProblems({ ip4 })).to.deep.equal([
      "SPF for contoso.com › record: would be 592 octets, over the 450 RFC 7208 §3.4 recommends. Allowed: fewer terms: CIDR ranges instead of single addresses, or the sender's include.",
    ]);
  });
});

describe("dns: validating a published SPF record's text", () => {
  const check = async (value: string | string[]): Promise<string[]> => lines(await validateSpfRecord(value));
  const ENDINGS = "-all (fail, Microsoft's recommendation) or ~all (softfail)";

  it("accepts Microsoft's records offline", async () => {
    expect(await check("v=spf1 include:spf.protection.outlook.com -all")).to.deep.equal([]);
    expect(await check("v=spf1 -all")).to.deep.equal([]);
    expect(await check("v=spf1 ip4:192.168.0.10 include:servers.adatum.com include:spf.protection.outlook.com ~all")).to.deep.equal([]);
  });

  it("reports a record that does not start with v=spf1", async () => {
    expect(await check("spf1 include:spf.protection.outlook.com -all")).to.deep.equal([
      "SPF record › v: the record does not begin with v=spf1, so receivers do not treat it as SPF (RFC 7208 §4.5). Allowed: v=spf1 as the first term.",
    ]);
  });

  it("reports syntax errors, each a permerror (RFC 7208 §4.6)", async () => {
    expect(await check("v=spf1 inclde:spf.protection.outlook.com ip4:300.0.0.1 a/33 include: -all")).to.deep.equal([
      "SPF record › inclde:spf.protection.outlook.com: is not an SPF mechanism or modifier, which makes the record a permerror (RFC 7208 §4.6). " +
        "Allowed: all, include, a, mx, ptr, ip4, ip6, exists, redirect=, exp=.",
      "SPF record › ip4:300.0.0.1: is not valid SPF syntax, which makes the record a permerror (RFC 7208 §4.6). Allowed: ip4:<IPv4 address>[/<0-32>].",
      "SPF record › a/33: is not valid SPF syntax, which makes the record a permerror (RFC 7208 §4.6). Allowed: a, a:<domain>, optionally /<0-32> and //<0-128>.",
      'SPF record › include:: "" is not a valid domain-spec, which makes the record a permerror (RFC 7208 §4.6). ' +
        "Allowed: a domain name such as spf.protection.outlook.com, or a domain-spec with RFC 7208 §7 macros.",
    ]);
  });

  it("reports +all, a bare all (which is +all), ?all and a missing all as weakening the record", async () => {
    expect(await check("v=spf1 include:spf.protection.outlook.com +all")).to.deep.equal([
      `SPF record › +all: lets every host on the internet pass SPF as this domain. Allowed: ${ENDINGS}.`,
    ]);
    expect(await check("v=spf1 include:spf.protection.outlook.com all")).to.deep.equal([
      `SPF record › all: lets every host on the internet pass SPF as this domain. Allowed: ${ENDINGS}.`,
    ]);
    expect(await check("v=spf1 include:spf.protection.outlook.com ?all")).to.deep.equal([
      `SPF record › ?all: gives unlisted hosts neutral, which Microsoft reserves for testing. Allowed: ${ENDINGS}.`,
    ]);
    expect(await check("v=spf1 include:spf.protection.outlook.com")).to.deep.equal([
      `SPF record › all: is missing, so mail from hosts the record does not list gets neutral, as with ?all (RFC 7208 §4.7). Allowed: ${ENDINGS}.`,
    ]);
  });

  it("reports terms after all, a redirect next to all, repeated modifiers and ptr", async () => {
    expect(await check("v=spf1 -all include:spf.protection.outlook.com redirect=_spf.contoso.com redirect=_spf2.contoso.com")).to.deep.equal([
      "SPF record › redirect: appears 2 times, which makes the record a permerror (RFC 7208 §6). Allowed: at most once.",
      "SPF record › include:spf.protection.outlook.com: comes after all and is never evaluated (RFC 7208 §5.1). Allowed: every mechanism before all.",
      "SPF record › redirect=_spf.contoso.com: is ignored because the record has an all mechanism (RFC 7208 §6.1). Allowed: redirect= only in a record without all.",
    ]);
    expect(await check("v=spf1 ptr -all")).to.deep.equal([
      "SPF record › ptr: should not be published: it is slow, unreliable and loads the .arpa name servers (RFC 7208 §5.5). Allowed: ip4:, ip6:, a or include:.",
    ]);
  });

  it("reports a single TXT string over 255 octets, but not the same record split into strings (RFC 7208 §3.3)", async () => {
    // "v=spf1" + 14 × " ip4:198.51.100.NN" (18 octets) + " -all" = 6 + 252 + 5 = 263 octets.
    const terms = Array.from({ length: 14 }, (_, i) => `ip4:198.51.100.${10 + i}`);
    const record = `v=spf1 ${terms.join(" ")} -all`;
    expect(record).to.have.length(263);
    expect(await check(record)).to.deep.equal([
      "SPF record › record: is one TXT string of 263 octets, but a TXT string holds at most 255 (RFC 1035 §3.3). Allowed: several strings of at most 255 octets, which receivers join without spaces (RFC 7208 §3.3).",
    ]);
    expect(await check([record.slice(0, 200), record.slice(200)])).to.deep.equal([]);
    expect(await check([record.slice(0, 2), record.slice(2, 260), record.slice(260)])).to.deep.equal([
      "SPF record › string 2: is one TXT string of 258 octets, but a TXT string holds at most 255 (RFC 1035 §3.3). Allowed: several strings of at most 255 octets, which receivers join without spaces (RFC 7208 §3.3).",
    ]);
  });

  it("reports a record over the 450 octets RFC 7208 §3.4 recommends", async () => {
    // "v=spf1" + 25 × " ip4:198.51.100.NN" (18) + " -all" = 6 + 450 + 5 = 461 octets, published as two strings.
    const record = `v=spf1 ${Array.from({ length: 25 }, (_, i) => `ip4:198.51.100.${10 + i}`).join(" ")} -all`;
    expect(await check([record.slice(0, 250), record.slice(250)])).to.deep.equal([
      "SPF record › record: is 461 octets, over the 450 RFC 7208 §3.4 recommends so the answer fits one UDP packet. Allowed: a shorter record: CIDR ranges, subdomains for other senders.",
    ]);
  });
});
