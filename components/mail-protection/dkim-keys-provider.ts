import { createOnce, lookupPace } from "../../lib/managed/create-once";
import { ManagedProvider, ManagedType, partialFailure } from "../../lib/managed/resource";
import { MANAGED_TYPES } from "../../lib/managed/tokens";
import { ExchangeTarget, getOne, runCmdlet } from "../../lib/exchange";
import { getDkimConfigCall, newDkimConfigCall, rotateDkimCall } from "./payload";

/** A domain's DKIM signing configuration (its keys), created with signing off. */
export interface DkimKeysInputs extends ExchangeTarget {
  readonly domain: string;
  readonly keySize: number;
}

export interface DkimKeysOutputs extends DkimKeysInputs {
  /** Where `selector1._domainkey.<domain>` must point, exactly as Exchange says (never built from a pattern). */
  readonly selector1Cname: string;
  readonly selector2Cname: string;
}

const subjectOf = (domain: string): string => `DKIM for ${domain}`;

/** The domain's configuration, or undefined (getOne never takes another domain's for it). */
function findConfig(inputs: DkimKeysInputs): Promise<Record<string, unknown> | undefined> {
  return getOne(inputs, subjectOf(inputs.domain), getDkimConfigCall(inputs.domain));
}

function outputsOf(inputs: DkimKeysInputs, config: Record<string, unknown>): DkimKeysOutputs {
  return { ...inputs, selector1Cname: String(config.Selector1CNAME ?? ""), selector2Cname: String(config.Selector2CNAME ?? "") };
}

/**
 * `New-DkimSigningConfig -Enabled $false` once per domain (Exchange refuses a second: the domain is the key, so an
 * existing configuration is adopted, and a create whose reply was lost is found). The selector targets come from
 * Exchange's answer: Microsoft changed their format in May 2025 and says the documented values are illustrations
 * (https://learn.microsoft.com/defender-office-365/email-authentication-dkim-configure).
 */
export const dkimKeysProvider: ManagedProvider<DkimKeysInputs, DkimKeysOutputs> = {
  check: async (_olds, news) => ({ inputs: news }),
  diff: async (_id, olds, news) => {
    if (olds.domain.toLowerCase() !== news.domain.toLowerCase()) return { changes: true, replaces: ["domain"] };
    // Recorded without its selector targets (a partial create): the next `up` reads them.
    return { changes: olds.keySize !== news.keySize || !olds.selector1Cname || !olds.selector2Cname };
  },
  create: async (inputs) => {
    const { value } = await createOnce({
      findFirst: true,
      lookups: lookupPace(inputs.connection),
      find: () => findConfig(inputs),
      send: async () => (await runCmdlet(inputs, subjectOf(inputs.domain), newDkimConfigCall(inputs.domain, inputs.keySize))).value[0] ?? {},
    });
    // An answer without the selectors (an adopted config listed briefly): read them once more.
    const config = value.Selector1CNAME ? value : ((await findConfig(inputs)) ?? value);
    const id = inputs.domain.toLowerCase();
    const outs = outputsOf(inputs, config);
    if (!outs.selector1Cname || !outs.selector2Cname) {
      // Never an empty CNAME target in DNS: the keys exist, so the engine records them and the next `up` reads again.
      throw partialFailure(`${subjectOf(inputs.domain)}: Exchange created the keys but named no selector CNAME targets yet; run up again`, id, outs);
    }
    return { id, outs };
  },
  read: async (id, props) => {
    const config = await findConfig(props);
    if (!config) return {};
    const state = outputsOf(props, config);
    return { id, props: state, inputs: { connection: props.connection, exchangeUrl: props.exchangeUrl, domain: props.domain, keySize: props.keySize } };
  },
  /** Set- cannot change the key size: Rotate- gives the selector not in use a key of the new size (run again after it signs). */
  update: async (_id, olds, news) => {
    if (olds.keySize !== news.keySize) await runCmdlet(news, subjectOf(news.domain), rotateDkimCall(news.domain, news.keySize));
    if (olds.selector1Cname && olds.selector2Cname) return { outs: { ...olds, ...news } };
    const config = await findConfig(news);
    if (!config?.Selector1CNAME || !config.Selector2CNAME) throw new Error(`${subjectOf(news.domain)}: Exchange still names no selector CNAME targets`);
    return { outs: outputsOf(news, config) };
  },
  /** The keys stay in Exchange (no cmdlet removes them); the DkimSigning resource switches signing off. */
  delete: async () => undefined,
};

export const DKIM_KEYS_TYPE: ManagedType<DkimKeysInputs, DkimKeysOutputs> = { typeName: MANAGED_TYPES.dkimKeys, provider: dkimKeysProvider };
