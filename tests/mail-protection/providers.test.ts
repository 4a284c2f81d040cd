import { expect } from "chai";
import { DKIM_KEYS_TYPE } from "../../components/mail-protection/dkim-keys-provider";
import { DKIM_SIGNING_TYPE, DkimSigningInputs } from "../../components/mail-protection/dkim-signing-provider";
import { FORWARDING_DEFAULTS_TYPE } from "../../components/mail-protection/forwarding-defaults-provider";
import { FORWARDING_EXCEPTION_TYPE, ForwardingExceptionInputs } from "../../components/mail-protection/forwarding-exception-provider";
import { PRESET_TYPE, PresetInputs } from "../../components/mail-protection/preset-provider";
import { invokeCmdlet } from "../../lib/exchange";
import type { Connection } from "../../lib/graph";
import { isPartialFailure } from "../../lib/managed/resource";
import { localConnection } from "../support/connection";
import { ExchangeFake, registerExchangeRoutes } from "../support/graph-routes/exchange";
import { MailState, registerMailCmdlets } from "../support/graph-routes/exchange-mail";
import { GraphServer, startGraphServer } from "../support/graph-server";

/**
 * Issue 18: each mail-protection object against the local Exchange admin API, which refuses what Exchange refuses.
 * Expected values come from Microsoft's documentation of each cmdlet (cited in the providers) and the scenario.
 */
