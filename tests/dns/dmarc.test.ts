import { expect } from "chai";
import {
  dmarcRecord,
  DmarcPolicy,
  externalReportDomains,
  parseDmarc,
  reportAuthorizationRecord,
  validateDmarcPolicy,
  validateDmarcRecord,
} from "../../lib/dns";
import { ProblemList, ValidationError } from "../../lib/problems";
import { lines } from "./support";

// Expected records follow RFC 7489 §6.3/§6.4 (v first, then p; defaults left out) and Microsoft's staging:
// https://learn.microsoft.com/defender-office-365/email-authentication-dmarc-configure
const RUA = "dmarc@contoso.com";

function policyProblems(policy: DmarcPolicy): string[] {
  const problems = new ProblemList(["DMARC for contoso.com"]);
  validateDmarcPolicy(policy, problems);
  return lines(problems.all);
}

describe("dns: DMARC records from a declared policy", () => {
  it("writes the three stages of Microsoft's roll-out: p=none, then quarantine (with pct while ramping), then reject", () => {
    expect(dmarcRecord("contoso.com", { stage: "monitor", aggregateReports: [RUA] })).to.deep.equal({
      name: "_dmarc.contoso.com",
      type: "TXT",
      value: "v=DMARC1; p=none; rua=mailto:dmarc@contoso.com",
    });
    expect(dmarcRecord("contoso.com", { stage: "quarantine", percent: 25, aggregateReports: [RUA] }).value).to.equal(
      "v=DMARC1; p=quarantine; pct=25; rua=mailto:dmarc@contoso.com",
    );
    expect(dmarcRecord("contoso.com", { stage: "reject", aggregateReports: [RUA] }).value).to.equal("v=DMARC1; p=reject; rua=mailto:dmarc@contoso.com");
  });

  it("leaves out tags at their default: pct=100, sp equal to p, relaxed alignment", () => {
    const record = dmarcRecord("contoso.com", {
      stage: "reject",
      percent: 100,
      subdomainStage: "reject",
      alignment: { dkim: "relaxed", spf: "relaxed" },
      aggregateReports: [RUA],
    });
    expect(record.value).to.equal("v=DMARC1; p=reject; rua=mailto:dmarc@contoso.com");
  });

  it("writes a parked domain's record as Microsoft gives it, without reports", () => {
    // Microsoft: "v=DMARC1; p=reject;" — the trailing separator is optional in the RFC 7489 §6.4 ABNF.
    expect(dmarcRecord("contoso.net", { stage: "reject" }).value).to.equal("v=DMARC1; p=reject");
  });

  it("writes every non-default tag in a fixed order, report addresses de-duplicated and sorted", () => {
    const record = dmarcRecord("Contoso.COM.", {
      stage: "reject",
      subdomainStage: "quarantine",
      percent: 50,
      alignment: { dkim: "strict", spf: "strict" },
      aggregateReports: ["mailto:reports@contoso.com", "dmarc@contoso.com", "dmarc@CONTOSO.com"],
      forensicReports: ["forensic@contoso.com"],
    });
    expect(record).to.deep.equal({
      name: "_dmarc.contoso.com",
      type: "TXT",
      value:
        "v=DMARC1; p=reject; sp=quarantine; pct=50; adkim=s; aspf=s; rua=mailto:dmarc@contoso.com,mailto:reports@contoso.com; ruf=mailto:forensic@contoso.com",
    });
  });

  it("reads back what it writes: parse(record) has the declared tags and no problems", () => {
    const value = dmarcRecord("contoso.com", { stage: "quarantine", subdomainStage: "reject", percent: 10, aggregateReports: [RUA] }).value;
    const parsed = parseDmarc(value);
    expect(parsed.problems).to.deep.equal([]);
    expect([parsed.p, parsed.sp, parsed.pct, parsed.rua]).to.deep.equal(["quarantine", "reject", 10, ["mailto:dmarc@contoso.com"]]);
    expect(parsed.tags.map((t) => t.name)).to.deep.equal(["v", "p", "sp", "pct", "rua"]);
  });

  it("refuses monitoring without aggregate reports, and says so in the project's format", () => {
    expect(() => dmarcRecord("contoso.com", { stage: "monitor" }))
      .to.throw(ValidationError)
      .with.property(
        "message",
        "m365-baseline found 1 problem; nothing was declared:\n" +
          "  - DMARC for contoso.com › aggregateReports: is empty, but monitoring (p=none) without aggregate reports shows nothing. " +
          "Allowed: at least one address that receives DMARC aggregate reports.",
      );
    // Monitoring only the subdomains needs reports just the same.
    expect(policyProblems({ stage: "reject", subdomainStage: "monitor" })).to.deep.equal([
      "DMARC for contoso.com › aggregateReports: is empty, but monitoring (p=none) without aggregate reports shows nothing. Allowed: at least one address that receives DMARC aggregate reports.",
    ]);
  });

  it("refuses a percent out of 1–100, fractional, or set while only monitoring", () => {
    const allowed = "Allowed: a whole number from 1 to 100.";
    expect(policyProblems({ stage: "quarantine", percent: 0, aggregateReports: [RUA] })).to.deep.equal([`DMARC for contoso.com › percent: is 0. ${allowed}`]);
    expect(policyProblems({ stage: "quarantine", percent: 101, aggregateReports: [RUA] })).to.deep.equal([
      `DMARC for contoso.com › percent: is 101. ${allowed}`,
    ]);
    expect(policyProblems({ stage: "reject", percent: 12.5 })).to.deep.equal([`DMARC for contoso.com › percent: is 12.5. ${allowed}`]);
    expect(policyProblems({ stage: "monitor", percent: 50, aggregateReports: [RUA] })).to.deep.equal([
      "DMARC for contoso.com › percent: has no effect while the policy only monitors (p=none). Allowed: percent only with stage quarantine or reject.",
    ]);
    // pct applies to sp too (RFC 7489 §6.3), so it means something when only the subdomains are enforced.
    expect(policyProblems({ stage: "monitor", subdomainStage: "reject", percent: 50, aggregateReports: [RUA] })).to.deep.equal([]);
  });

  it("refuses report destinations that are not email, unknown stages and misspelt fields, all at once", () => {
    const policy = {
      stage: "enforce",
      aggregateReports: ["https://reports.example.com/dmarc", "not an address"],
      alignment: { dkim: "exact" },
      subdomainStage: "none",
      aggregateReport: [],
    };
    expect(policyProblems(policy as unknown as DmarcPolicy)).to.deep.equal([
      "DMARC for contoso.com › aggregateReport: is not a field of this declaration. Allowed: stage, percent, aggregateReports, forensicReports, subdomainStage, alignment (did you mean aggregateReports?).",
      'DMARC for contoso.com › stage: is "enforce". Allowed: monitor, quarantine, reject.',
      'DMARC for contoso.com › subdomainStage: is "none". Allowed: monitor, quarantine, reject.',
      'DMARC for contoso.com › aggregateReports[0]: is a "https:" URI, not mailto:. Allowed: mailto:address@domain, optionally with a size limit such as !10m (RFC 7489 §6.2).',
      'DMARC for contoso.com › aggregateReports[1]: "mailto:not an address" does not hold an email address. Allowed: mailto:address@domain, optionally with a size limit such as !10m (RFC 7489 §6.2).',
      'DMARC for contoso.com › alignment.dkim: is "exact". Allowed: relaxed, strict.',
    ]);
  });

  it("names the destinations outside the domain that must authorise reports (RFC 7489 §7.1) and their record", () => {
    const policy: DmarcPolicy = {
      stage: "monitor",
      aggregateReports: ["dmarc@contoso.com", "rua@reports.contoso.com", "d@thirdparty.example.net"],
      forensicReports: ["ruf@thirdparty.example.net", "x@contoso-reports.example"],
    };
    expect(externalReportDomains("marketing.contoso.com", policy)).to.deep.equal(["contoso-reports.example", "reports.contoso.com", "thirdparty.example.net"]);
    expect(externalReportDomains("contoso.com", policy)).to.deep.equal(["contoso-reports.example", "thirdparty.example.net"]);
    // The RFC's own example name: example.com._report._dmarc.thirdparty.example.net.
    expect(reportAuthorizationRecord("example.com", "thirdparty.example.net")).to.deep.equal({
      name: "example.com._report._dmarc.thirdparty.example.net",
      type: "TXT",
      value: "v=DMARC1;",
    });
  });
});

