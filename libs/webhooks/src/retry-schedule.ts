/** Each delay is multiplied by a random factor in [1 - JITTER, 1 + JITTER], so retries do not march in step. */
const JITTER = 0.2;

/**
 * The retry schedule: attempt 1 at once, then one more after each of `delays` (WEBHOOK_RETRY_DELAYS, parsed
 * by the config); after the last the delivery is failed.
 *
 * How long after failed attempt number `attempts` (1-based) the next one is due, with jitter; undefined when
 * that was the last attempt (the delivery is then failed). `random` is in [0, 1), as Math.random.
 */
export function nextRetryDelayMs(
  delays: readonly number[],
  attempts: number,
  random: () => number = Math.random,
): number | undefined {
  const base = delays[attempts - 1];
  if (base === undefined) return undefined;
  return Math.round(base * (1 - JITTER + 2 * JITTER * random()));
}
