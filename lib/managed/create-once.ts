import { retryUntil } from "../graph/retry";
import { statusOf } from "../graph/errors";

/**
 * Creating an object exactly once when replies can be lost. A create that failed with a 5xx, a timeout or a broken
 * connection may still have been committed by the service (Microsoft Graph "best practices": 5xx on a
 * non-idempotent request; the Defender and Exchange APIs behave alike), so it is never re-sent blindly: the object
 * is looked up by its unique key (an address, a unique name, a display name plus content) — first before the
 * create, where the service enforces that key, and again after an uncertain failure, polling through replication
 * lag — and adopted when found.
 */
export interface CreateOnce<T> {
  /** The create request, sent at most once (its HTTP retry must not retry 5xx: `notIdempotent`). */
  readonly send: () => Promise<T>;
  /** The object by its unique key, or undefined. */
  readonly find: () => Promise<T | undefined>;
  /** Look before sending: true where the service refuses a second object with the same key (so adopting is right). */
  readonly findFirst: boolean;
  /** How long to keep looking after an uncertain failure (replication lag): `lookupPace(connection)` for a provider. */
  readonly lookups: { readonly attempts: number; readonly startingDelayMs: number };
}

/**
 * How long to keep looking after an uncertain create: the connection's retry pace (2 s by default, so about 15 s
 * in all), never less than 20 ms between lookups.
 */
export function lookupPace(connection: { readonly retry?: { readonly delaySeconds: number } }): { attempts: number; startingDelayMs: number } {
  return { attempts: 4, startingDelayMs: Math.max(20, (connection.retry?.delaySeconds ?? 2) * 1000) };
}

export interface Created<T> {
  readonly value: T;
  /** Found rather than created by this call (it existed before, or an uncertain create had landed). */
  readonly adopted: boolean;
}

export async function createOnce<T>(spec: CreateOnce<T>): Promise<Created<T>> {
  if (spec.findFirst) {
    const existing = await spec.find();
    if (existing !== undefined) return { value: existing, adopted: true };
  }
  try {
    return { value: await spec.send(), adopted: false };
  } catch (err) {
    if (!outcomeUnknown(err)) throw err;
    const notYet = "not visible yet";
    const found = await retryUntil(
      async () => {
        const value = await spec.find();
        if (value === undefined) throw new Error(notYet);
        return value;
      },
      {
        ...spec.lookups,
        isTransient: (e) => e instanceof Error && e.message === notYet,
      },
    ).catch(() => undefined);
    if (found === undefined) throw err;
    return { value: found, adopted: true };
  }
}

/**
 * Whether a failed request may have been carried out: a 5xx (the service failed after receiving it), or no HTTP
 * answer at all (connection reset, timeout). A 4xx is a refusal: nothing was created.
 */
export function outcomeUnknown(err: unknown): boolean {
  const status = statusOf(err);
  return !(status !== undefined && status >= 400 && status < 500);
}
