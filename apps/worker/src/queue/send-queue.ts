// The one BullMQ queue between the scheduler and the sender. Jobs carry ids only; the sender re-reads the
// stream and decides from the truth. Job ids derive from (email id, revision) alone, so adding the same job
// twice (a replay, a second scheduler) is a no-op.

import { BULLMQ_PREFIX } from '@app/platform';

export const SEND_QUEUE = 'email-send';

/** The Redis key of one of the send queue's structures ('delayed', 'active', 'events', …), for tests and benches. */
export function sendQueueKey(type: string): string {
  return `${BULLMQ_PREFIX}:${SEND_QUEUE}:${type}`;
}

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

// BullMQ refuses custom ids with ':' (unless shaped like its own repeat ids) and ids that look like integers.
export function sendJobId(emailId: string, revision: number): string {
  return `send-${emailId}-${revision}`;
}

export function leaseJobId(emailId: string, revision: number): string {
  return `lease-${emailId}-${revision}`;
}
