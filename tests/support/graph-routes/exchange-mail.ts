import { randomUUID } from "node:crypto";
import { ExchangeFailure, type CmdletHandler, type ExchangeFake, type ParamType } from "./exchange";

/**
 * Mail-protection cmdlets for the fake Exchange Online admin API (tests/support/graph-routes/exchange.ts): outbound
 * spam filter policies and rules, remote domains, accepted domains, DKIM signing configs and the rules of the
 * Standard/Strict preset security policies. Behaviour follows the cmdlet reference
 * (https://learn.microsoft.com/powershell/module/exchangepowershell/<cmdlet-lowercase>) and the Defender for Office 365
 * pages cited per section. Where Microsoft documents no error text, the exception type is the one Exchange's own
 * task code raises for that check and the text is modelled on the documented rule; those places say "inferred".
 *
 * State is plain data the tests seed and read (`MailState`). Maps are keyed by the lower-cased name, as Exchange
 * matches identities case-insensitively.
 */

export type AutoForwardingMode = "Automatic" | "On" | "Off";
export type RuleState = "Enabled" | "Disabled";
export type Preset = "Standard" | "Strict";

export interface FakeOutboundPolicy {
  Name: string;
  Guid: string;
  IsDefault: boolean;
  AutoForwardingMode: AutoForwardingMode;
}

export interface FakeOutboundRule {
  Name: string;
  Guid: string;
  /** The policy's Name. */
  HostedOutboundSpamFilterPolicy: string;
  From: string[];
  FromMemberOf: string[];
  SenderDomainIs: string[];
  State: RuleState;
  Comments: string | null;
}

export interface FakeRemoteDomain {
  Name: string;
  DomainName: string;
  AutoForwardEnabled: boolean;
}

export interface FakeAcceptedDomain {
  DomainName: string;
  DomainType: "Authoritative" | "InternalRelay";
  Default: boolean;
}

export type DkimSelector = "selector1" | "selector2";

export interface FakeDkimConfig {
  /** The domain, lower-case (also Name and Identity). */
  Domain: string;
  Guid: string;
  Enabled: boolean;
  Status: "CnameMissing" | "Valid";
  Selector1CNAME: string;
  Selector2CNAME: string;
  Selector1KeySize: number;
  Selector2KeySize: number;
  KeyCreationTime: string;
  RotateOnDate: string | null;
  /** The selector signing now; a rotation switches to the other one. */
  activeSelector: DkimSelector;
}

export interface FakePresetRule {
  Name: string;
  preset: Preset;
  State: RuleState;
  SentTo: string[];
  SentToMemberOf: string[];
  RecipientDomainIs: string[];
  ExceptIfSentTo: string[];
  ExceptIfSentToMemberOf: string[];
  ExceptIfRecipientDomainIs: string[];
  Comments: string | null;
}

export interface MailState {
  // --- outbound spam filter -------------------------------------------------------------------------------------
  /** By lower-cased Name; holds the built-in `default` policy from the start. */
  readonly outboundPolicies: Map<string, FakeOutboundPolicy>;
  /** In priority order: a rule's Priority is its index. */
  readonly outboundRules: FakeOutboundRule[];
  // --- remote and accepted domains ------------------------------------------------------------------------------
  /** By lower-cased Name; holds the built-in `default` remote domain (`*`, AutoForwardEnabled true). */
  readonly remoteDomains: Map<string, FakeRemoteDomain>;
  /** What Get-AcceptedDomain lists; starts with the initial domain (Authoritative, Default). */
  readonly acceptedDomains: FakeAcceptedDomain[];
  /** The tenant's initial (MOERA) domain, e.g. contoso.onmicrosoft.com: its prefix is part of DKIM CNAME targets. */
  initialDomain: string;
  // --- DKIM -----------------------------------------------------------------------------------------------------
  /** By lower-cased domain. */
  readonly dkimConfigs: Map<string, FakeDkimConfig>;
  /**
   * Which CNAME target format New-DkimSigningConfig gives a new config: "new" (custom domains added since May 2025,
   * `….<partition>-v1.dkim.mail.microsoft`) or "old" (`…._domainkey.<initial domain>`). The test chooses.
   */
  dkimCnameFormat: "new" | "old";
  /** The partition character in new-format targets (Microsoft assigns it; e.g. "n" or "r"). */
  dkimPartitionCharacter: string;
  /** Public DNS as Exchange sees it: CNAME owner FQDN (`selector1._domainkey.contoso.com`) → target. */
  readonly publishedCnames: Map<string, string>;
  /** DNS propagation: the next this-many `Set-DkimSigningConfig -Enabled $true` attempts see no CNAMEs at all. */
  cnameVisibleAfter: number;
  // --- preset security policies ---------------------------------------------------------------------------------
  /** Presets someone turned on once in the Defender portal: only those have rules (turning off keeps them). */
  readonly presetsTurnedOnInPortal: Set<Preset>;
  /** Defender for Office 365 (E5 or add-on): without it the *-ATPProtectionPolicyRule cmdlets don't exist. */
  defenderForOffice365: boolean;
  /** By lower-cased rule name; follow `presetsTurnedOnInPortal` (ATP rules only while licensed). */
  readonly eopRules: Map<string, FakePresetRule>;
  readonly atpRules: Map<string, FakePresetRule>;
  // --- all Get- cmdlets -----------------------------------------------------------------------------------------
  /**
   * The reference pages caution that "$null or a non-existent value for the Identity parameter returns all objects".
   * With false (default) an unknown identity answers ManagementObjectNotFoundException, as Get-Mailbox does here;
   * with true it answers everything, the literal documented trap. An empty or missing Identity always answers all.
   */
  unknownIdentityReturnsAll: boolean;
}

