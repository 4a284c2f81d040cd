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
}

const SUBJECT = "external forwarding (Default outbound spam policy and remote domain)";

async function apply(inputs: ForwardingDefaultsInputs): Promise<void> {
  await runCmdlet(inputs, SUBJECT, defaultForwardingCall());
  await runCmdlet(inputs, SUBJECT, remoteDomainCall(inputs.remoteDomainAutoForward));
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
    changes: olds.autoForwardingMode !== news.autoForwardingMode || olds.remoteDomainAutoForward !== news.remoteDomainAutoForward,
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
