import { expect } from "chai";
import { TOKENS } from "../../lib/managed/tokens";
import { diffPlans } from "../../lib/plan/diff";
import type { Plan, PlannedResource } from "../../lib/plan/record";
import { defaultDescribers } from "../../lib/plan/registry";

// What a reviewer must be told about mail-protection changes (issue 18: "a plan and diff that enable forwarding for
// anyone are flagged as a risk"), written from the scenario, on hand-written plans in `plan --json`'s shape.
const resource = (type: string, name: string, inputs: Record<string, unknown>): PlannedResource => ({
  urn: `urn:pulumi:t::m365-baseline::m365-baseline:mailprotection:MailProtection$${type}::${name}`,
  type,
  name,
  parent: null,
  inputs,
});
const plan = (...resources: PlannedResource[]): Plan => ({ stack: "t", project: "m365-baseline", resources });
const risks = (base: Plan, head: Plan) => diffPlans(base, head, defaultDescribers()).risks.map((r) => [r.kind, r.severity, r.message]);

const defaults = (remoteDomainAutoForward: boolean) =>
  resource(TOKENS.forwardingDefaults, "mail-protection-forwarding-defaults", { autoForwardingMode: "Off", remoteDomainAutoForward });
const exception = (senders: string[]) =>
  resource(TOKENS.forwardingException, "mail-protection-forwarding-sales", {
    name: "sales",
    reason: "Sales forwards quotes to the distributor.",
    senders,
    senderGroups: [],
    autoForwardingMode: "On",
    ruleState: "Enabled",
  });
const domain = (stage: string) =>
  resource(TOKENS.mailDomain, "contoso.com", {
    domain: "contoso.com",
    dkim: { enabled: true, keySize: 2048 },
    dmarc: { stage },
    dnsHost: "external",
    records: [],
  });
const preset = (exceptGroups: string[], scope: { users?: string[]; groups?: string[]; domains?: string[] } = {}) =>
  resource(TOKENS.presetSecurityPolicy, "preset-standard", {
    level: "standard",
    users: scope.users ?? [],
    groups: scope.groups ?? [],
    domains: scope.domains ?? [],
    exceptUsers: [],
    exceptGroups,
    exceptDomains: [],
    defenderForOffice365: true,
    state: "Enabled",
  });

describe("mail protection in plans and diffs", () => {
  it("a new forwarding exception is high severity, naming who may now forward and the written reason", () => {
    expect(risks(plan(defaults(false)), plan(defaults(true), exception(["sales@contoso.com"])))).to.deep.equal([
      [
        "forwarding-enabled",
        "high",
        'sales@contoso.com may now forward mail outside the organization automatically (m365-baseline forwarding sales: "Sales forwards quotes to the distributor.")',
      ],
      [
        "forwarding-enabled",
        "medium",
        "the Default remote domain now allows automatic forwarding (a forwarding exception exists); the outbound policy still blocks everyone else",
      ],
    ]);
  });

  it("a sender added to an exception is flagged; a sender removed is not", () => {
    expect(risks(plan(exception(["sales@contoso.com"])), plan(exception(["ceo@contoso.com", "sales@contoso.com"]))).map((r) => r.slice(0, 2))).to.deep.equal([
      ["forwarding-enabled", "high"],
    ]);
    expect(risks(plan(exception(["ceo@contoso.com", "sales@contoso.com"])), plan(exception(["sales@contoso.com"])))).to.deep.equal([]);
  });

  it("removing the forwarding control is high: nothing keeps forwarding off any more", () => {
    expect(risks(plan(defaults(false)), plan())).to.deep.equal([
      ["forwarding-control-removed", "high", "external forwarding is no longer managed: nothing keeps the Default outbound policy's forwarding off"],
    ]);
  });

  it("a preset's conditions AND together: a group added beside a domain narrows it, and the diff says to whom it now applies", () => {
    // Different kinds of condition narrow each other (Microsoft, "Preset security policies").
    const before = preset([], { domains: ["contoso.com"] });
    const after = preset([], { domains: ["contoso.com"], groups: ["finance@contoso.com"] });
    expect(risks(plan(before), plan(after))).to.deep.equal([
      [
        "preset-narrowed",
        "medium",
        "Standard protection now applies to (members of finance@contoso.com) and (recipients in contoso.com) (was: recipients in contoso.com)",
      ],
    ]);
  });

  it("a mail domain no longer declared is high: signing stops, and its records are no longer kept", () => {
    expect(risks(plan(domain("reject")), plan()).map((r) => r.slice(0, 2))).to.deep.equal([["mail-domain-removed", "high"]]);
  });

  it("DMARC moved back a stage, and a preset that stops protecting a group, are medium", () => {
    expect(risks(plan(domain("reject")), plan(domain("monitor")))).to.deep.equal([["dmarc-relaxed", "medium", "contoso.com: DMARC reject → monitor"]]);
    expect(risks(plan(domain("monitor")), plan(domain("quarantine")))).to.deep.equal([]);
    expect(risks(plan(preset([])), plan(preset(["finance@contoso.com"])))).to.deep.equal([
      ["preset-narrowed", "medium", "Standard protection no longer protects finance@contoso.com"],
    ]);
  });
});
