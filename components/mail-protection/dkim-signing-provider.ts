import { PollSettings, untilVisible } from "../../lib/managed/poll";
import type { ManagedProvider, ManagedType } from "../../lib/managed/resource";
import { MANAGED_TYPES } from "../../lib/managed/tokens";
import { ExchangeTarget, getOne, isExchangeError, isNotFound, runCmdlet } from "../../lib/exchange";
import { CNAME_MISSING, getDkimConfigCall, setDkimSigningCall } from "./payload";

/** Whether a domain signs with DKIM: switched on only once the selector CNAMEs resolve. */
export interface DkimSigningInputs extends ExchangeTarget {
  readonly domain: string;
  readonly enabled: boolean;
  /** The CNAME targets published (from the DkimSigningConfig): new targets mean Exchange checks the records again. */
  readonly selector1Cname: string;
  readonly selector2Cname: string;
  readonly poll?: PollSettings;
}

export interface DkimSigningOutputs extends DkimSigningInputs {
  /** Exchange's `Status`: `Valid` when signing, `CnameMissing` while the records are not seen. */
  readonly status: string;
}

const subjectOf = (domain: string): string => `DKIM for ${domain}`;

/** Exchange's answer while it cannot see the CNAMEs (documented ValidationException text). */
export function isCnameMissing(err: unknown): boolean {
  return isExchangeError(err, "ValidationException") && err.message.includes(CNAME_MISSING);
}

/**
 * Switches signing on, waiting (with back-off, `poll`) while Exchange cannot see the CNAMEs yet: DNS takes minutes to
 * hours. If they are still not seen, the update ends without failing: it records signing as off with status
 * "waiting for the selector CNAME records", which differs from the declaration, so the next `up` tries again. The
 * stack never fails half-way because DNS is slow.
 */
async function applySigning(inputs: DkimSigningInputs): Promise<DkimSigningOutputs> {
  const subject = subjectOf(inputs.domain);
  if (!inputs.enabled) {
    await runCmdlet(inputs, subject, setDkimSigningCall(inputs.domain, false));
    return { ...inputs, status: "disabled" };
  }
  try {
    await untilVisible(() => runCmdlet(inputs, subject, setDkimSigningCall(inputs.domain, true)), isCnameMissing, inputs.poll);
    return { ...inputs, status: "Valid" };
  } catch (err) {
    if (!isCnameMissing(err)) throw err;
    return { ...inputs, enabled: false, status: `waiting for the selector CNAME records: ${inputs.selector1Cname}, ${inputs.selector2Cname}` };
  }
}

export const dkimSigningProvider: ManagedProvider<DkimSigningInputs, DkimSigningOutputs> = {
  check: async (_olds, news) => ({ inputs: news }),
  diff: async (_id, olds, news) => {
    if (olds.domain.toLowerCase() !== news.domain.toLowerCase()) return { changes: true, replaces: ["domain"] };
    return {
      changes: olds.enabled !== news.enabled || olds.selector1Cname !== news.selector1Cname || olds.selector2Cname !== news.selector2Cname,
    };
  },
  create: async (inputs) => ({ id: inputs.domain.toLowerCase(), outs: await applySigning(inputs) }),
  read: async (id, props) => {
    const config = await getOne(props, subjectOf(props.domain), getDkimConfigCall(props.domain));
    if (!config) return {};
    const state: DkimSigningOutputs = { ...props, enabled: config.Enabled === true, status: String(config.Status ?? "") };
    return { id, props: state, inputs: { ...props, enabled: state.enabled } };
  },
  update: async (_id, _olds, news) => ({ outs: await applySigning(news) }),
  /** Forgetting the declaration stops signing for the domain; a configuration already gone is fine. */
  delete: async (_id, outs) => {
    try {
      await runCmdlet(outs, subjectOf(outs.domain), setDkimSigningCall(outs.domain, false));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  },
};

export const DKIM_SIGNING_TYPE: ManagedType<DkimSigningInputs, DkimSigningOutputs> = { typeName: MANAGED_TYPES.dkimSigning, provider: dkimSigningProvider };
