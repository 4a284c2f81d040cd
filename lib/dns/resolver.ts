import { Resolver } from "node:dns/promises";
import type { TxtResolver } from "./spf-lookups";

/**
 * The live TXT resolver for preflight: `node:dns/promises` `resolveTxt` (https://nodejs.org/api/dns.html#dnspromisesresolvetxthostname),
 * adapted to {@link TxtResolver}'s contract. Tests never use it: they pass a fake, so they run offline.
 */
export interface TxtResolverOptions {
  /**
   * DNS servers to ask, as `Resolver.setServers` takes them (`["1.1.1.1", "[2001:4860:4860::8888]:53"]`).
   * @default the system's resolvers
   */
  readonly servers?: readonly string[];
  /**
   * Milliseconds before one query attempt times out.
   * @default 5000
   */
  readonly timeoutMs?: number;
  /**
   * Attempts per query.
   * @default 2
   */
  readonly tries?: number;
}

/** Error codes Node gives for NXDOMAIN and for an answer without TXT records: both are void lookups (RFC 7208 §4.6.4). */
const VOID_CODES = new Set(["ENOTFOUND", "ENODATA"]);

export function createTxtResolver(options: TxtResolverOptions = {}): TxtResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 5000, tries: options.tries ?? 2 });
  if (options.servers) resolver.setServers([...options.servers]);
  return async (name) => {
    try {
      return await resolver.resolveTxt(name);
    } catch (err) {
      if (VOID_CODES.has((err as NodeJS.ErrnoException).code ?? "")) return [];
      throw err;
    }
  };
}
