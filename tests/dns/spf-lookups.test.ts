import { expect } from "chai";
import { countSpfLookups, spfRecordsAt, txtStrings, validateSpfRecord } from "../../lib/dns";
import { fakeResolver, lines } from "./support";

// RFC 7208 §4.6.4: include, a, mx, ptr, exists and redirect each cost one lookup, across the whole evaluation (nested
// records included); all, ip4, ip6 and exp cost none; more than 10 is permerror, more than 2 void lookups too.
const NONE = { include: 0, a: 0, mx: 0, ptr: 0, exists: 0, redirect: 0 };

/** Microsoft's records as published (addresses shortened), so live counts include their nesting. */
const MICROSOFT = {
  "spf.protection.outlook.com": "v=spf1 ip4:40.92.0.0/15 ip4:40.107.0.0/16 ip6:2a01:111:f400::/48 include:spfd.protection.outlook.com -all",
  "spfd.protection.outlook.com": "v=spf1 ip4:51.4.72.0/24 ip6:2a01:4180:4051:0800::/64 -all",
};

describe("dns: counting SPF lookups", () => {
  it("offline, counts Exchange Online's include as 2 (it includes spfd.protection.outlook.com), as assumed", async () => {
    const count = await countSpfLookups("v=spf1 include:spf.protection.outlook.com -all");
    expect(count).to.deep.equal({
      lookups: 2,
      voidLookups: 0,
      byMechanism: { ...NONE, include: 2 },
      lowerBound: false,
      tree: {
        term: "v=spf1",
        children: [
          {
            term: "include:spf.protection.outlook.com",
            mechanism: "include",
            target: "spf.protection.outlook.com",
            followed: "assumed",
            children: [
              { term: "include:spfd.protection.outlook.com", mechanism: "include", target: "spfd.protection.outlook.com", followed: "assumed", children: [] },
            ],
          },
        ],
      },
    });
  });

  it("counts a, mx, ptr, exists and include but not ip4, ip6, exp or all; an unknown include offline makes it a lower bound", async () => {
    const count = await countSpfLookups(
      "v=spf1 ip4:192.0.2.1 ip6:2001:db8::1 a mx:mail.contoso.com ptr exists:%{i}._spf.contoso.com include:servers.adatum.com exp=explain.contoso.com -all",
    );
    expect(count.lookups).to.equal(5);
    expect(count.byMechanism).to.deep.equal({ include: 1, a: 1, mx: 1, ptr: 1, exists: 1, redirect: 0 });
    expect(count.lowerBound).to.equal(true);
    expect(count.tree.children.map((n) => [n.term, n.followed ?? "-"])).to.deep.equal([
      ["a", "-"],
      ["mx:mail.contoso.com", "-"],
      ["ptr", "-"],
      ["exists:%{i}._spf.contoso.com", "-"],
      ["include:servers.adatum.com", "not-followed"],
    ]);
  });

  it("follows nested includes through the resolver, joining a record's strings without spaces", async () => {
    const resolve = fakeResolver({
      "a.example.com": "v=spf1 include:b.example.com mx -all",
      "b.example.com": [["v=spf1 a ip4:192.0.2.0/24 ", "-all"]],
    });
    const count = await countSpfLookups("v=spf1 include:a.example.com -all", resolve);
    expect(resolve.queries).to.deep.equal(["a.example.com", "b.example.com"]);
    expect([count.lookups, count.voidLookups, count.lowerBound]).to.deep.equal([4, 0, false]);
    expect(count.byMechanism).to.deep.equal({ ...NONE, include: 2, a: 1, mx: 1 });
    expect(count.tree.children).to.deep.equal([
      {
        term: "include:a.example.com",
        mechanism: "include",
        target: "a.example.com",
        followed: "resolved",
        children: [
          {
            term: "include:b.example.com",
            mechanism: "include",
            target: "b.example.com",
            followed: "resolved",
            children: [{ term: "a", mechanism: "a", children: [] }],
          },
          { term: "mx", mechanism: "mx", children: [] },
        ],
      },
    ]);
  });

  it("does not follow an include whose target is a macro: it depends on the message", async () => {
    const resolve = fakeResolver({});
    const count = await countSpfLookups("v=spf1 include:%{d}._spf.example.com -all", resolve);
    expect([count.lookups, count.lowerBound, resolve.queries]).to.deep.equal([1, true, []]);
    expect(count.tree.children[0]).to.deep.equal({ term: "include:%{d}._spf.example.com", mechanism: "include", followed: "not-followed", children: [] });
  });

  it("counts a redirect and follows it; ignores a redirect in a record with all (RFC 7208 §6.1)", async () => {
    const resolve = fakeResolver({ ...MICROSOFT, "_spf.contoso.com": "v=spf1 include:spf.protection.outlook.com -all" });
    const count = await countSpfLookups("v=spf1 redirect=_spf.contoso.com", resolve);
    expect([count.lookups, count.byMechanism]).to.deep.equal([3, { ...NONE, include: 2, redirect: 1 }]);
    expect(count.tree.children.map((n) => [n.term, n.target, n.followed])).to.deep.equal([["redirect=_spf.contoso.com", "_spf.contoso.com", "resolved"]]);
    expect(lines(await validateSpfRecord("v=spf1 redirect=_spf.contoso.com", resolve))).to.deep.equal([]);

    const ignored = await countSpfLookups("v=spf1 -all redirect=_spf.contoso.com", resolve);
    expect([ignored.lookups, ignored.tree.children]).to.deep.equal([0, []]);
  });
});