describe("mail protection providers against the local Exchange admin API", () => {
  let server: GraphServer;
  let exchange: ExchangeFake;
  let mail: MailState;
  let connection: Connection;
  let restore: () => void;
  const target = () => ({ connection, exchangeUrl: server.url });
  /** A cmdlet run as an administrator would in the portal or PowerShell (not through a provider). */
  const runCmdlet = (CmdletName: string, Parameters: Record<string, string>) => invokeCmdlet(target(), { CmdletName, Parameters }, { subject: "the portal" });

  beforeEach(async () => {
    server = await startGraphServer();
    exchange = registerExchangeRoutes(server);
    mail = registerMailCmdlets(exchange);
    ({ connection, restore } = localConnection(server, { retry: { maxRetries: 2, delaySeconds: 0 } }));
  });
  afterEach(async () => {
    restore();
    await server.close();
  });

  const standard = (overrides: Partial<PresetInputs> = {}): PresetInputs => ({
    ...target(),
    level: "standard",
    users: [],
    groups: [],
    domains: ["contoso.com"],
    exceptUsers: [],
    exceptGroups: ["vip@contoso.com"],
    exceptDomains: [],
    defenderForOffice365: true,
    state: "Enabled",
    ...overrides,
  });

  describe("external forwarding defaults", () => {
    const provider = FORWARDING_DEFAULTS_TYPE.provider;
    const defaults = (exceptionPolicies: string[] = []) => ({
      ...target(),
      autoForwardingMode: "Off" as const,
      remoteDomainAutoForward: exceptionPolicies.length > 0,
      exceptionPolicies,
      otherPoliciesForwarding: [],
    });

    it("another outbound policy that lets its senders forward (made in the portal) is drift, and is switched Off; a declared exception is not", async () => {
      // Exchange applies the first outbound policy that matches a sender: such a policy reopens forwarding for its senders.
      await runCmdlet("New-HostedOutboundSpamFilterPolicy", { Name: "Sales forwarding", AutoForwardingMode: "On" });
      await runCmdlet("New-HostedOutboundSpamFilterPolicy", { Name: "m365-baseline forwarding helpdesk-ticketing", AutoForwardingMode: "On" });
      const inputs = defaults(["m365-baseline forwarding helpdesk-ticketing"]);
      const read = await provider.read("Default", inputs);
      expect(read.props!.otherPoliciesForwarding).to.deep.equal(["Sales forwarding"]);
      expect((await provider.diff("Default", read.props!, inputs)).changes).to.equal(true);
      await provider.update("Default", read.props!, inputs);
      expect(mail.outboundPolicies.get("sales forwarding")!.AutoForwardingMode).to.equal("Off");
      expect(mail.outboundPolicies.get("m365-baseline forwarding helpdesk-ticketing")!.AutoForwardingMode).to.equal("On");
      expect((await provider.read("Default", inputs)).props!.otherPoliciesForwarding).to.deep.equal([]);
    });

    it("sets the Default outbound policy to Off (never Automatic) and aligns the Default remote domain; refresh shows a mode set back by hand", async () => {
      const inputs = defaults();
      const { id } = await provider.create(inputs);
      expect(mail.outboundPolicies.get("default")!.AutoForwardingMode).to.equal("Off");
      expect(mail.remoteDomains.get("default")!.AutoForwardEnabled).to.equal(false);

      mail.outboundPolicies.get("default")!.AutoForwardingMode = "Automatic";
      const read = await provider.read(id, inputs);
      expect(read.props!.autoForwardingMode).to.equal("Automatic");
      expect((await provider.diff(id, read.props!, inputs)).changes).to.equal(true);
    });

    it("forgetting the declaration leaves forwarding off (delete changes nothing)", async () => {
      const inputs = defaults();
      await provider.create(inputs);
      await provider.delete("Default", inputs);
      expect(mail.outboundPolicies.get("default")!.AutoForwardingMode).to.equal("Off");
    });
  });

  describe("forwarding exceptions", () => {
    const provider = FORWARDING_EXCEPTION_TYPE.provider;
    const identity = "m365-baseline forwarding helpdesk-ticketing";
    const exception = (): ForwardingExceptionInputs => ({
      ...target(),
      name: "helpdesk-ticketing",
      reason: "Forwards to the outsourced ticketing provider.",
      senders: ["helpdesk@contoso.com"],
      senderGroups: [],
      autoForwardingMode: "On",
      ruleState: "Enabled",
    });

    it("creates a custom policy with forwarding On and a rule scoped to the senders, the reason in its comments", async () => {
      await provider.create(exception());
      const policy = mail.outboundPolicies.get(identity)!;
      expect(policy.AutoForwardingMode).to.equal("On");
      expect(mail.outboundRules.map((r) => [r.Name, r.HostedOutboundSpamFilterPolicy, r.From, r.State, r.Comments])).to.deep.equal([
        [identity, identity, ["helpdesk@contoso.com"], "Enabled", "Forwards to the outsourced ticketing provider."],
      ]);
    });

    it("a New- policy whose reply is lost after Exchange committed it is found, not sent again", async () => {
      exchange.failCmdlet("New-HostedOutboundSpamFilterPolicy", {
        status: 503,
        exceptionType: "ServerException",
        message: "lost",
        afterCommit: true,
        times: 3,
      });
      await provider.create(exception());
      expect(
        exchange.callsOf("New-HostedOutboundSpamFilterPolicy").length +
          exchange.calls.filter((c) => c.cmdlet === "New-HostedOutboundSpamFilterPolicy" && c.status >= 500).length,
      ).to.equal(1);
      expect([...mail.outboundPolicies.keys()].filter((k) => k !== "default")).to.deep.equal([identity]);
      expect(mail.outboundRules).to.have.length(1);
    });

    it("a rule Exchange refuses after the policy exists is a partial failure recording the policy; the next update finishes", async () => {
      exchange.failCmdlet("New-HostedOutboundSpamFilterRule", { status: 400, exceptionType: "InvalidPriorityException", message: "refused once" });
      const err = await provider.create(exception()).catch((e: unknown) => e);
      expect(isPartialFailure(err), String(err)).to.equal(true);
      const failure = err as { id: string; properties: ForwardingExceptionInputs };
      expect(failure.id).to.equal(identity);
      const diff = await provider.diff(failure.id, failure.properties, exception());
      expect(diff.changes, "the recorded state differs from the declaration").to.equal(true);
      await provider.update(failure.id, failure.properties, exception());
      expect(mail.outboundRules.map((r) => r.From)).to.deep.equal([["helpdesk@contoso.com"]]);
    });

    it("refresh shows a sender added and a rule disabled in the portal; update restores both", async () => {
      const { id, outs } = await provider.create(exception());
      mail.outboundRules[0].From = ["helpdesk@contoso.com", "ceo@contoso.com"];
      mail.outboundRules[0].State = "Disabled";
      const read = await provider.read(id, outs);
      expect([read.props!.senders, read.props!.ruleState]).to.deep.equal([["ceo@contoso.com", "helpdesk@contoso.com"], "Disabled"]);
      await provider.update(id, read.props!, exception());
      expect([mail.outboundRules[0].From, mail.outboundRules[0].State]).to.deep.equal([["helpdesk@contoso.com"], "Enabled"]);
    });

    it("refresh shows the rule pointed at another policy or scoped to sender domains by hand; update puts it back on its own policy, senders only", async () => {
      const { id, outs } = await provider.create(exception());
      await runCmdlet("New-HostedOutboundSpamFilterPolicy", { Name: "Someone else's", AutoForwardingMode: "On" });
      mail.outboundRules[0].HostedOutboundSpamFilterPolicy = "Someone else's";
      mail.outboundRules[0].SenderDomainIs = ["fabrikam.com"];
      const read = await provider.read(id, outs);
      expect(read.props!.ruleState).to.equal("applies Someone else's");
      await provider.update(id, read.props!, exception());
      const rule = mail.outboundRules[0];
      expect([rule.HostedOutboundSpamFilterPolicy.toLowerCase(), rule.SenderDomainIs, rule.From]).to.deep.equal([identity, [], ["helpdesk@contoso.com"]]);
      expect((await provider.read(id, outs)).props!.ruleState).to.equal("Enabled");
    });

    it("refuses an exception without senders in check: its rule would let everyone forward", async () => {
      const result = await provider.check(undefined, { ...exception(), senders: [] });
      expect(result.failures?.map((f) => f.reason)).to.deep.equal(["an exception names no sender and no group: its rule would let every sender forward"]);
    });

    it("delete removes the rule, then the policy; either already gone (removed in the portal) is fine", async () => {
      const { id, outs } = await provider.create(exception());
      await provider.delete(id, outs);
      expect([mail.outboundRules.length, mail.outboundPolicies.has(identity)]).to.deep.equal([0, false]);
      await provider.delete(id, outs);
      expect(await provider.read(id, outs), "gone reads as gone").to.deep.equal({});
    });

    it("adopts a policy and rule made by hand under the exception's name, and brings them to the declaration", async () => {
      await runCmdlet("New-HostedOutboundSpamFilterPolicy", { Name: identity, AutoForwardingMode: "Off" });
      await invokeCmdlet(
        target(),
        {
          CmdletName: "New-HostedOutboundSpamFilterRule",
          Parameters: { Name: identity, HostedOutboundSpamFilterPolicy: identity, From: ["someone@contoso.com"], Enabled: false },
        },
        { subject: "the portal" },
      );
      await provider.create(exception());
      expect(exchange.callsOf("New-HostedOutboundSpamFilterPolicy")).to.have.length(1);
      const rule = mail.outboundRules[0];
      expect([mail.outboundPolicies.get(identity)!.AutoForwardingMode, rule.From, rule.State, rule.Comments]).to.deep.equal([
        "On",
        ["helpdesk@contoso.com"],
        "Enabled",
        "Forwards to the outsourced ticketing provider.",
      ]);
    });

    it("another name is another policy and rule (replaced); the same name in another case is the same exception", async () => {
      const { id, outs } = await provider.create(exception());
      expect((await provider.diff(id, outs, { ...exception(), name: "helpdesk-crm" })).replaces).to.deep.equal(["name"]);
      expect((await provider.diff(id, outs, { ...exception(), name: "Helpdesk-Ticketing" })).changes).to.equal(false);
      expect((await provider.diff(id, outs, { ...exception(), reason: "Another reason, written for the reviewer." })).changes).to.equal(true);
    });
  });

  describe("DKIM", () => {
    const keys = DKIM_KEYS_TYPE.provider;
    const signing = DKIM_SIGNING_TYPE.provider;
    const fast = { attempts: 3, startingDelayMs: 1 };

    /** fabrikam.com's keys created and both CNAMEs published, as a DNS host would after the first `up`. */
    async function publishedKeys(): Promise<DkimSigningInputs> {
      mail.acceptedDomains.push({ DomainName: "fabrikam.com", DomainType: "Authoritative", Default: false });
      const { outs } = await keys.create({ ...target(), domain: "fabrikam.com", keySize: 2048 });
      mail.publishedCnames.set("selector1._domainkey.fabrikam.com", outs.selector1Cname);
      mail.publishedCnames.set("selector2._domainkey.fabrikam.com", outs.selector2Cname);
      return { ...target(), domain: "fabrikam.com", enabled: true, selector1Cname: outs.selector1Cname, selector2Cname: outs.selector2Cname, poll: fast };
    }

    it("signing: refresh reads Exchange's state (a domain signed off by hand is drift), delete switches it off, a config gone reads as gone", async () => {
      const inputs = await publishedKeys();
      const { id, outs } = await signing.create(inputs);
      expect([outs.enabled, outs.status]).to.deep.equal([true, "Valid"]);
      mail.dkimConfigs.get("fabrikam.com")!.Enabled = false;
      const read = await signing.read(id, outs);
      expect(read.props!.enabled).to.equal(false);
      expect((await signing.diff(id, read.props!, inputs)).changes).to.equal(true);
      mail.dkimConfigs.get("fabrikam.com")!.Enabled = true;
      await signing.delete(id, outs);
      expect(mail.dkimConfigs.get("fabrikam.com")!.Enabled, "forgetting the declaration stops signing").to.equal(false);
      mail.dkimConfigs.delete("fabrikam.com");
      expect(await signing.read(id, outs)).to.deep.equal({});
      // Exchange answers every configuration for an identity it does not know: none of them is taken for this one.
      mail.unknownIdentityReturnsAll = true;
      mail.acceptedDomains.push({ DomainName: "contoso.com", DomainType: "Authoritative", Default: false });
      await keys.create({ ...target(), domain: "contoso.com", keySize: 2048 });
      expect(await signing.read(id, outs)).to.deep.equal({});
    });

    it("signing declared off is switched off; new selector targets are a change Exchange is asked to check again", async () => {
      const inputs = await publishedKeys();
      const off = await signing.create({ ...inputs, enabled: false });
      expect([off.outs.enabled, off.outs.status, mail.dkimConfigs.get("fabrikam.com")!.Enabled]).to.deep.equal([false, "disabled", false]);
      expect((await signing.diff(off.id, off.outs, { ...inputs, enabled: false, selector1Cname: "selector1-new" })).changes).to.equal(true);
      expect((await signing.diff(off.id, off.outs, { ...inputs, enabled: false })).changes).to.equal(false);
    });

    it("a refusal other than missing CNAMEs is not waited out: it fails at once", async () => {
      const inputs = await publishedKeys();
      exchange.failCmdlet("Set-DkimSigningConfig", { status: 403, exceptionType: "AccessDeniedException", message: "not allowed" });
      const err = (await signing.create(inputs).catch((e: Error) => e)) as Error;
      expect(err.message).to.contain("Set-DkimSigningConfig for DKIM for fabrikam.com failed: HTTP 403");
      expect(exchange.calls.filter((c) => c.cmdlet === "Set-DkimSigningConfig")).to.have.length(1);
    });

    it("keys are created with signing off, and the selector targets are exactly what Exchange answers (never built from a pattern)", async () => {
      mail.acceptedDomains.push({ DomainName: "fabrikam.com", DomainType: "Authoritative", Default: false });
      mail.dkimPartitionCharacter = "r";
      const { id, outs } = await keys.create({ ...target(), domain: "fabrikam.com", keySize: 2048 });
      const config = mail.dkimConfigs.get("fabrikam.com")!;
      expect(config.Enabled).to.equal(false);
      expect(id).to.equal("fabrikam.com");
      expect([outs.selector1Cname, outs.selector2Cname]).to.deep.equal([config.Selector1CNAME, config.Selector2CNAME]);
      expect(outs.selector1Cname).to.match(/\.r-v1\.dkim\.mail\.microsoft$/);
      // A second create (a lost reply, or keys made by hand) adopts: Exchange refuses a second configuration.
      await keys.create({ ...target(), domain: "fabrikam.com", keySize: 2048 });
      expect(exchange.callsOf("New-DkimSigningConfig")).to.have.length(1);
    });

    it("signing waits for the CNAMEs and, when DNS is still not there, finishes without failing: recorded off, so the next up tries again", async () => {
      mail.acceptedDomains.push({ DomainName: "fabrikam.com", DomainType: "Authoritative", Default: false });
      const { outs: made } = await keys.create({ ...target(), domain: "fabrikam.com", keySize: 2048 });
      const inputs: DkimSigningInputs = {
        ...target(),
        domain: "fabrikam.com",
        enabled: true,
        selector1Cname: made.selector1Cname,
        selector2Cname: made.selector2Cname,
        poll: fast,
      };

      const waiting = await signing.create(inputs);
      expect(waiting.outs.enabled).to.equal(false);
      expect(waiting.outs.status).to.contain("waiting for the selector CNAME records");
      expect(exchange.calls.filter((c) => c.cmdlet === "Set-DkimSigningConfig").length, "tried once per poll attempt").to.equal(fast.attempts);
      expect((await signing.diff(waiting.id, waiting.outs, inputs)).changes).to.equal(true);

      // The DNS host publishes the records; propagation lets Exchange see them on the second try.
      mail.publishedCnames.set("selector1._domainkey.fabrikam.com", made.selector1Cname);
      mail.publishedCnames.set("selector2._domainkey.fabrikam.com", `${made.selector2Cname}.`);
      mail.cnameVisibleAfter = 1;
      const enabled = await signing.update(waiting.id, waiting.outs, inputs);
      expect([enabled.outs.enabled, enabled.outs.status]).to.deep.equal([true, "Valid"]);
      expect(mail.dkimConfigs.get("fabrikam.com")!.Enabled).to.equal(true);
    });
  });

  describe("preset security policies (continued)", () => {
    const provider = PRESET_TYPE.provider;
    it("a tenant without Defender for Office 365 but declared with it: an error saying to declare defenderForOffice365: false", async () => {
      mail.presetsTurnedOnInPortal.add("Standard");
      const inputs = standard({ domains: [], exceptGroups: [], defenderForOffice365: true });
      const err = (await provider.create(inputs).catch((e: Error) => e)) as Error;
      expect(err.message).to.equal(
        "the standard preset security policy: this tenant has no Defender for Office 365 (no ATP cmdlets); declare defenderForOffice365: false",
      );
    });

    it("with Defender for Office 365 licensed but not declared, the ATP rule the portal turned on is switched off", async () => {
      mail.defenderForOffice365 = true;
      mail.presetsTurnedOnInPortal.add("Standard");
      const inputs = standard({ domains: [], exceptGroups: [], defenderForOffice365: false });
      mail.atpRules.get("standard preset security policy")!.State = "Enabled";
      await provider.create(inputs);
      expect(mail.atpRules.get("standard preset security policy")!.State).to.equal("Disabled");
    });
  });

  describe("preset security policies", () => {
    const provider = PRESET_TYPE.provider;

    it("a preset never turned on in the Defender portal is an error naming the portal step, and nothing is changed", async () => {
      mail.defenderForOffice365 = true;
      const err = (await provider.create(standard()).catch((e: Error) => e)) as Error;
      expect(err.message).to.contain('the rule "Standard Preset Security Policy" (EOP) does not exist');
      expect(err.message).to.contain("Turn the standard preset on once in the Microsoft Defender portal");
      expect(exchange.calls.filter((c) => !c.cmdlet.startsWith("Get-"))).to.deep.equal([]);
    });

    it("scopes both rules to the recipients and turns them on; refresh shows a preset turned off in the portal", async () => {
      mail.defenderForOffice365 = true;
      mail.presetsTurnedOnInPortal.add("Standard");
      for (const rule of [...mail.eopRules.values(), ...mail.atpRules.values()]) rule.State = "Disabled";
      const { id, outs } = await provider.create(standard());
      for (const rule of [mail.eopRules.get("standard preset security policy")!, mail.atpRules.get("standard preset security policy")!]) {
        expect([rule.State, rule.RecipientDomainIs, rule.ExceptIfSentToMemberOf, rule.SentTo]).to.deep.equal([
          "Enabled",
          ["contoso.com"],
          ["vip@contoso.com"],
          [],
        ]);
      }
      mail.eopRules.get("standard preset security policy")!.State = "Disabled";
      const read = await provider.read(id, outs);
      expect(read.props!.state).to.equal("Disabled");
      expect((await provider.diff(id, read.props!, standard())).changes).to.equal(true);
    });

    it("without Defender for Office 365 only the Exchange Online Protection rule is touched (the ATP cmdlets do not exist there)", async () => {
      mail.presetsTurnedOnInPortal.add("Standard");
      await provider.create(standard({ defenderForOffice365: false }));
      // Its rule would be switched off if the tenant had one; here the cmdlet does not exist, which is fine.
      expect(exchange.calls.filter((c) => c.cmdlet.includes("ATP")).map((c) => [c.cmdlet, c.status])).to.deep.equal([["Disable-ATPProtectionPolicyRule", 400]]);
      expect(mail.eopRules.get("standard preset security policy")!.State).to.equal("Enabled");
    });
  });
});
