import { randomUUID } from 'node:crypto';
import { uuidV5 } from '@app/email-streams';

/** Fixed forever: batch ids derived from an Idempotency-Key depend on it. */
const BATCH_ID_NAMESPACE = '0f6f2c1e-8d4b-4f4e-9a57-6b1d2f3c4a5b';

/**
 * A new batch's id: random, or with an Idempotency-Key derived from (tenant, key), so that a repeated
 * request names the same batch as its emails land on the same streams.
 */
export function batchIdFor(tenantId: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID();
  // A triple, so no (tenant, key) pair of an email's id (emailIdForIdempotencyKey) ever hashes alike.
  return uuidV5(JSON.stringify([tenantId, idempotencyKey, 'batch']), BATCH_ID_NAMESPACE);
}
