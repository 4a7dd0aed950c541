// How long to wait before trying again. Exponential, so a struggling relay gets room to recover; capped, so a
// retry is never pushed absurdly far out; jittered, so emails that failed together do not retry together.

export interface RetryPolicy {
  readonly baseDelayMs: number;
  readonly factor: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  baseDelayMs: 30_000,
  factor: 4,
  maxDelayMs: 3_600_000,
});

function requireAttempt(attempt: number): void {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be an integer >= 1, got ${attempt}`);
  }
}

/** The un-jittered delay after the given (1-based) failed attempt: baseDelayMs × factor^(attempt-1), capped. */
export function backoffCeilingMs(
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number {
  requireAttempt(attempt);
  // factor^n overflows to Infinity for large n, which the cap absorbs.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** (attempt - 1));
}

/**
 * "Equal jitter": half the ceiling is guaranteed, so retries never bunch up at zero as with full jitter, and
 * the other half is spread by `random` in [0, 1), which the caller supplies so the result is replayable.
 */
export function retryDelayMs(
  attempt: number,
  random: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): number {
  if (!(random >= 0 && random < 1)) throw new RangeError(`random must be in [0, 1), got ${random}`);
  const ceiling = backoffCeilingMs(attempt, policy);
  return Math.floor(ceiling / 2 + (random * ceiling) / 2);
}

/** Why `maxAttempts` is unacceptable, or undefined. */
export function maxAttemptsProblem(value: unknown, cap: number): string | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > cap) {
    return `must be an integer from 1 to ${cap}`;
  }
  return undefined;
}
