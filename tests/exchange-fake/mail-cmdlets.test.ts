import { expect } from "chai";
import type { Connection } from "../../lib/graph";
import { type CmdletCall, type ExchangeCallError, invokeCmdlet, isExchangeError } from "../../lib/exchange/client";
import { localConnection } from "../support/connection";
import { type ExchangeFake, registerExchangeRoutes } from "../support/graph-routes/exchange";
import { type MailState, registerMailCmdlets } from "../support/graph-routes/exchange-mail";
import { type GraphServer, startGraphServer } from "../support/graph-server";

type Parameters = CmdletCall["Parameters"];
type Row = Record<string, unknown>;

/** JSON null for a multi-valued parameter ($null in PowerShell), which the client's types don't model. */
const NULL = null as unknown as readonly string[];

describe("exchange fake: mail-protection cmdlets over InvokeCommand", () => {
  let server: GraphServer;
  let exchange: ExchangeFake;
  let mail: MailState;
  let connection: Connection;
  let restore: () => void;

  beforeEach(async () => {
    server = await startGraphServer();
    exchange = registerExchangeRoutes(server);
    mail = registerMailCmdlets(exchange);
    ({ connection, restore } = localConnection(server));
  });
  afterEach(async () => {
    restore();
    await server.close();
  });

  async function run(CmdletName: string, Parameters: Parameters = {}): Promise<Row[]> {
    const result = await invokeCmdlet({ connection, exchangeUrl: server.url }, { CmdletName, Parameters }, { subject: "mail tests" });
    return [...result.value];
  }

  async function refused(CmdletName: string, Parameters: Parameters = {}): Promise<ExchangeCallError> {
    const err: unknown = await run(CmdletName, Parameters).then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!isExchangeError(err)) throw new Error(`${CmdletName} was expected to fail with an Exchange error, got ${String(err)}`);
    return err;
  }

  function expectRefusal(err: ExchangeCallError, status: number, exceptionType: string, text: string): void {
    expect(err.statusCode, err.message).to.equal(status);
    expect(err.exceptionType, err.message).to.equal(exceptionType);
    expect(err.message).to.include(text);
  }

  // ----------------------------------------------------------------------------------------------------------------
  describe("outbound spam filter policies", () => {
    it("has the built-in Default policy: IsDefault, AutoForwardingMode Automatic; Get- without Identity lists all", async () => {
      await run("New-HostedOutboundSpamFilterPolicy", { Name: "Forwarding allowed", AutoForwardingMode: "On" });
      const all = await run("Get-HostedOutboundSpamFilterPolicy");
      expect(all.map((p) => [p.Identity, p.IsDefault, p.AutoForwardingMode])).to.deep.equal([
        ["Default", true, "Automatic"],
        ["Forwarding allowed", false, "On"],
      ]);
      expect(await run("Get-HostedOutboundSpamFilterPolicy", { Identity: "" })).to.have.length(2);
    });

    it("sets AutoForwardingMode, matching identity and enum value case-insensitively", async () => {
      await run("Set-HostedOutboundSpamFilterPolicy", { Identity: "default", AutoForwardingMode: "off" });
      const [policy] = await run("Get-HostedOutboundSpamFilterPolicy", { Identity: "DEFAULT" });
      expect(policy).to.include({ Name: "Default", AutoForwardingMode: "Off" });
      expect(mail.outboundPolicies.get("default")?.AutoForwardingMode).to.equal("Off");
    });

    it("refuses an AutoForwardingMode other than Automatic, On, Off", async () => {
      const err = await refused("Set-HostedOutboundSpamFilterPolicy", { Identity: "Default", AutoForwardingMode: "Sometimes" });
      expectRefusal(err, 400, "ParameterBindingException", "Cannot bind parameter 'AutoForwardingMode'. Cannot convert value \"Sometimes\"");
      expect(err.message).to.include("Automatic, Off, On");
      const onNew = await refused("New-HostedOutboundSpamFilterPolicy", { Name: "x", AutoForwardingMode: "Never" });
      expectRefusal(onNew, 400, "ParameterBindingException", "Cannot bind parameter 'AutoForwardingMode'");
      expect(mail.outboundPolicies.has("x")).to.equal(false);
    });

    it("New- defaults to Automatic and refuses a name already taken (any case)", async () => {
      const [created] = await run("New-HostedOutboundSpamFilterPolicy", { Name: "Allow forwarding" });
      expect(created).to.include({ Name: "Allow forwarding", IsDefault: false, AutoForwardingMode: "Automatic" });
      const err = await refused("New-HostedOutboundSpamFilterPolicy", { Name: "ALLOW FORWARDING", AutoForwardingMode: "On" });
      expectRefusal(err, 400, "ManagementObjectAlreadyExistsException", "'ALLOW FORWARDING' already exists");
    });

    it("answers not found for an unknown identity, or everything when the documented trap is switched on", async () => {
      const err = await refused("Get-HostedOutboundSpamFilterPolicy", { Identity: "Nope" });
      expectRefusal(err, 404, "ManagementObjectNotFoundException", "The operation couldn't be performed because object 'Nope' couldn't be found");
      expectRefusal(
        await refused("Set-HostedOutboundSpamFilterPolicy", { Identity: "Nope", AutoForwardingMode: "Off" }),
        404,
        "ManagementObjectNotFoundException",
        "'Nope'",
      );
      mail.unknownIdentityReturnsAll = true;
      expect((await run("Get-HostedOutboundSpamFilterPolicy", { Identity: "Nope" })).map((p) => p.Name)).to.deep.equal(["Default"]);
    });

    it("removes a custom policy but never the Default one", async () => {
      await run("New-HostedOutboundSpamFilterPolicy", { Name: "Temp" });
      await run("Remove-HostedOutboundSpamFilterPolicy", { Identity: "temp", Confirm: false });
      expect(mail.outboundPolicies.has("temp")).to.equal(false);
      const err = await refused("Remove-HostedOutboundSpamFilterPolicy", { Identity: "Default", Confirm: false });
      expectRefusal(err, 400, "OperationNotAllowedException", "The default outbound spam filter policy 'Default' can't be removed.");
      expect(mail.outboundPolicies.has("default")).to.equal(true);
    });

    it("applies the fake's cmdlet faults to these cmdlets too (reply lost after commit)", async () => {
      exchange.failCmdlet("New-HostedOutboundSpamFilterPolicy", { status: 400, exceptionType: "TaskTransientException", message: "Lost.", afterCommit: true });
      expectRefusal(await refused("New-HostedOutboundSpamFilterPolicy", { Name: "Committed" }), 400, "TaskTransientException", "Lost.");
      expect(mail.outboundPolicies.get("committed")?.Name).to.equal("Committed");
    });
  });

  // ----------------------------------------------------------------------------------------------------------------
  describe("outbound spam filter rules", () => {
    async function policy(name: string): Promise<void> {
      await run("New-HostedOutboundSpamFilterPolicy", { Name: name, AutoForwardingMode: "On" });
    }
    async function rule(name: string, policyName: string, extra: Parameters = {}): Promise<Row> {
      const [created] = await run("New-HostedOutboundSpamFilterRule", { Name: name, HostedOutboundSpamFilterPolicy: policyName, ...extra });
      return created;
    }

    it("creates a rule linked to its policy, enabled, with null for conditions not set", async () => {
      await policy("Allow forwarding");
      const created = await rule("Allow forwarding", "allow forwarding", { FromMemberOf: ["forwarders@contoso.com"], Comments: "baseline" });
      expect(created).to.deep.include({
        Name: "Allow forwarding",
        Identity: "Allow forwarding",
        HostedOutboundSpamFilterPolicy: "Allow forwarding",
        From: null,
        FromMemberOf: ["forwarders@contoso.com"],
        SenderDomainIs: null,
        Priority: 0,
        State: "Enabled",
        Comments: "baseline",
      });
      await policy("Off one");
      expect(await rule("Off one", "Off one", { SenderDomainIs: ["contoso.com"], Enabled: false })).to.include({ State: "Disabled", Priority: 1 });
    });

    it("refuses a name longer than 64 characters or with a forbidden character", async () => {
      await policy("P");
      const long = await refused("New-HostedOutboundSpamFilterRule", { Name: "x".repeat(65), HostedOutboundSpamFilterPolicy: "P" });
      expectRefusal(long, 400, "ParameterBindingValidationException", "The character length of the 65 argument is too long");
      expect(await rule("y".repeat(64), "P")).to.include({ Priority: 0 });
      await policy("Q");
      for (const c of ["\\", "%", "&", "*", "+", "/", "=", "?", "{", "}", "<", ">", "(", ")", ";", ":", "[", "]", ",", '"']) {
        const err = await refused("New-HostedOutboundSpamFilterRule", { Name: `bad${c}name`, HostedOutboundSpamFilterPolicy: "Q" });
        expectRefusal(err, 400, "ArgumentException", `The rule name 'bad${c}name' contains characters that aren't allowed: ${c}.`);
      }
      // "|" is refused too, but the client splits Exchange's `|<type>|<text>` on every "|", so a text quoting the
      // name can't be read back through it: check what the fake answered instead.
      await refused("New-HostedOutboundSpamFilterRule", { Name: "bad|name", HostedOutboundSpamFilterPolicy: "Q" });
      expect(exchange.calls.at(-1)).to.include({ cmdlet: "New-HostedOutboundSpamFilterRule", status: 400 });
      expect(mail.outboundRules).to.have.length(1);
    });

    it("refuses a missing policy, the Default policy, and a policy that already has a rule", async () => {
      expectRefusal(
        await refused("New-HostedOutboundSpamFilterRule", { Name: "r", HostedOutboundSpamFilterPolicy: "Ghost" }),
        404,
        "ManagementObjectNotFoundException",
        "'Ghost'",
      );
      const onDefault = await refused("New-HostedOutboundSpamFilterRule", { Name: "r", HostedOutboundSpamFilterPolicy: "Default" });
      expectRefusal(onDefault, 400, "OperationNotAllowedException", "You can't specify the default outbound spam filter policy.");
      await policy("P");
      await rule("first", "P");
      const taken = await refused("New-HostedOutboundSpamFilterRule", { Name: "second", HostedOutboundSpamFilterPolicy: "p" });
      expectRefusal(taken, 400, "OperationNotAllowedException", "The policy 'P' is already associated with the rule 'first'.");
      const sameName = await refused("New-HostedOutboundSpamFilterRule", { Name: "FIRST", HostedOutboundSpamFilterPolicy: "P" });
      expectRefusal(sameName, 400, "ManagementObjectAlreadyExistsException", "already exists");
    });

    it("numbers priorities 0..N: a new rule goes last by default, inserting shifts the others, N+1 is refused", async () => {
      for (const name of ["a", "b", "c", "d"]) await policy(name);
      await rule("a", "a");
      await rule("b", "b");
      expect(await rule("c", "c", { Priority: 0 })).to.include({ Priority: 0 });
      const err = await refused("New-HostedOutboundSpamFilterRule", { Name: "d", HostedOutboundSpamFilterPolicy: "d", Priority: 4 });
      expectRefusal(err, 400, "InvalidPriorityException", "Valid priority values are from 0 through 3.");
      expectRefusal(
        await refused("New-HostedOutboundSpamFilterRule", { Name: "d", HostedOutboundSpamFilterPolicy: "d", Priority: -1 }),
        400,
        "InvalidPriorityException",
        "-1",
      );
      const all = await run("Get-HostedOutboundSpamFilterRule");
      expect(all.map((r) => `${r.Name}:${r.Priority}`)).to.deep.equal(["c:0", "a:1", "b:2"]);
    });

    it("Set- moves a rule within 0..N-1 and changes its conditions and comments; it has no -Enabled", async () => {
      for (const name of ["a", "b", "c"]) {
        await policy(name);
        await rule(name, name);
      }
      await run("Set-HostedOutboundSpamFilterRule", {
        Identity: "C",
        Priority: 0,
        From: ["ceo@contoso.com"],
        SenderDomainIs: ["contoso.com"],
        Comments: "moved",
      });
      const all = await run("Get-HostedOutboundSpamFilterRule");
      expect(all.map((r) => `${r.Name}:${r.Priority}`)).to.deep.equal(["c:0", "a:1", "b:2"]);
      expect(all[0]).to.deep.include({ From: ["ceo@contoso.com"], SenderDomainIs: ["contoso.com"], Comments: "moved" });
      expectRefusal(await refused("Set-HostedOutboundSpamFilterRule", { Identity: "a", Priority: 3 }), 400, "InvalidPriorityException", "0 through 2");
      const enabled = await refused("Set-HostedOutboundSpamFilterRule", { Identity: "a", Enabled: false });
      expectRefusal(enabled, 400, "ParameterBindingException", "A parameter cannot be found that matches parameter name 'Enabled'.");
    });

    it("Set- clears a condition with $null", async () => {
      await policy("P");
      await rule("r", "P", { From: ["a@contoso.com"], SenderDomainIs: ["contoso.com"] });
      await run("Set-HostedOutboundSpamFilterRule", { Identity: "r", From: NULL });
      const [read] = await run("Get-HostedOutboundSpamFilterRule", { Identity: "r" });
      expect(read).to.deep.include({ From: null, SenderDomainIs: ["contoso.com"] });
    });

    it("Enable-/Disable- switch State, and Get- filters by -State", async () => {
      for (const name of ["a", "b"]) {
        await policy(name);
        await rule(name, name);
      }
      await run("Disable-HostedOutboundSpamFilterRule", { Identity: "a", Confirm: false });
      expect((await run("Get-HostedOutboundSpamFilterRule", { State: "Disabled" })).map((r) => r.Name)).to.deep.equal(["a"]);
      await run("Enable-HostedOutboundSpamFilterRule", { Identity: "A" });
      expect((await run("Get-HostedOutboundSpamFilterRule", { State: "enabled" })).map((r) => r.Name)).to.deep.equal(["a", "b"]);
      expectRefusal(await refused("Get-HostedOutboundSpamFilterRule", { State: "Paused" }), 400, "ParameterBindingException", "Cannot bind parameter 'State'");
      expectRefusal(await refused("Disable-HostedOutboundSpamFilterRule", { Identity: "zzz" }), 404, "ManagementObjectNotFoundException", "'zzz'");
    });

    it("Remove- drops the rule, moves the later ones up and keeps the policy", async () => {
      for (const name of ["a", "b", "c"]) {
        await policy(name);
        await rule(name, name);
      }
      await run("Remove-HostedOutboundSpamFilterRule", { Identity: "a", Confirm: false });
      expect((await run("Get-HostedOutboundSpamFilterRule")).map((r) => `${r.Name}:${r.Priority}`)).to.deep.equal(["b:0", "c:1"]);
      expect(mail.outboundPolicies.has("a")).to.equal(true);
      // The policy is free again for a new rule.
      expect(await rule("a again", "a")).to.include({ Priority: 2 });
    });
  });

  // ----------------------------------------------------------------------------------------------------------------
  describe("remote and accepted domains", () => {
    it("has the built-in Default remote domain (*, AutoForwardEnabled true) and sets AutoForwardEnabled", async () => {
      expect(await run("Get-RemoteDomain")).to.deep.equal([{ Name: "Default", Identity: "Default", DomainName: "*", AutoForwardEnabled: true }]);
      await run("Set-RemoteDomain", { Identity: "default", AutoForwardEnabled: false });
      const [domain] = await run("Get-RemoteDomain", { Identity: "Default" });
      expect(domain.AutoForwardEnabled).to.equal(false);
      expectRefusal(
        await refused("Set-RemoteDomain", { Identity: "Partners", AutoForwardEnabled: true }),
        404,
        "ManagementObjectNotFoundException",
        "'Partners'",
      );
      expectRefusal(
        await refused("Set-RemoteDomain", { Identity: "Default", AutoForwardEnabled: "no" }),
        400,
        "ParameterBindingException",
        "AutoForwardEnabled",
      );
    });

    it("lists accepted domains: the initial domain by default, then whatever the test seeds", async () => {
      expect(await run("Get-AcceptedDomain")).to.deep.equal([
        {
          Name: "contoso.onmicrosoft.com",
          Identity: "contoso.onmicrosoft.com",
          DomainName: "contoso.onmicrosoft.com",
          DomainType: "Authoritative",
          Default: true,
        },
      ]);
      mail.acceptedDomains.push(
        { DomainName: "contoso.com", DomainType: "Authoritative", Default: false },
        { DomainName: "fabrikam.com", DomainType: "InternalRelay", Default: false },
      );
      expect((await run("Get-AcceptedDomain")).map((d) => d.DomainName)).to.deep.equal(["contoso.onmicrosoft.com", "contoso.com", "fabrikam.com"]);
      expect(await run("Get-AcceptedDomain", { Identity: "Fabrikam.com" })).to.deep.equal([
        { Name: "fabrikam.com", Identity: "fabrikam.com", DomainName: "fabrikam.com", DomainType: "InternalRelay", Default: false },
      ]);
      expectRefusal(await refused("Get-AcceptedDomain", { Identity: "nope.com" }), 404, "ManagementObjectNotFoundException", "'nope.com'");
    });
  });

  // ----------------------------------------------------------------------------------------------------------------
  describe("DKIM signing configs", () => {
    const S1_NEW = "selector1-contoso-com._domainkey.contoso.n-v1.dkim.mail.microsoft";
    const S2_NEW = "selector2-contoso-com._domainkey.contoso.n-v1.dkim.mail.microsoft";

    beforeEach(() => {
      mail.acceptedDomains.push(
        { DomainName: "contoso.com", DomainType: "Authoritative", Default: false },
        { DomainName: "mail.contoso.com", DomainType: "Authoritative", Default: false },
      );
    });

    function publish(domain: string, s1: string, s2: string): void {
      mail.publishedCnames.set(`selector1._domainkey.${domain}`, s1);
      mail.publishedCnames.set(`selector2._domainkey.${domain}`, s2);
    }

    it("New- (disabled) gives Status CnameMissing and CNAME targets in the new format, key size 1024 by default", async () => {
      const [created] = await run("New-DkimSigningConfig", { DomainName: "Contoso.com", Enabled: false });
      expect(created).to.include({
        Domain: "contoso.com",
        Name: "contoso.com",
        Identity: "contoso.com",
        Enabled: false,
        Status: "CnameMissing",
        Selector1CNAME: S1_NEW,
        Selector2CNAME: S2_NEW,
        Selector1KeySize: 1024,
        Selector2KeySize: 1024,
      });
      mail.dkimPartitionCharacter = "r";
      const [sub] = await run("New-DkimSigningConfig", { DomainName: "mail.contoso.com", Enabled: false, KeySize: 2048 });
      expect(sub).to.include({
        Selector1CNAME: "selector1-mail-contoso-com._domainkey.contoso.r-v1.dkim.mail.microsoft",
        Selector2CNAME: "selector2-mail-contoso-com._domainkey.contoso.r-v1.dkim.mail.microsoft",
        Selector1KeySize: 2048,
      });
    });

    it("gives old-format targets when the test says the domain is an existing one", async () => {
      mail.dkimCnameFormat = "old";
      const [created] = await run("New-DkimSigningConfig", { DomainName: "contoso.com", Enabled: false });
      expect(created).to.include({
        Selector1CNAME: "selector1-contoso-com._domainkey.contoso.onmicrosoft.com",
        Selector2CNAME: "selector2-contoso-com._domainkey.contoso.onmicrosoft.com",
      });
    });

    it("New- refuses a domain that isn't accepted, *.onmicrosoft.com, an existing config and a key size other than 1024/2048", async () => {
      const notAccepted = await refused("New-DkimSigningConfig", { DomainName: "fabrikam.com", Enabled: false });
      expectRefusal(
        notAccepted,
        400,
        "ValidationException",
        'Invalid domain name specified "fabrikam.com". Please specify tenant name or valid accepted domain.',
      );
      const moera = await refused("New-DkimSigningConfig", { DomainName: "contoso.onmicrosoft.com", Enabled: false });
      expectRefusal(moera, 400, "ValidationException", 'Invalid domain name specified "contoso.onmicrosoft.com"');
      await run("New-DkimSigningConfig", { DomainName: "contoso.com", Enabled: false });
      expectRefusal(
        await refused("New-DkimSigningConfig", { DomainName: "CONTOSO.COM", Enabled: false }),
        400,
        "ManagementObjectAlreadyExistsException",
        "already exists",
      );
      expectRefusal(
        await refused("New-DkimSigningConfig", { DomainName: "mail.contoso.com", Enabled: false, KeySize: 4096 }),
        400,
        "ValidationException",
        "4096",
      );
      expect([...mail.dkimConfigs.keys()]).to.deep.equal(["contoso.com"]);
    });

    it("Get- with an empty or missing Identity returns every config (the documented trap)", async () => {
      await run("New-DkimSigningConfig", { DomainName: "contoso.com", Enabled: false });
      await run("New-DkimSigningConfig", { DomainName: "mail.contoso.com", Enabled: false });
      expect(await run("Get-DkimSigningConfig")).to.have.length(2);
      expect(await run("Get-DkimSigningConfig", { Identity: "" })).to.have.length(2);
      expect((await run("Get-DkimSigningConfig", { Identity: "MAIL.contoso.com" })).map((c) => c.Domain)).to.deep.equal(["mail.contoso.com"]);
      expectRefusal(await refused("Get-DkimSigningConfig", { Identity: "other.com" }), 404, "ManagementObjectNotFoundException", "'other.com'");
      mail.unknownIdentityReturnsAll = true;
      expect(await run("Get-DkimSigningConfig", { Identity: "other.com" })).to.have.length(2);
    });

    it("Set -Enabled $true without the CNAMEs fails with the documented ValidationException and the values to publish", async () => {
      await run("New-DkimSigningConfig", { DomainName: "contoso.com", Enabled: false });
      const err = await refused("Set-DkimSigningConfig", { Identity: "contoso.com", Enabled: true });
      expectRefusal(
        err,
        400,
        "ValidationException",
        "CNAME record does not exist for this config. Please publish the following two CNAME records first. Domain Name : contoso.com " +
          `Host Name : selector1._domainkey Points to address or value: ${S1_NEW} Host Name : selector2._domainkey Points to address or value: ${S2_NEW} . ` +
          "If you have already published the CNAME records, sync will take a few minutes to as many as 4 days based on your specific DNS. Return and retry this step later.",
      );
      expect(mail.dkimConfigs.get("contoso.com")).to.include({ Enabled: false, Status: "CnameMissing" });
    });

    it("stays refused with only one selector published or a wrong target", async () => {
      await run("New-DkimSigningConfig", { DomainName: "contoso.com", Enabled: false });
      mail.publishedCnames.set("selector1._domainkey.contoso.com", S1_NEW);
      expectRefusal(
        await refused("Set-DkimSigningConfig", { Identity: "contoso.com", Enabled: true }),
        400,
        "ValidationException",
        "CNAME record does not exist",
      );
      mail.publishedCnames.set("selector2._domainkey.contoso.com", "selector2-contoso-com._domainkey.contoso.onmicrosoft.com");
      expectRefusal(
        await refused("Set-DkimSigningConfig", { Identity: "contoso.com", Enabled: true }),
        400,
        "ValidationException",
        "CNAME record does not exist",
      );
    });

    it("enables with both CNAMEs published (case and trailing dot ignored): Enabled, Status Valid", async () => {
      await run("New-DkimSigningConfig", { DomainName: "contoso.com", Enabled: false });
      publish("Contoso.com.", `${S1_NEW.toUpperCase()}.`, S2_NEW);
      await run("Set-DkimSigningConfig", { Identity: "Contoso.com", Enabled: true });
      const [read] = await run("Get-DkimSigningConfig", { Identity: "contoso.com" });
      expect(read).to.include({ Enabled: true, Status: "Valid" });
      await run("Set-DkimSigningConfig", { Identity: "contoso.com", Enabled: false });
      expect(mail.dkimConfigs.get("contoso.com")?.Enabled).to.equal(false);
    });

    it("sees published CNAMEs only after cnameVisibleAfter attempts (DNS propagation)", async () => {
      await run("New-DkimSigningConfig", { DomainName: "contoso.com", Enabled: false });
      publish("contoso.com", S1_NEW, S2_NEW);
      mail.cnameVisibleAfter = 2;
      for (let i = 0; i < 2; i++)
        expectRefusal(
          await refused("Set-DkimSigningConfig", { Identity: "contoso.com", Enabled: true }),
          400,
          "ValidationException",
          "CNAME record does not exist",
        );
      await run("Set-DkimSigningConfig", { Identity: "contoso.com", Enabled: true });
      expect(mail.dkimConfigs.get("contoso.com")).to.include({ Enabled: true, Status: "Valid" });
    });

    it("New- with -Enabled $true needs the CNAMEs as well and creates nothing without them", async () => {
      expectRefusal(
        await refused("New-DkimSigningConfig", { DomainName: "contoso.com", Enabled: true }),
        400,
        "ValidationException",
        "CNAME record does not exist",
      );
      expect(mail.dkimConfigs.size).to.equal(0);
      publish("contoso.com", S1_NEW, S2_NEW);
      const [created] = await run("New-DkimSigningConfig", { DomainName: "contoso.com", Enabled: true });
      expect(created).to.include({ Enabled: true, Status: "Valid" });
    });

    it("Rotate- works on enabled configs only and upgrades the inactive selector's key, then the other", async () => {
      await run("New-DkimSigningConfig", { DomainName: "contoso.com", Enabled: false });
      expectRefusal(
        await refused("Rotate-DkimSigningConfig", { Identity: "contoso.com", KeySize: 2048 }),
        400,
        "ValidationException",
        "Only enabled DKIM keys can be rotated",
      );
      publish("contoso.com", S1_NEW, S2_NEW);
      await run("Set-DkimSigningConfig", { Identity: "contoso.com", Enabled: true });
      await run("Rotate-DkimSigningConfig", { Identity: "contoso.com", KeySize: 2048 });
      let [read] = await run("Get-DkimSigningConfig", { Identity: "contoso.com" });
      expect(read).to.include({
        Selector1KeySize: 1024,
        Selector2KeySize: 2048,
        SelectorAfterRotateOnDate: "selector2",
        SelectorBeforeRotateOnDate: "selector1",
      });
      expect(read.RotateOnDate).to.be.a("string");
      await run("Rotate-DkimSigningConfig", { Identity: "contoso.com", KeySize: 2048 });
      [read] = await run("Get-DkimSigningConfig", { Identity: "contoso.com" });
      expect(read).to.include({ Selector1KeySize: 2048, Selector2KeySize: 2048 });
      expectRefusal(await refused("Rotate-DkimSigningConfig", { Identity: "other.com" }), 404, "ManagementObjectNotFoundException", "'other.com'");
    });
  });

  // ----------------------------------------------------------------------------------------------------------------
  describe("preset security policy rules", () => {
    it("has no rules for a preset never turned on in the portal", async () => {
      expect(await run("Get-EOPProtectionPolicyRule")).to.deep.equal([]);
      const err = await refused("Get-EOPProtectionPolicyRule", { Identity: "Standard Preset Security Policy" });
      expectRefusal(err, 404, "ManagementObjectNotFoundException", "'Standard Preset Security Policy'");
      expectRefusal(
        await refused("Enable-EOPProtectionPolicyRule", { Identity: "Strict Preset Security Policy" }),
        404,
        "ManagementObjectNotFoundException",
        "Strict",
      );
    });

    it("lists both presets' rules once turned on: Strict priority 0, Standard 1, Enabled, condition lists null", async () => {
      mail.presetsTurnedOnInPortal.add("Standard");
      mail.presetsTurnedOnInPortal.add("Strict");
      const rules = await run("Get-EOPProtectionPolicyRule");
      expect(rules).to.deep.equal([
        {
          Name: "Strict Preset Security Policy",
          Identity: "Strict Preset Security Policy",
          State: "Enabled",
          Priority: 0,
          SentTo: null,
          SentToMemberOf: null,
          RecipientDomainIs: null,
          ExceptIfSentTo: null,
          ExceptIfSentToMemberOf: null,
          ExceptIfRecipientDomainIs: null,
          Comments: null,
        },
        {
          Name: "Standard Preset Security Policy",
          Identity: "Standard Preset Security Policy",
          State: "Enabled",
          Priority: 1,
          SentTo: null,
          SentToMemberOf: null,
          RecipientDomainIs: null,
          ExceptIfSentTo: null,
          ExceptIfSentToMemberOf: null,
          ExceptIfRecipientDomainIs: null,
          Comments: null,
        },
      ]);
    });

    it("Disable-/Enable- switch State (turning off keeps the rule); Get- filters by -State", async () => {
      mail.presetsTurnedOnInPortal.add("Standard");
      await run("Disable-EOPProtectionPolicyRule", { Identity: "standard preset security policy", Confirm: false });
      expect((await run("Get-EOPProtectionPolicyRule", { Identity: "Standard Preset Security Policy" }))[0].State).to.equal("Disabled");
      expect(await run("Get-EOPProtectionPolicyRule", { State: "Enabled" })).to.deep.equal([]);
      await run("Enable-EOPProtectionPolicyRule", { Identity: "Standard Preset Security Policy" });
      expect(mail.eopRules.get("standard preset security policy")?.State).to.equal("Enabled");
    });

    it("Set- scopes the rule with conditions and exceptions; the default priority is accepted, any other refused", async () => {
      mail.presetsTurnedOnInPortal.add("Standard");
      mail.presetsTurnedOnInPortal.add("Strict");
      await run("Set-EOPProtectionPolicyRule", {
        Identity: "Strict Preset Security Policy",
        SentToMemberOf: ["executives@contoso.com"],
        RecipientDomainIs: ["contoso.com"],
        ExceptIfSentTo: ["svc@contoso.com"],
        Comments: "VIPs",
        Priority: 0,
      });
      const [strict] = await run("Get-EOPProtectionPolicyRule", { Identity: "Strict Preset Security Policy" });
      expect(strict).to.deep.include({
        SentTo: null,
        SentToMemberOf: ["executives@contoso.com"],
        RecipientDomainIs: ["contoso.com"],
        ExceptIfSentTo: ["svc@contoso.com"],
        ExceptIfSentToMemberOf: null,
        Comments: "VIPs",
        Priority: 0,
      });
      const err = await refused("Set-EOPProtectionPolicyRule", { Identity: "Standard Preset Security Policy", Priority: 0 });
      expectRefusal(err, 400, "OperationNotAllowedException", "You must use the default value for the rule: 1.");
      const enabled = await refused("Set-EOPProtectionPolicyRule", { Identity: "Standard Preset Security Policy", Enabled: true });
      expectRefusal(enabled, 400, "ParameterBindingException", "'Enabled'");
    });

    it("Set- clears conditions with $null: all $null applies the preset to everyone", async () => {
      mail.presetsTurnedOnInPortal.add("Standard");
      await run("Set-EOPProtectionPolicyRule", { Identity: "Standard Preset Security Policy", SentTo: ["a@contoso.com"], RecipientDomainIs: ["contoso.com"] });
      await run("Set-EOPProtectionPolicyRule", { Identity: "Standard Preset Security Policy", SentTo: NULL, RecipientDomainIs: NULL });
      const [read] = await run("Get-EOPProtectionPolicyRule", { Identity: "Standard Preset Security Policy" });
      expect(read).to.deep.include({ SentTo: null, RecipientDomainIs: null });
    });

    it("without Defender for Office 365 the ATP cmdlets don't exist; with it they mirror the EOP rules", async () => {
      mail.presetsTurnedOnInPortal.add("Standard");
      for (const cmdlet of [
        "Get-ATPProtectionPolicyRule",
        "Set-ATPProtectionPolicyRule",
        "Enable-ATPProtectionPolicyRule",
        "Disable-ATPProtectionPolicyRule",
      ]) {
        const params: Parameters = cmdlet.startsWith("Get-") ? {} : { Identity: "Standard Preset Security Policy" };
        expectRefusal(await refused(cmdlet, params), 400, "CommandNotFoundException", `The term '${cmdlet}' is not recognized as a name of a cmdlet`);
      }
      mail.defenderForOffice365 = true;
      expect((await run("Get-ATPProtectionPolicyRule")).map((r) => [r.Name, r.Priority, r.State])).to.deep.equal([
        ["Standard Preset Security Policy", 1, "Enabled"],
      ]);
      await run("Set-ATPProtectionPolicyRule", { Identity: "Standard Preset Security Policy", ExceptIfRecipientDomainIs: ["fabrikam.com"] });
      await run("Disable-ATPProtectionPolicyRule", { Identity: "Standard Preset Security Policy" });
      expect(mail.atpRules.get("standard preset security policy")).to.deep.include({ State: "Disabled", ExceptIfRecipientDomainIs: ["fabrikam.com"] });
      expect(mail.eopRules.get("standard preset security policy")?.State).to.equal("Enabled");
    });
  });
});