export interface MailOptions {
  /** @default "contoso.onmicrosoft.com" */
  readonly initialDomain?: string;
}

/** Adds the mail-protection cmdlets to `fake` and returns their state. */
export function registerMailCmdlets(fake: ExchangeFake, options: MailOptions = {}): MailState {
  const initialDomain = (options.initialDomain ?? "contoso.onmicrosoft.com").toLowerCase();
  const eopRules = new Map<string, FakePresetRule>();
  const atpRules = new Map<string, FakePresetRule>();
  const state: MailState = {
    outboundPolicies: new Map([["default", { Name: "Default", Guid: randomUUID(), IsDefault: true, AutoForwardingMode: "Automatic" }]]),
    outboundRules: [],
    remoteDomains: new Map([["default", { Name: "Default", DomainName: "*", AutoForwardEnabled: true }]]),
    acceptedDomains: [{ DomainName: initialDomain, DomainType: "Authoritative", Default: true }],
    initialDomain,
    dkimConfigs: new Map(),
    dkimCnameFormat: "new",
    dkimPartitionCharacter: "n",
    publishedCnames: new Map(),
    cnameVisibleAfter: 0,
    presetsTurnedOnInPortal: new Set(),
    defenderForOffice365: false,
    // Read through getters so a test sees the rules of presets it just turned on, before any cmdlet ran.
    get eopRules() {
      return syncPresetRules(this, eopRules, true);
    },
    get atpRules() {
      return syncPresetRules(this, atpRules, this.defenderForOffice365);
    },
    unknownIdentityReturnsAll: false,
  };
  fake.register({
    ...outboundPolicyCmdlets(state),
    ...outboundRuleCmdlets(state),
    ...remoteDomainCmdlets(state),
    ...acceptedDomainCmdlets(state),
    ...dkimCmdlets(state),
    ...presetRuleCmdlets(state, "EOP"),
    ...presetRuleCmdlets(state, "ATP"),
  });
  return state;
}

// ===================================================================================================================
// Shared helpers
// ===================================================================================================================

type Params = Record<string, unknown>;

function lc(value: string): string {
  return value.toLowerCase();
}

function str(p: Params, name: string): string | undefined {
  const value = p[name];
  return typeof value === "string" ? value : undefined;
}

function bool(p: Params, name: string): boolean | undefined {
  const value = p[name];
  return typeof value === "boolean" ? value : undefined;
}

function int(p: Params, name: string): number | undefined {
  const value = p[name];
  return typeof value === "number" ? value : undefined;
}

