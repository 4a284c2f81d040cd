import { createOnce, lookupPace } from "../../lib/managed/create-once";
import { ManagedProvider, ManagedType, partialFailure } from "../../lib/managed/resource";
import { MANAGED_TYPES } from "../../lib/managed/tokens";
import { ExchangeTarget, getOne, isNotFound, listOf, runCmdlet } from "../../lib/exchange";
import { exceptionIdentity, newExceptionPolicyCall, newExceptionRuleCall, setExceptionPolicyCall, setExceptionRuleCall } from "./payload";

/** One reviewed forwarding exception: a custom outbound spam policy with forwarding On and its rule scoped to senders. */
export interface ForwardingExceptionInputs extends ExchangeTarget {
  readonly name: string;
  readonly reason: string;
  /** Sorted, lower-case SMTP addresses (`-From`). */
  readonly senders: readonly string[];
  /** Sorted, lower-case group addresses (`-FromMemberOf`). */
  readonly senderGroups: readonly string[];
  /** The policy's forwarding: always On (that is what the exception is); read back, so a policy switched Off shows. */
  readonly autoForwardingMode: "On";
  /** The rule's state: always Enabled; read back, so a rule disabled by hand shows. */
  readonly ruleState: "Enabled";
}

const subjectOf = (inputs: Pick<ForwardingExceptionInputs, "name">): string => `forwarding exception ${inputs.name}`;
const policyQuery = (name: string) => ({ CmdletName: "Get-HostedOutboundSpamFilterPolicy", Parameters: { Identity: exceptionIdentity(name) } });
const ruleQuery = (name: string) => ({ CmdletName: "Get-HostedOutboundSpamFilterRule", Parameters: { Identity: exceptionIdentity(name) } });
const asException = (i: ForwardingExceptionInputs) => ({ name: i.name, reason: i.reason, senders: i.senders, senderGroups: i.senderGroups });

/**
 * The policy, then its rule (Exchange applies a policy only through a rule: New-HostedOutboundSpamFilterPolicy,
 * https://learn.microsoft.com/defender-office-365/outbound-spam-policies-configure). Each is created once: names are
 * unique, so an existing one is adopted and brought to the declaration, and a New- whose reply was lost is found, not
 * re-sent. The same steps serve create and update, so an update also restores a policy or rule removed by hand.
 */
async function ensureException(inputs: ForwardingExceptionInputs, afterPolicy: (err: unknown) => never = rethrow): Promise<void> {
  const subject = subjectOf(inputs);
  const lookups = lookupPace(inputs.connection);
  const policy = await createOnce({
    findFirst: true,
    lookups,
    find: () => getOne(inputs, subject, policyQuery(inputs.name)),
    send: async () => (await runCmdlet(inputs, subject, newExceptionPolicyCall(inputs.name))).value[0] ?? {},
  });
  try {
    if (policy.adopted && policy.value.AutoForwardingMode !== "On") await runCmdlet(inputs, subject, setExceptionPolicyCall(inputs.name));
    const rule = await createOnce({
      findFirst: true,
      lookups,
      find: () => getOne(inputs, subject, ruleQuery(inputs.name)),
      send: async () => (await runCmdlet(inputs, subject, newExceptionRuleCall(asException(inputs)))).value[0] ?? {},
    });
    if (!rule.adopted) return;
    await runCmdlet(inputs, subject, setExceptionRuleCall(asException(inputs)));
    if (rule.value.State !== "Enabled") {
      await runCmdlet(inputs, subject, { CmdletName: "Enable-HostedOutboundSpamFilterRule", Parameters: { Identity: exceptionIdentity(inputs.name) } });
    }
  } catch (err) {
    afterPolicy(err);
  }
}

function rethrow(err: unknown): never {
  throw err;
}

