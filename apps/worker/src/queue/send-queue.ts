// The one BullMQ queue between the scheduler and the sender. Jobs carry ids only; the sender re-reads the
// stream and decides from the truth. Job ids derive from (email id, revision) alone, so adding the same job
// twice (a replay, a second scheduler) is a no-op.

// Its names in Redis (queue, job ids, keys) live in @app/platform's send-queue-names, which the benches
// that look into Redis share.

/**
 * A job fails only when Postgres or Redis did (re-running it re-reads the stream, so it is always
 * safe), and nothing else would ever re-add a job that gave up: its email would stay scheduled and
 * never go. So jobs retry for as long as it takes, backing off to one try a minute, and a job
 * whose worker died is handed back however often that happens.
 */
export const SEND_JOB_ATTEMPTS = Number.MAX_SAFE_INTEGER;
export const RETRY_BACKOFF = 'capped-exponential';
export const MAX_STALLED_COUNT = Number.MAX_SAFE_INTEGER;

/**
 * How long a send job's BullMQ lock outlives its worker's last renewal (renewed every half of it). The lease
 * check takes a held lock for a live claimer (ADR 0006), so this bounds how long after a crash an attempt is
 * resolved; BullMQ's 30 s default made that 30 s. Shorter locks cost a renewal call per worker every 5 s.
 */
export const SEND_JOB_LOCK_MS = 10_000;

export function retryDelayMs(attemptsMade: number): number {
  return Math.min(60_000, 1_000 * 2 ** Math.min(attemptsMade - 1, 6));
}

/** 'send': the email is due at this revision. 'lease-check': the attempt claimed at this revision may be in doubt. */
export type SendJobName = 'send' | 'lease-check';

export interface SendJobData {
  readonly emailId: string;
  readonly revision: number;
}
