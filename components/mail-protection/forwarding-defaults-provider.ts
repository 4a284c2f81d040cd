import type { ManagedProvider, ManagedType } from "../../lib/managed/resource";
import { MANAGED_TYPES } from "../../lib/managed/tokens";
import { ExchangeTarget, getOne, runCmdlet } from "../../lib/exchange";
import { DEFAULT_IDENTITY, defaultForwardingCall, remoteDomainCall } from "./payload";

/** The tenant-wide forwarding settings: the default outbound spam policy and the Default remote domain. */
export interface ForwardingDefaultsInputs extends ExchangeTarget {
  /** What the default outbound policy's `AutoForwardingMode` must be: always `Off` (see payload.ts). */
  readonly autoForwardingMode: "Off";
  /** The Default remote domain's `AutoForwardEnabled` (aligned with the exceptions: payload.ts). */
  readonly remoteDomainAutoForward: boolean;
  /** The declared exceptions' policies (their identities): the only outbound policies allowed to forward. */
  readonly exceptionPolicies: readonly string[];
  /**
   * Other outbound policies that let their senders forward (mode On or Automatic): declared empty. Exchange applies
   * the first policy that matches a sender, so any such policy would reopen forwarding for its senders; `read` lists
   * them (drift), and create and update switch each one Off.
   */
  readonly otherPoliciesForwarding: readonly string[];
}

const SUBJECT = "external forwarding (Default outbound spam policy and remote domain)";

async function apply(inputs: ForwardingDefaultsInputs): Promise<void> {
  await runCmdlet(inputs, SUBJECT, defaultForwardingCall());
  for (const other of await otherPoliciesForwarding(inputs)) {
    await runCmdlet(inputs, SUBJECT, { CmdletName: "Set-HostedOutboundSpamFilterPolicy", Parameters: { Identity: other, AutoForwardingMode: "Off" } });
  }
  await runCmdlet(inputs, SUBJECT, remoteDomainCall(inputs.remoteDomainAutoForward));
}

/** Outbound policies, besides the default and the declared exceptions, whose senders may forward. */
async function otherPoliciesForwarding(inputs: ForwardingDefaultsInputs): Promise<string[]> {
  const declared = new Set(inputs.exceptionPolicies.map((p) => p.toLowerCase()));
  const all = (await runCmdlet(inputs, SUBJECT, { CmdletName: "Get-HostedOutboundSpamFilterPolicy", Parameters: {} })).value;
  return all
    .filter((p) => p.IsDefault !== true && !declared.has(String(p.Name ?? "").toLowerCase()) && p.AutoForwardingMode !== "Off")
    .map((p) => String(p.Name))
    .sort();
}

/**
 * Settings of objects every organization has (they are never created or removed): `create` and `update` set them
 * (idempotent Set- cmdlets), `read` reports what Exchange has, so a mode switched back to Automatic or On by hand
 * shows as drift. `delete` leaves them as they are: forgetting the declaration must not re-open forwarding.
 */
export const forwardingDefaultsProvider: ManagedProvider<ForwardingDefaultsInputs, ForwardingDefaultsInputs> = {
  check: async (_olds, news) =>
    news.autoForwardingMode === "Off"
      ? { inputs: news }
      : {
          failures: [{ property: "autoForwardingMode", reason: `"${String(news.autoForwardingMode)}": the default policy's forwarding is declared Off only` }],
        },
  diff: async (_id, olds, news) => ({
    changes:
      olds.autoForwardingMode !== news.autoForwardingMode ||
      olds.remoteDomainAutoForward !== news.remoteDomainAutoForward ||
      olds.exceptionPolicies.join("\n") !== news.exceptionPolicies.join("\n") ||
      (olds.otherPoliciesForwarding ?? []).length > 0,
  }),
  create: async (inputs) => {
    await apply(inputs);
    return { id: DEFAULT_IDENTITY, outs: inputs };
  },
  read: async (id, props) => {
    const policy = await getOne(props, SUBJECT, { CmdletName: "Get-HostedOutboundSpamFilterPolicy", Parameters: { Identity: DEFAULT_IDENTITY } });
    const remote = await getOne(props, SUBJECT, { CmdletName: "Get-RemoteDomain", Parameters: { Identity: DEFAULT_IDENTITY } });
    const state = {
      ...props,
      // Whatever Exchange has (Automatic, On): anything but Off differs from the declaration and shows in refresh.
      autoForwardingMode: String(policy?.AutoForwardingMode ?? "unknown") as "Off",
      remoteDomainAutoForward: remote?.AutoForwardEnabled === true,
      otherPoliciesForwarding: await otherPoliciesForwarding(props),
    };
    return { id, props: state, inputs: state };
  },
  update: async (_id, _olds, news) => {
    await apply(news);
    return { outs: news };
  },
  delete: async () => undefined,
};

export const FORWARDING_DEFAULTS_TYPE: ManagedType<ForwardingDefaultsInputs, ForwardingDefaultsInputs> = {
  typeName: MANAGED_TYPES.forwardingDefaults,
  provider: forwardingDefaultsProvider,
};