describe("dns: validating SPF lookups against RFC 7208 §4.6.4", () => {
  const zone = {
    ...MICROSOFT,
    "bulk.example.com": "v=spf1 include:b1.example.com include:b2.example.com exists:%{i}.allow.example.com a -all",
    "b1.example.com": "v=spf1 ip4:198.51.100.0/24 -all",
    "b2.example.com": "v=spf1 ip4:203.0.113.0/24 -all",
  };

  it("passes exactly 10 lookups and refuses 11 as permerror", async () => {
    // Exchange Online 2 + bulk (1 + b1 + b2 + exists + a = 5) + a + mx + a:relay = 10.
    const ten = "v=spf1 include:spf.protection.outlook.com include:bulk.example.com a mx a:relay.contoso.com -all";
    expect((await countSpfLookups(ten, fakeResolver(zone))).lookups).to.equal(10);
    expect(lines(await validateSpfRecord(ten, fakeResolver(zone)))).to.deep.equal([]);

    const eleven = "v=spf1 include:spf.protection.outlook.com include:bulk.example.com a mx a:relay.contoso.com mx:backup.contoso.com -all";
    expect(lines(await validateSpfRecord(eleven, fakeResolver(zone)))).to.deep.equal([
      "SPF record › lookups: evaluation needs 11 DNS lookups, more than the 10 receivers allow, so SPF fails with permerror (RFC 7208 §4.6.4). " +
        "Allowed: at most 10 include, a, mx, ptr, exists and redirect terms, counting those in included records.",
    ]);
  });

  it("offline, reports a lower bound over 10 as 'at least'", async () => {
    // 266 octets, so published as two strings.
    const includes = Array.from({ length: 11 }, (_, i) => `include:s${i + 1}.example.com`).join(" ");
    expect(lines(await validateSpfRecord(txtStrings(`v=spf1 ${includes} -all`)))).to.deep.equal([
      "SPF record › lookups: evaluation needs at least 11 DNS lookups, more than the 10 receivers allow, so SPF fails with permerror (RFC 7208 §4.6.4). " +
        "Allowed: at most 10 include, a, mx, ptr, exists and redirect terms, counting those in included records.",
    ]);
  });

  it("reports an include loop with the cycle, and stops following it", async () => {
    const resolve = fakeResolver({ "a.example.com": "v=spf1 include:b.example.com -all", "b.example.com": "v=spf1 include:a.example.com -all" });
    const value = "v=spf1 include:a.example.com -all";
    const count = await countSpfLookups(value, resolve);
    expect(count.lookups).to.equal(3);
    expect(count.tree.children[0].children[0].children).to.deep.equal([
      { term: "include:a.example.com", mechanism: "include", target: "a.example.com", followed: "loop", children: [] },
    ]);
    expect(lines(await validateSpfRecord(value, resolve))).to.deep.equal([
      "SPF record › include:a.example.com › include:b.example.com › include:a.example.com: loops (a.example.com → b.example.com → a.example.com), " +
        "so evaluation runs into the lookup limit and fails with permerror. Allowed: includes and redirects that never lead back to a name already being evaluated.",
    ]);
  });

  it("counts void lookups: 2 are tolerated, 3 are a permerror (and an include of a missing name is one anyway, §5.2)", async () => {
    const gone = (n: number): string => `include:gone${n}.example.com`;
    const voidProblem = (n: number): string =>
      `SPF record › ${gone(n)}: gone${n}.example.com has no TXT records or does not exist (a void lookup), so the include is a permerror (RFC 7208 §5.2). ` +
      "Allowed: a name that publishes one SPF record.";

    const two = `v=spf1 ${gone(1)} ${gone(2)} -all`;
    expect((await countSpfLookups(two, fakeResolver({}))).voidLookups).to.equal(2);
    expect(lines(await validateSpfRecord(two, fakeResolver({})))).to.deep.equal([voidProblem(1), voidProblem(2)]);

    const three = `v=spf1 ${gone(1)} ${gone(2)} ${gone(3)} -all`;
    expect(lines(await validateSpfRecord(three, fakeResolver({})))).to.deep.equal([
      voidProblem(1),
      voidProblem(2),
      voidProblem(3),
      "SPF record › lookups: evaluation meets 3 void lookups (names with no records), more than the 2 receivers allow, so SPF fails with permerror (RFC 7208 §4.6.4). Allowed: at most 2.",
    ]);
  });

  it("reports more than one SPF record at a name, TXT without SPF, an included +all and a failed lookup", async () => {
    const resolve = fakeResolver({
      "two.example.com": [["v=spf1 -all"], ["v=spf1 ip4:192.0.2.1 -all"]],
      "verify.example.com": [["google-site-verification=abc"]],
      "plus.example.com": "v=spf1 +all",
      "broken.example.com": new Error("queryTxt ESERVFAIL broken.example.com"),
    });
    const value = "v=spf1 include:two.example.com include:verify.example.com include:plus.example.com include:broken.example.com -all";
    expect(lines(await validateSpfRecord(value, resolve))).to.deep.equal([
      "SPF record › include:two.example.com: two.example.com publishes 2 SPF records, which is a permerror (RFC 7208 §4.5). Allowed: exactly one v=spf1 record per name.",
      "SPF record › include:verify.example.com: verify.example.com has TXT records but no SPF record, so the include is a permerror (RFC 7208 §5.2). Allowed: a name that publishes one SPF record.",
      "SPF record › include:plus.example.com › +all: makes the include match every host on the internet, so everyone passes SPF as this domain. " +
        "Allowed: -all (fail, Microsoft's recommendation) or ~all (softfail).",
      "SPF record › include:broken.example.com: could not be looked up (queryTxt ESERVFAIL broken.example.com); receivers would return temperror. Allowed: a name that resolves.",
    ]);
    const count = await countSpfLookups(value, resolve);
    expect([count.lookups, count.voidLookups, count.lowerBound]).to.deep.equal([4, 0, true]);
  });

  it("reads the SPF records at a name, ignoring other TXT records", async () => {
    const resolve = fakeResolver({ "contoso.com": [["MS=ms12345678"], ["v=spf1 include:spf.protection.outlook.com ", "-all"], ["v=spf1x"]] });
    expect(await spfRecordsAt("Contoso.com.", resolve)).to.deep.equal(["v=spf1 include:spf.protection.outlook.com -all"]);
  });
});
