import { BULLMQ_PREFIX } from './redis.module';

// The names of the worker's one BullMQ queue in Redis: the worker's scheduler and sender use them,
// and so do the benches and tests that look into its Redis. Job ids derive from (email id, revision)
// alone, so adding the same job twice (a replay, a second scheduler) is a no-op.

export const SEND_QUEUE = 'email-send';

/** The Redis key of one of the send queue's structures ('delayed', 'active', 'events', …). */
export function sendQueueKey(type: string): string {
  return `${BULLMQ_PREFIX}:${SEND_QUEUE}:${type}`;
}

// BullMQ refuses custom ids with ':' (unless shaped like its own repeat ids) and ids that look like integers.
export function sendJobId(emailId: string, revision: number): string {
  return `send-${emailId}-${revision}`;
}

export function leaseJobId(emailId: string, revision: number): string {
  return `lease-${emailId}-${revision}`;
}