/** A failure once the policy exists is a PartialFailure: the engine records the policy, the next `up` finishes the rule. */
async function createException(inputs: ForwardingExceptionInputs): Promise<{ id: string; outs: ForwardingExceptionInputs }> {
  const id = exceptionIdentity(inputs.name);
  await ensureException(inputs, (err) => {
    // Recorded with no senders, so the next diff differs from the declaration and the update finishes the rule.
    const recorded = { ...inputs, senders: [], senderGroups: [] };
    throw partialFailure(`${subjectOf(inputs)}: the policy ${id} exists, its rule is not done: ${(err as Error).message}`, id, recorded);
  });
  return { id, outs: inputs };
}

async function readException(id: string, props: ForwardingExceptionInputs) {
  const subject = subjectOf(props);
  const [policy, rule] = [await getOne(props, subject, policyQuery(props.name)), await getOne(props, subject, ruleQuery(props.name))];
  if (!policy && !rule) return {};
  const state: ForwardingExceptionInputs = {
    ...props,
    reason: String(rule?.Comments ?? ""),
    senders: listOf(rule?.From),
    senderGroups: listOf(rule?.FromMemberOf),
    autoForwardingMode: String(policy?.AutoForwardingMode ?? "missing") as "On",
    ruleState: ruleStateOf(rule, exceptionIdentity(props.name)) as "Enabled",
  };
  return { id, props: state, inputs: state };
}

/**
 * "Enabled" only when the rule is on, applies its own policy and has no condition beyond the declared senders:
 * anything else a portal edit did (pointed it at another policy, added sender domains) differs, so the update puts
 * it back.
 */
function ruleStateOf(rule: Record<string, unknown> | undefined, identity: string): string {
  if (!rule) return "missing";
  if (String(rule.HostedOutboundSpamFilterPolicy ?? "").toLowerCase() !== identity.toLowerCase())
    return `applies ${String(rule.HostedOutboundSpamFilterPolicy)}`;
  if (listOf(rule.SenderDomainIs).length > 0) return `also scoped to sender domains ${listOf(rule.SenderDomainIs).join(", ")}`;
  return String(rule.State ?? "missing");
}

async function updateException(news: ForwardingExceptionInputs): Promise<{ outs: ForwardingExceptionInputs }> {
  await ensureException(news);
  return { outs: news };
}

/** The rule first (it points at the policy), then the policy; either already gone is fine. */
async function deleteException(outs: ForwardingExceptionInputs): Promise<void> {
  const subject = subjectOf(outs);
  for (const cmdlet of ["Remove-HostedOutboundSpamFilterRule", "Remove-HostedOutboundSpamFilterPolicy"]) {
    try {
      await runCmdlet(outs, subject, { CmdletName: cmdlet, Parameters: { Identity: exceptionIdentity(outs.name), Confirm: false } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const forwardingExceptionProvider: ManagedProvider<ForwardingExceptionInputs, ForwardingExceptionInputs> = {
  check: async (_olds, news) => {
    // The last line of defence (validation refuses it first): a rule without conditions lets every sender forward.
    if (listOf(news.senders).length + listOf(news.senderGroups).length === 0) {
      return { failures: [{ property: "senders", reason: "an exception names no sender and no group: its rule would let every sender forward" }] };
    }
    return { inputs: news };
  },
  diff: async (_id, olds, news) => {
    // Another name is another policy and rule (names are their identity).
    if (olds.name.toLowerCase() !== news.name.toLowerCase()) return { changes: true, replaces: ["name"] };
    const same = (a: readonly string[], b: readonly string[]) => a.join("\n") === b.join("\n");
    return {
      changes:
        olds.reason !== news.reason ||
        !same(olds.senders, news.senders) ||
        !same(olds.senderGroups, news.senderGroups) ||
        olds.autoForwardingMode !== news.autoForwardingMode ||
        olds.ruleState !== news.ruleState,
    };
  },
  create: (inputs) => createException(inputs),
  read: (id, props) => readException(id, props),
  update: (_id, _olds, news) => updateException(news),
  delete: (_id, outs) => deleteException(outs),
};

export const FORWARDING_EXCEPTION_TYPE: ManagedType<ForwardingExceptionInputs, ForwardingExceptionInputs> = {
  typeName: MANAGED_TYPES.forwardingException,
  provider: forwardingExceptionProvider,
};