/** A multi-valued parameter: its values, `[]` when cleared ($null or an empty list), undefined when not given. */
function list(p: Params, name: string): string[] | undefined {
  if (!(name in p)) return undefined;
  const value = p[name];
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** Exchange shows an unset condition as null, not as an empty list. */
function shown(values: readonly string[]): string[] | null {
  return values.length > 0 ? [...values] : null;
}

/** The Identity of a Get- call; $null and "" mean "no identity" (all objects). */
function getIdentity(p: Params): string | undefined {
  const identity = str(p, "Identity");
  return identity === undefined || identity.trim() === "" ? undefined : identity;
}

function requiredIdentity(p: Params): string {
  return str(p, "Identity") ?? "";
}

/** Same text as the fake's other not-found answers (`visible()` in exchange.ts). */
function notFound(identity: string): ExchangeFailure {
  return new ExchangeFailure(
    404,
    "ManagementObjectNotFoundException",
    `The operation couldn't be performed because object '${identity}' couldn't be found on 'AM0PR01A001DC01.EURPR01A001.prod.outlook.com'.`,
  );
}

/** Exchange's ManagementObjectAlreadyExistsException (the type its New- tasks raise for a taken name; text inferred). */
function alreadyExists(what: string, name: string): ExchangeFailure {
  return new ExchangeFailure(400, "ManagementObjectAlreadyExistsException", `${what} '${name}' already exists.`);
}

/** How PowerShell refuses a value that isn't one of an enum's names (binding happens before the cmdlet runs). */
function enumValue<T extends string>(p: Params, name: string, type: string, allowed: readonly T[]): T | undefined {
  const value = str(p, name);
  if (value === undefined) return undefined;
  const match = allowed.find((a) => lc(a) === lc(value));
  if (match) return match;
  throw new ExchangeFailure(
    400,
    "ParameterBindingException",
    `Cannot bind parameter '${name}'. Cannot convert value "${value}" to type "${type}". Error: "Unable to match the identifier name ${value} to a valid enumerator name. Specify one of the following enumerator names and try again: ${[...allowed].sort().join(", ")}"`,
  );
}

/**
 * Get- semantics shared by every Get- cmdlet here: no identity → all; a match → it; no match → not found (or, with
 * `unknownIdentityReturnsAll`, everything, as the reference pages' caution reads).
 */
function pick<T>(state: MailState, all: readonly T[], identity: string | undefined, matches: (item: T, id: string) => boolean): T[] {
  if (identity === undefined) return [...all];
  const hits = all.filter((item) => matches(item, lc(identity)));
  if (hits.length > 0) return hits;
  if (state.unknownIdentityReturnsAll) return [...all];
  throw notFound(identity);
}

function one<T>(all: Iterable<T>, identity: string, matches: (item: T, id: string) => boolean): T {
  for (const item of all) if (matches(item, lc(identity))) return item;
  throw notFound(identity);
}

const RULE_STATES: readonly RuleState[] = ["Enabled", "Disabled"];

// ===================================================================================================================
// Outbound spam filter policies
// https://learn.microsoft.com/powershell/module/exchangepowershell/set-hostedoutboundspamfilterpolicy (and get-, new-,
// remove-); https://learn.microsoft.com/defender-office-365/outbound-spam-policies-configure
// ===================================================================================================================

const AUTO_FORWARDING_MODES: readonly AutoForwardingMode[] = ["Automatic", "Off", "On"];

function outboundPolicyCmdlets(state: MailState): Record<string, CmdletHandler> {
  const byIdentity = (policy: FakeOutboundPolicy, id: string): boolean => lc(policy.Name) === id || policy.Guid === id;
  const find = (identity: string): FakeOutboundPolicy => one(state.outboundPolicies.values(), identity, byIdentity);
  const autoForwarding = (p: Params): AutoForwardingMode | undefined => enumValue(p, "AutoForwardingMode", "AutoForwardingMode", AUTO_FORWARDING_MODES);
  return {
    "Get-HostedOutboundSpamFilterPolicy": {
      params: { Identity: "string" },
      run: (p) => pick(state, [...state.outboundPolicies.values()], getIdentity(p), byIdentity).map(policyView),
    },
    "Set-HostedOutboundSpamFilterPolicy": {
      // No -Name: policies can't be renamed (outbound-spam-policies-configure).
      params: { Identity: "string", AutoForwardingMode: "string" },
      run: (p) => {
        const mode = autoForwarding(p);
        const policy = find(requiredIdentity(p));
        if (mode) policy.AutoForwardingMode = mode;
        return [];
      },
    },
    "New-HostedOutboundSpamFilterPolicy": {
      params: { Name: "string", AutoForwardingMode: "string" },
      run: (p) => {
        // Default AutoForwardingMode is Automatic (cmdlet reference).
        const mode = autoForwarding(p) ?? "Automatic";
        const name = str(p, "Name") ?? "";
        if (state.outboundPolicies.has(lc(name))) throw alreadyExists("The outbound spam filter policy", name);
        const policy: FakeOutboundPolicy = { Name: name, Guid: randomUUID(), IsDefault: false, AutoForwardingMode: mode };
        state.outboundPolicies.set(lc(name), policy);
        return [policyView(policy)];
      },
    },
    "Remove-HostedOutboundSpamFilterPolicy": {
      // The reference lists -Force (no prompt); -Confirm:$false is what callers usually send.
      params: { Identity: "string", Confirm: "bool", Force: "switch" },
      run: (p) => {
        const policy = find(requiredIdentity(p));
        // The default policy "can't be turned off, renamed or removed" (outbound-spam-policies-configure); the text is inferred.
        if (policy.IsDefault)
          throw new ExchangeFailure(400, "OperationNotAllowedException", `The default outbound spam filter policy '${policy.Name}' can't be removed.`);
        // Removing a policy doesn't remove its rule (outbound-spam-policies-configure).
        state.outboundPolicies.delete(lc(policy.Name));
        return [];
      },
    },
  };
}

function policyView(policy: FakeOutboundPolicy): Record<string, unknown> {
  return { Name: policy.Name, Identity: policy.Name, Guid: policy.Guid, IsDefault: policy.IsDefault, AutoForwardingMode: policy.AutoForwardingMode };
}

// ===================================================================================================================
// Outbound spam filter rules
// https://learn.microsoft.com/powershell/module/exchangepowershell/new-hostedoutboundspamfilterrule (and get-, set-,
// remove-, enable-, disable-)
// ===================================================================================================================

const RULE_NAME_MAX = 64;
/** "Don't use the following characters: \ % & * + / = ? { } | < > ( ) ; : [ ] , "" (New-HostedOutboundSpamFilterRule -Name). */
const RULE_NAME_FORBIDDEN = ["\\", "%", "&", "*", "+", "/", "=", "?", "{", "}", "|", "<", ">", "(", ")", ";", ":", "[", "]", ",", '"'];

function outboundRuleCmdlets(state: MailState): Record<string, CmdletHandler> {
  const rules = state.outboundRules;
  const byIdentity = (rule: FakeOutboundRule, id: string): boolean => lc(rule.Name) === id || rule.Guid === id;
  const find = (identity: string): FakeOutboundRule => one(rules, identity, byIdentity);
  const view = (rule: FakeOutboundRule): Record<string, unknown> => outboundRuleView(rule, rules.indexOf(rule));
  const setState =
    (value: RuleState) =>
    (p: Params): unknown[] => {
      find(requiredIdentity(p)).State = value;
      return [];
    };
  const conditions: Record<string, ParamType> = { From: "strings", FromMemberOf: "strings", SenderDomainIs: "strings", Priority: "int", Comments: "string" };
  return {
    "Get-HostedOutboundSpamFilterRule": {
      params: { Identity: "string", State: "string" },
      run: (p) => {
        const wanted = enumValue(p, "State", "RuleState", RULE_STATES);
        return pick(state, rules, getIdentity(p), byIdentity)
          .filter((rule) => !wanted || rule.State === wanted)
          .map(view);
      },
    },
    "New-HostedOutboundSpamFilterRule": {
      params: { Name: "string", HostedOutboundSpamFilterPolicy: "string", Enabled: "bool", ...conditions },
      run: (p) => {
        const name = str(p, "Name") ?? "";
        checkRuleName(name);
        if (rules.some((r) => lc(r.Name) === lc(name))) throw alreadyExists("The outbound spam filter rule", name);
        const policy = linkablePolicy(state, str(p, "HostedOutboundSpamFilterPolicy") ?? "");
        // "Valid priority values for a new rule (the 9th rule) are from 0 through 8. The default value ... is 8."
        const priority = checkPriority(int(p, "Priority") ?? rules.length, rules.length);
        const rule: FakeOutboundRule = {
          Name: name,
          Guid: randomUUID(),
          HostedOutboundSpamFilterPolicy: policy.Name,
          From: list(p, "From") ?? [],
          FromMemberOf: list(p, "FromMemberOf") ?? [],
          SenderDomainIs: list(p, "SenderDomainIs") ?? [],
          State: bool(p, "Enabled") === false ? "Disabled" : "Enabled",
          Comments: str(p, "Comments") ?? null,
        };
        rules.splice(priority, 0, rule);
        return [view(rule)];
      },
    },
    "Set-HostedOutboundSpamFilterRule": {
      // No -Enabled: Enable-/Disable-HostedOutboundSpamFilterRule turn a rule on and off. -HostedOutboundSpamFilterPolicy
      // moves the rule to another policy, under the same rules as New- (not the default, not one another rule has).
      params: { Identity: "string", HostedOutboundSpamFilterPolicy: "string", ...conditions },
      run: (p) => {
        const rule = find(requiredIdentity(p));
        const target = str(p, "HostedOutboundSpamFilterPolicy");
        if (target !== undefined && lc(target) !== lc(rule.HostedOutboundSpamFilterPolicy)) {
          rule.HostedOutboundSpamFilterPolicy = linkablePolicy(state, target).Name;
        }
        const priority = int(p, "Priority");
        // Existing rules take 0 .. N-1; moving a rule shifts the ones after it.
        if (priority !== undefined) {
          checkPriority(priority, rules.length - 1);
          rules.splice(rules.indexOf(rule), 1);
          rules.splice(priority, 0, rule);
        }
        rule.From = list(p, "From") ?? rule.From;
        rule.FromMemberOf = list(p, "FromMemberOf") ?? rule.FromMemberOf;
        rule.SenderDomainIs = list(p, "SenderDomainIs") ?? rule.SenderDomainIs;
        const comments = str(p, "Comments");
        if (comments !== undefined) rule.Comments = comments === "" ? null : comments;
        return [];
      },
    },
    "Remove-HostedOutboundSpamFilterRule": {
      params: { Identity: "string", Confirm: "bool" },
      run: (p) => {
        // The rules after it move up one place; the policy stays (outbound-spam-policies-configure).
        rules.splice(rules.indexOf(find(requiredIdentity(p))), 1);
        return [];
      },
    },
    "Enable-HostedOutboundSpamFilterRule": { params: { Identity: "string", Confirm: "bool" }, run: setState("Enabled") },
    "Disable-HostedOutboundSpamFilterRule": { params: { Identity: "string", Confirm: "bool" }, run: setState("Disabled") },
  };
}

/** Name: at most 64 characters, none of the forbidden ones (New-HostedOutboundSpamFilterRule -Name). Texts inferred. */
function checkRuleName(name: string): void {
  if (name.length > RULE_NAME_MAX) {
    throw new ExchangeFailure(
      400,
      "ParameterBindingValidationException",
      `Cannot validate argument on parameter 'Name'. The character length of the ${name.length} argument is too long. Shorten the character length of the argument so it is fewer than or equal to "${RULE_NAME_MAX}" characters, and then try the command again.`,
    );
  }
  const bad = RULE_NAME_FORBIDDEN.filter((c) => name.includes(c));
  if (bad.length > 0) {
    throw new ExchangeFailure(400, "ArgumentException", `The rule name '${name}' contains characters that aren't allowed: ${bad.join(" ")}.`);
  }
}

/**
 * The policy a new rule names: it must exist, must not be the default policy, and must not already have a rule
 * ("You can't specify the default outbound spam filter policy, and you can't specify a policy that's already
 * associated with another outbound spam filter rule"). Exchange's hygiene rule tasks raise OperationNotAllowedException
 * for both (ErrorDefaultPolicyCannotHaveRule, ErrorPolicyRuleExists); the texts are inferred.
 */
function linkablePolicy(state: MailState, identity: string): FakeOutboundPolicy {
  const policy = one(state.outboundPolicies.values(), identity, (x, id) => lc(x.Name) === id || x.Guid === id);
  if (policy.IsDefault) {
    throw new ExchangeFailure(
      400,
      "OperationNotAllowedException",
      `The default policy '${policy.Name}' can't be associated with a rule. You can't specify the default outbound spam filter policy.`,
    );
  }
  const taken = state.outboundRules.find((r) => lc(r.HostedOutboundSpamFilterPolicy) === lc(policy.Name));
  if (taken) {
    throw new ExchangeFailure(
      400,
      "OperationNotAllowedException",
      `The policy '${policy.Name}' is already associated with the rule '${taken.Name}'. You can't specify a policy that's already associated with another outbound spam filter rule.`,
    );
  }
  return policy;
}

/** 0 is the highest priority; `max` is the largest allowed value. InvalidPriorityException as Exchange's rule storage raises; text inferred. */
function checkPriority(priority: number, max: number): number {
  if (priority < 0 || priority > max)
    throw new ExchangeFailure(400, "InvalidPriorityException", `The priority ${priority} is out of range. Valid priority values are from 0 through ${max}.`);
  return priority;
}

function outboundRuleView(rule: FakeOutboundRule, priority: number): Record<string, unknown> {
  return {
    Name: rule.Name,
    Identity: rule.Name,
    Guid: rule.Guid,
    HostedOutboundSpamFilterPolicy: rule.HostedOutboundSpamFilterPolicy,
    From: shown(rule.From),
    FromMemberOf: shown(rule.FromMemberOf),
    SenderDomainIs: shown(rule.SenderDomainIs),
    Priority: priority,
    State: rule.State,
    Comments: rule.Comments,
  };
}

// ===================================================================================================================
// Remote domains
// https://learn.microsoft.com/powershell/module/exchangepowershell/set-remotedomain (and get-remotedomain):
// AutoForwardEnabled "$true ... is the default for ... the built-in remote domain named Default in Exchange Online".
// ===================================================================================================================

function remoteDomainCmdlets(state: MailState): Record<string, CmdletHandler> {
  const byIdentity = (domain: FakeRemoteDomain, id: string): boolean => lc(domain.Name) === id;
  return {
    "Get-RemoteDomain": {
      params: { Identity: "string" },
      run: (p) => pick(state, [...state.remoteDomains.values()], getIdentity(p), byIdentity).map((d) => ({ ...d, Identity: d.Name })),
    },
    "Set-RemoteDomain": {
      params: { Identity: "string", AutoForwardEnabled: "bool" },
      run: (p) => {
        const domain = one(state.remoteDomains.values(), requiredIdentity(p), byIdentity);
        domain.AutoForwardEnabled = bool(p, "AutoForwardEnabled") ?? domain.AutoForwardEnabled;
        return [];
      },
    },
  };
}

// ===================================================================================================================
// Accepted domains
// https://learn.microsoft.com/powershell/module/exchangepowershell/get-accepteddomain
// ===================================================================================================================

function acceptedDomainCmdlets(state: MailState): Record<string, CmdletHandler> {
  return {
    "Get-AcceptedDomain": {
      params: { Identity: "string" },
      run: (p) =>
        pick(state, state.acceptedDomains, getIdentity(p), (d, id) => lc(d.DomainName) === id).map((d) => ({
          Name: d.DomainName,
          Identity: d.DomainName,
          DomainName: d.DomainName,
          DomainType: d.DomainType,
          Default: d.Default,
        })),
    },
  };
}

// ===================================================================================================================
// DKIM signing configs
// https://learn.microsoft.com/powershell/module/exchangepowershell/new-dkimsigningconfig (and get-, set-, rotate-);
// https://learn.microsoft.com/defender-office-365/email-authentication-dkim-configure
// ===================================================================================================================

const KEY_SIZES = [1024, 2048];
/** Rotation: "it takes 4 days (96 hours) for the new DKIM key to start signing". */
const ROTATION_MS = 96 * 3600 * 1000;

function dkimCmdlets(state: MailState): Record<string, CmdletHandler> {
  const byIdentity = (config: FakeDkimConfig, id: string): boolean => config.Domain === id || config.Guid === id;
  const find = (identity: string): FakeDkimConfig => one(state.dkimConfigs.values(), identity, byIdentity);
  return {
    "Get-DkimSigningConfig": {
      // "$null or a non-existent value for the Identity parameter returns all objects" (get-dkimsigningconfig).
      params: { Identity: "string" },
      run: (p) => pick(state, [...state.dkimConfigs.values()], getIdentity(p), byIdentity).map(dkimView),
    },
    "New-DkimSigningConfig": {
      params: { DomainName: "string", Enabled: "bool", KeySize: "int" },
      run: (p) => {
        const domain = lc(str(p, "DomainName") ?? "");
        // KeySize: 1024 (the default) or 2048.
        const keySize = checkKeySize(int(p, "KeySize") ?? 1024);
        // Only a domain added to Microsoft 365 (an accepted domain); *.onmicrosoft.com is signed by Microsoft and has
        // no config to create. Text as Exchange answers it (Microsoft365DSC issues #2791, #6896).
        const accepted = state.acceptedDomains.some((d) => lc(d.DomainName) === domain);
        if (!accepted || domain.endsWith(".onmicrosoft.com"))
          throw new ExchangeFailure(
            400,
            "ValidationException",
            `Invalid domain name specified "${domain}". Please specify tenant name or valid accepted domain.`,
          );
        if (state.dkimConfigs.has(domain)) throw alreadyExists("The DKIM signing config for domain", domain);
        const config = newDkimConfig(state, domain, keySize);
        // The documented procedure creates with -Enabled $false; -Enabled $true needs the CNAMEs like Set- does
        // (inferred: nothing is created when they are missing).
        if (bool(p, "Enabled") === true) enableDkim(state, config);
        state.dkimConfigs.set(domain, config);
        return [dkimView(config)];
      },
    },
    "Set-DkimSigningConfig": {
      params: { Identity: "string", Enabled: "bool" },
      run: (p) => {
        const config = find(requiredIdentity(p));
        const enabled = bool(p, "Enabled");
        if (enabled === true) enableDkim(state, config);
        // Turning signing off keeps the keys and the last DNS check's Status (inferred).
        if (enabled === false) config.Enabled = false;
        return [];
      },
    },
    "Rotate-DkimSigningConfig": {
      params: { Identity: "string", KeySize: "int" },
      run: (p) => {
        const config = find(requiredIdentity(p));
        const keySize = int(p, "KeySize");
        if (keySize !== undefined) checkKeySize(keySize);
        // "Only enabled custom domains can be rotated" (email-authentication-dkim-configure); text inferred.
        if (!config.Enabled)
          throw new ExchangeFailure(
            400,
            "ValidationException",
            `DKIM signing isn't enabled for domain ${config.Domain}. Only enabled DKIM keys can be rotated.`,
          );
        // "Upgrading the key size to 2048 only upgrades the selector that isn't currently active."
        const next: DkimSelector = config.activeSelector === "selector1" ? "selector2" : "selector1";
        if (keySize !== undefined) {
          if (next === "selector1") config.Selector1KeySize = keySize;
          else config.Selector2KeySize = keySize;
        }
        config.RotateOnDate = new Date(Date.now() + ROTATION_MS).toISOString();
        config.activeSelector = next;
        return [];
      },
    },
  };
}

function checkKeySize(keySize: number): number {
  if (!KEY_SIZES.includes(keySize))
    throw new ExchangeFailure(400, "ValidationException", `The key size ${keySize} isn't supported. Valid values are 1024 and 2048.`); // text inferred
  return keySize;
}

/**
 * CNAME targets: the May-2025 format `selector1-<domain-with-dashes>._domainkey.<initial domain prefix>.<partition>-v1.dkim.mail.microsoft`
 * for new custom domains, the old `selector1-<domain-with-dashes>._domainkey.<initial domain>` for existing ones
 * (email-authentication-dkim-configure). The test picks the format; code under test must copy Selector{1,2}CNAME.
 */
function newDkimConfig(state: MailState, domain: string, keySize: number): FakeDkimConfig {
  const dashed = domain.replace(/\./g, "-");
  const initial = lc(state.initialDomain);
  const suffix = state.dkimCnameFormat === "new" ? `${initial.split(".")[0]}.${state.dkimPartitionCharacter}-v1.dkim.mail.microsoft` : initial;
  return {
    Domain: domain,
    Guid: randomUUID(),
    Enabled: false,
    Status: "CnameMissing",
    Selector1CNAME: `selector1-${dashed}._domainkey.${suffix}`,
    Selector2CNAME: `selector2-${dashed}._domainkey.${suffix}`,
    Selector1KeySize: keySize,
    Selector2KeySize: keySize,
    KeyCreationTime: new Date().toISOString(),
    RotateOnDate: null,
    activeSelector: "selector1",
  };
}

/**
 * `-Enabled $true`: succeeds only when both CNAMEs are published with the config's targets (compared
 * case-insensitively, trailing dot ignored), else the documented error with the values to publish.
 */
function enableDkim(state: MailState, config: FakeDkimConfig): void {
  const visible = state.cnameVisibleAfter <= 0;
  if (!visible) state.cnameVisibleAfter -= 1;
  const dns = (name: string): string => lc(name).replace(/\.$/, "");
  const published = new Map([...state.publishedCnames].map(([host, target]) => [dns(host), dns(target)]));
  const ok = (selector: DkimSelector, target: string): boolean => published.get(`${selector}._domainkey.${config.Domain}`) === dns(target);
  if (!visible || !ok("selector1", config.Selector1CNAME) || !ok("selector2", config.Selector2CNAME)) {
    // Documented as |Microsoft.Exchange.ManagementTasks.ValidationException|…; exchangeError qualifies the type with
    // Microsoft.Exchange.Management.Tasks, and callers read the last segment (ValidationException) either way.
    throw new ExchangeFailure(400, "ValidationException", cnameMissingText(config));
  }
  config.Enabled = true;
  config.Status = "Valid";
}

function cnameMissingText(config: FakeDkimConfig): string {
  return (
    `CNAME record does not exist for this config. Please publish the following two CNAME records first. Domain Name : ${config.Domain} ` +
    `Host Name : selector1._domainkey Points to address or value: ${config.Selector1CNAME} ` +
    `Host Name : selector2._domainkey Points to address or value: ${config.Selector2CNAME} . ` +
    "If you have already published the CNAME records, sync will take a few minutes to as many as 4 days based on your specific DNS. " +
    "Return and retry this step later."
  );
}

function dkimView(config: FakeDkimConfig): Record<string, unknown> {
  const other: DkimSelector = config.activeSelector === "selector1" ? "selector2" : "selector1";
  return {
    Domain: config.Domain,
    Name: config.Domain,
    Identity: config.Domain,
    Guid: config.Guid,
    Enabled: config.Enabled,
    Status: config.Status,
    Selector1CNAME: config.Selector1CNAME,
    Selector2CNAME: config.Selector2CNAME,
    Selector1KeySize: config.Selector1KeySize,
    Selector2KeySize: config.Selector2KeySize,
    KeyCreationTime: config.KeyCreationTime,
    RotateOnDate: config.RotateOnDate,
    SelectorBeforeRotateOnDate: config.RotateOnDate ? other : config.activeSelector,
    SelectorAfterRotateOnDate: config.activeSelector,
    BodyCanonicalization: "Relaxed",
    HeaderCanonicalization: "Relaxed",
  };
}

// ===================================================================================================================
// Preset security policies (rules)
// https://learn.microsoft.com/defender-office-365/preset-security-policies;
// https://learn.microsoft.com/powershell/module/exchangepowershell/set-eopprotectionpolicyrule (and get-, enable-,
// disable-, and the same for -atpprotectionpolicyrule)
// ===================================================================================================================

/** "The default value for the rule that's associated with the Strict preset security policy is 0, ... Standard ... is 1." */
const PRESET_PRIORITY: Record<Preset, number> = { Strict: 0, Standard: 1 };
const PRESET_ORDER: readonly Preset[] = ["Strict", "Standard"];
const PRESET_LISTS = ["SentTo", "SentToMemberOf", "RecipientDomainIs", "ExceptIfSentTo", "ExceptIfSentToMemberOf", "ExceptIfRecipientDomainIs"] as const;
type PresetList = (typeof PRESET_LISTS)[number];

function presetRuleCmdlets(state: MailState, kind: "EOP" | "ATP"): Record<string, CmdletHandler> {
  const noun = `${kind}ProtectionPolicyRule`;
  const rules = (cmdlet: string): FakePresetRule[] => {
    // Without Defender for Office 365 the ATP cmdlets aren't in the tenant's session at all.
    if (kind === "ATP" && !state.defenderForOffice365)
      throw new ExchangeFailure(
        400,
        "CommandNotFoundException",
        `The term '${cmdlet}' is not recognized as a name of a cmdlet, function, script file, or executable program.`,
      );
    return presetRules(state, kind);
  };
  const find = (cmdlet: string, identity: string): FakePresetRule => one(rules(cmdlet), identity, (r, id) => lc(r.Name) === id);
  const setState = (cmdlet: string, value: RuleState): CmdletHandler => ({
    params: { Identity: "string", Confirm: "bool" },
    run: (p) => {
      find(cmdlet, requiredIdentity(p)).State = value;
      return [];
    },
  });
  const lists = Object.fromEntries(PRESET_LISTS.map((name) => [name, "strings"])) as Record<PresetList, ParamType>;
  return {
    [`Get-${noun}`]: {
      params: { Identity: "string", State: "string" },
      run: (p) => {
        const all = rules(`Get-${noun}`);
        const wanted = enumValue(p, "State", "RuleState", RULE_STATES);
        return pick(state, all, getIdentity(p), (r, id) => lc(r.Name) === id)
          .filter((r) => !wanted || r.State === wanted)
          .map(presetRuleView);
      },
    },
    [`Set-${noun}`]: {
      // No -Enabled; "$null clears a value", all $null ⇒ the preset applies to everyone.
      params: { Identity: "string", ...lists, Comments: "string", Priority: "int" },
      run: (p) => {
        const rule = find(`Set-${noun}`, requiredIdentity(p));
        const priority = int(p, "Priority");
        // "You must use the default value for the rule." (text of the refusal inferred)
        if (priority !== undefined && priority !== PRESET_PRIORITY[rule.preset]) {
          throw new ExchangeFailure(
            400,
            "OperationNotAllowedException",
            `The priority of the rule '${rule.Name}' can't be changed. You must use the default value for the rule: ${PRESET_PRIORITY[rule.preset]}.`,
          );
        }
        for (const name of PRESET_LISTS) rule[name] = list(p, name) ?? rule[name];
        const comments = str(p, "Comments");
        if (comments !== undefined) rule.Comments = comments === "" ? null : comments;
        return [];
      },
    },
    [`Enable-${noun}`]: setState(`Enable-${noun}`, "Enabled"),
    [`Disable-${noun}`]: setState(`Disable-${noun}`, "Disabled"),
  };
}

/** The rules in the order Exchange applies them (Strict, then Standard). */
function presetRules(state: MailState, kind: "EOP" | "ATP"): FakePresetRule[] {
  const map = kind === "EOP" ? state.eopRules : state.atpRules;
  return [...map.values()].sort((a, b) => PRESET_ORDER.indexOf(a.preset) - PRESET_ORDER.indexOf(b.preset));
}

/**
 * Adds the rules of presets turned on once in the portal ("these rules are created the first time you turn on the
 * preset security policy in the Microsoft Defender portal. If you never turned on the preset security policy, the
 * associated rules don't exist. Turning off the preset security policy doesn't delete the associated rules.").
 */
function syncPresetRules(state: MailState, map: Map<string, FakePresetRule>, exists: boolean): Map<string, FakePresetRule> {
  if (!exists) return map;
  for (const preset of state.presetsTurnedOnInPortal) {
    const name = `${preset} Preset Security Policy`;
    if (!map.has(lc(name))) map.set(lc(name), newPresetRule(name, preset));
  }
  return map;
}

function newPresetRule(name: string, preset: Preset): FakePresetRule {
  return {
    Name: name,
    preset,
    State: "Enabled",
    SentTo: [],
    SentToMemberOf: [],
    RecipientDomainIs: [],
    ExceptIfSentTo: [],
    ExceptIfSentToMemberOf: [],
    ExceptIfRecipientDomainIs: [],
    Comments: null,
  };
}

function presetRuleView(rule: FakePresetRule): Record<string, unknown> {
  return {
    Name: rule.Name,
    Identity: rule.Name,
    State: rule.State,
    Priority: PRESET_PRIORITY[rule.preset],
    ...Object.fromEntries(PRESET_LISTS.map((name) => [name, shown(rule[name])])),
    Comments: rule.Comments,
  };
}