describe("dns: reading and validating a published DMARC record", () => {
  const check = (value: string): string[] => lines(validateDmarcRecord(value));

  it("accepts Microsoft's examples and the RFC's optional syntax (whitespace, trailing ;, size limits, case)", () => {
    expect(check("v=DMARC1; p=reject; pct=100; rua=mailto:d@rua.contoso.com; ruf=mailto:d@ruf.contoso.com")).to.deep.equal([]);
    expect(check("v=DMARC1; p=reject;")).to.deep.equal([]);
    expect(check("v = DMARC1 ;p=Reject;rua=mailto:dmarc@contoso.com!10m , mailto:other@contoso.com; fo=0:1:d:s; rf=afrf; ri=86400")).to.deep.equal([]);
    const parsed = parseDmarc("v=DMARC1; p=Reject; rua=mailto:dmarc@contoso.com!10m,mailto:other@contoso.com; adkim=s");
    expect([parsed.p, parsed.rua, parsed.adkim]).to.deep.equal(["reject", ["mailto:dmarc@contoso.com!10m", "mailto:other@contoso.com"], "s"]);
  });

  it("reports a missing or misplaced v, a wrong version and a p that does not follow v", () => {
    expect(check("p=none; rua=mailto:dmarc@contoso.com")).to.deep.equal([
      "DMARC record › v: is missing, so receivers discard the record (RFC 7489 §6.6.3). Allowed: v=DMARC1 as the first tag.",
      "DMARC record › p: does not come straight after v (RFC 7489 §6.4 ABNF). Allowed: v=DMARC1; p=... as the first two tags.",
    ]);
    expect(check("p=none; v=DMARC1")).to.deep.equal([
      "DMARC record › v: is not the first tag, so receivers discard the record (RFC 7489 §6.6.3). Allowed: v=DMARC1 as the first tag.",
      "DMARC record › p: does not come straight after v (RFC 7489 §6.4 ABNF). Allowed: v=DMARC1; p=... as the first two tags.",
    ]);
    expect(check("v=dmarc1; p=none")).to.deep.equal(['DMARC record › v: is "dmarc1". Allowed: DMARC1 (upper case, RFC 7489 §6.4).']);
    expect(check("v=DMARC1; rua=mailto:dmarc@contoso.com")).to.deep.equal([
      "DMARC record › p: is missing; it is required in a policy record (RFC 7489 §6.3). Allowed: none, quarantine, reject.",
    ]);
  });

  it("reports bad p, sp, pct, alignment and reporting values", () => {
    expect(check("v=DMARC1; p=block; sp=maybe; pct=101; adkim=x; aspf=strict; fo=2; ri=daily")).to.deep.equal([
      'DMARC record › p: is "block". Allowed: none, quarantine, reject.',
      'DMARC record › sp: is "maybe". Allowed: none, quarantine, reject.',
      'DMARC record › pct: is "101". Allowed: a whole number from 0 to 100.',
      'DMARC record › adkim: is "x". Allowed: r (relaxed, the default) or s (strict).',
      'DMARC record › aspf: is "strict". Allowed: r (relaxed, the default) or s (strict).',
      'DMARC record › fo: is "2". Allowed: 0, 1, d or s, separated by colons.',
      'DMARC record › ri: is "daily". Allowed: a whole number of seconds (default 86400).',
    ]);
    expect(check("v=DMARC1; p=none; pct=-5")).to.deep.equal(['DMARC record › pct: is "-5". Allowed: a whole number from 0 to 100.']);
  });

  it("reports rua/ruf destinations that are not mailto: URIs (RFC 7489 §6.2), each by position", () => {
    const allowed = "Allowed: mailto:address@domain, optionally with a size limit such as !10m (RFC 7489 §6.2).";
    expect(check("v=DMARC1; p=none; rua=dmarc@contoso.com")).to.deep.equal([`DMARC record › rua: "dmarc@contoso.com" is not a mailto: URI. ${allowed}`]);
    expect(check("v=DMARC1; p=none; rua=mailto:dmarc@contoso.com,https://reports.example.com; ruf=mailto:")).to.deep.equal([
      `DMARC record › rua[1]: is a "https:" URI, not mailto:. ${allowed}`,
      `DMARC record › ruf: "mailto:" does not hold an email address. ${allowed}`,
    ]);
    const parsed = parseDmarc("v=DMARC1; p=none; rua=mailto:dmarc@contoso.com,https://reports.example.com");
    expect(parsed.rua).to.deep.equal(["mailto:dmarc@contoso.com"]);
  });

  it("reports duplicate tags (RFC 6376 §3.2) and unknown ones, naming the closest tag", () => {
    expect(check("v=DMARC1; p=none; p=reject")).to.deep.equal([
      "DMARC record › p: appears more than once, which makes the whole record invalid (RFC 6376 §3.2, which RFC 7489 §6.3 adopts). Allowed: each tag once.",
    ]);
    expect(check("v=DMARC1; p=none; rau=mailto:dmarc@contoso.com")).to.deep.equal([
      "DMARC record › rau: is not a DMARC tag, and receivers ignore unknown tags (RFC 7489 §6.3), so it has no effect. Allowed: v, p, sp, pct, rua, ruf, adkim, aspf, fo, rf, ri (did you mean rua?).",
    ]);
  });

  it("reports syntax errors: an element that is not tag=value, an empty element, an empty record", () => {
    expect(check("v=DMARC1; p none")).to.deep.equal([
      'DMARC record › record: has "p none", which is not a tag=value pair. Allowed: tag=value pairs separated by semicolons, tag names starting with a letter.',
      "DMARC record › p: is missing; it is required in a policy record (RFC 7489 §6.3). Allowed: none, quarantine, reject.",
    ]);
    expect(check("v=DMARC1;; p=none")).to.deep.equal([
      "DMARC record › record: has an empty element before semicolon 2. Allowed: tag=value pairs separated by single semicolons.",
    ]);
    expect(check("")).to.deep.equal([
      "DMARC record › record: is empty. Allowed: tag=value pairs separated by single semicolons.",
      "DMARC record › v: is missing, so receivers discard the record (RFC 7489 §6.6.3). Allowed: v=DMARC1 as the first tag.",
      "DMARC record › p: is missing; it is required in a policy record (RFC 7489 §6.3). Allowed: none, quarantine, reject.",
    ]);
  });

  it("reports into the caller's list, under its path", () => {
    const problems = new ProblemList(["tenant contoso-hybrid", "domain contoso.com", "_dmarc"]);
    const found = validateDmarcRecord("v=DMARC1; p=nothing", problems);
    expect(lines(found)).to.deep.equal(['tenant contoso-hybrid › domain contoso.com › _dmarc › p: is "nothing". Allowed: none, quarantine, reject.']);
    expect(problems.all).to.have.length(1);
  });
});
