import { backOff } from "exponential-backoff";

export interface PollOptions {
  /** Attempts in all, including the first. @default 8 */
  readonly attempts?: number;
  /** First wait in milliseconds; doubles each time up to `maxDelayMs`. @default 1000 */
  readonly startingDelayMs?: number;
  /** @default 15000 */
  readonly maxDelayMs?: number;
  /** Whether a failure means "not yet" (e.g. a 404 right after a create) rather than "no". */
  readonly isTransient: (err: unknown) => boolean;
}

/**
 * Bounded polling with exponential back-off and jitter, for what the HTTP retry cannot know: an object just
 * created is not yet visible (directory replication lag). With the defaults it gives up after about a minute.
 */
export function retryUntil<T>(operation: () => Promise<T>, options: PollOptions): Promise<T> {
  return backOff(operation, {
    numOfAttempts: options.attempts ?? 8,
    startingDelay: options.startingDelayMs ?? 1000,
    maxDelay: options.maxDelayMs ?? 15000,
    jitter: "full",
    retry: (err) => options.isTransient(err),
  });
}
