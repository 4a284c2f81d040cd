import { retryUntil } from "../graph";

/** How long to wait for an object that was just created to become visible (directory / Exchange replication). */
export interface PollSettings {
  /** Attempts in all. */
  readonly attempts: number;
  /** First wait; doubles each time (capped at 30 s). */
  readonly startingDelayMs: number;
}

/** About four minutes at most (2 s, doubling to 30 s, 12 attempts): Microsoft says a new room "can take minutes" to replicate. */
export const DEFAULT_POLL: PollSettings = { attempts: 12, startingDelayMs: 2000 };

export function untilVisible<T>(operation: () => Promise<T>, isTransient: (err: unknown) => boolean, poll: PollSettings | undefined): Promise<T> {
  const p = poll ?? DEFAULT_POLL;
  return retryUntil(operation, { attempts: p.attempts, startingDelayMs: p.startingDelayMs, maxDelayMs: 30000, isTransient });
}
