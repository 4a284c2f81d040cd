import { expect } from "chai";
import { DnsRecord, isDomainName, recordRelativeTo, renderRecordTable, txtStrings } from "../../lib/dns";

describe("dns: record names relative to a zone", () => {
  it('gives "@" for the apex and the leading labels otherwise, ignoring case and a trailing dot', () => {
    expect(recordRelativeTo("contoso.com", "contoso.com")).to.equal("@");
    expect(recordRelativeTo("contoso.com", "_dmarc.contoso.com")).to.equal("_dmarc");
    expect(recordRelativeTo("Contoso.com.", "selector1._domainkey.CONTOSO.com.")).to.equal("selector1._domainkey");
    expect(recordRelativeTo("contoso.com", "_dmarc.marketing.contoso.com")).to.equal("_dmarc.marketing");
  });

  it("refuses a name outside the zone, including one that merely ends in the same letters", () => {
    expect(() => recordRelativeTo("contoso.com", "_dmarc.fabrikam.com")).to.throw('"_dmarc.fabrikam.com" is not in the zone "contoso.com"');
    expect(() => recordRelativeTo("contoso.com", "notcontoso.com")).to.throw('"notcontoso.com" is not in the zone "contoso.com"');
    expect(() => recordRelativeTo("marketing.contoso.com", "contoso.com")).to.throw('"contoso.com" is not in the zone "marketing.contoso.com"');
  });
});

describe("dns: TXT strings", () => {
  it("splits a value into strings of at most 255 octets (RFC 1035 §3.3), never inside a UTF-8 character", () => {
    expect(txtStrings("v=spf1 -all")).to.deep.equal(["v=spf1 -all"]);
    expect(txtStrings("a".repeat(255))).to.deep.equal(["a".repeat(255)]);
    expect(txtStrings("a".repeat(300))).to.deep.equal(["a".repeat(255), "a".repeat(45)]);
    expect(txtStrings("a".repeat(254) + "é")).to.deep.equal(["a".repeat(254), "é"]);
    expect(txtStrings("")).to.deep.equal([""]);
  });

  it("recognises domain names as SPF includes and report addresses use them", () => {
    for (const ok of ["contoso.com", "_spf.google.com", "spf.protection.outlook.com.", "xn--bcher-kva.example"]) expect(isDomainName(ok), ok).to.equal(true);
    for (const bad of ["contoso", "", "-bad.example.com", "a..b.com", "contoso.123", "has space.com", `${"a".repeat(64)}.com`])
      expect(isDomainName(bad), bad).to.equal(false);
  });
});

describe("dns: the record table for a DNS host", () => {
  const records: DnsRecord[] = [
    { name: "contoso.com", type: "TXT", value: "v=spf1 include:spf.protection.outlook.com -all" },
    { name: "selector1._domainkey.contoso.com", type: "CNAME", value: "selector1-contoso-com._domainkey.contoso.n-v1.dkim.mail.microsoft", ttl: 300 },
    { name: "_dmarc.contoso.com", type: "TXT", value: "v=DMARC1; p=none; rua=mailto:dmarc@contoso.com" },
  ];

  it("lists name, type, value and TTL (3600 unless given) in the order given", () => {
    expect(renderRecordTable(records)).to.equal(
      [
        "| name | type | value | TTL |",
        "|---|---|---|---|",
        "| `contoso.com` | TXT | `v=spf1 include:spf.protection.outlook.com -all` | 3600 |",
        "| `selector1._domainkey.contoso.com` | CNAME | `selector1-contoso-com._domainkey.contoso.n-v1.dkim.mail.microsoft` | 300 |",
        "| `_dmarc.contoso.com` | TXT | `v=DMARC1; p=none; rua=mailto:dmarc@contoso.com` | 3600 |",
        "",
      ].join("\n"),
    );
  });

  it("shows names relative to the zone when asked, as most DNS hosts' forms want them", () => {
    const table = renderRecordTable(records, { zone: "contoso.com" });
    expect(table.split("\n").slice(2, 5)).to.deep.equal([
      "| `@` | TXT | `v=spf1 include:spf.protection.outlook.com -all` | 3600 |",
      "| `selector1._domainkey` | CNAME | `selector1-contoso-com._domainkey.contoso.n-v1.dkim.mail.microsoft` | 300 |",
      "| `_dmarc` | TXT | `v=DMARC1; p=none; rua=mailto:dmarc@contoso.com` | 3600 |",
    ]);
  });

  it("escapes pipes and backticks so a value cannot break the table", () => {
    const table = renderRecordTable([{ name: "x.contoso.com", type: "TXT", value: "a|b`c" }]);
    expect(table.split("\n")[2]).to.equal("| `x.contoso.com` | TXT | `` a\\|b`c `` | 3600 |");
  });
});
