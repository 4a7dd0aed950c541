import { createHash, randomUUID } from 'node:crypto';
import { emailIdForIdempotencyKey } from '@app/email-streams';
import type { ScheduleEmailInput, ScheduleEmailItem } from './schedule-email.command';

/** A new random id, or with an Idempotency-Key the id derived from it and the request's hash. */
export function scheduleItem(
  tenantId: string,
  input: ScheduleEmailInput,
  idempotencyKey: string | undefined,
): ScheduleEmailItem {
  return idempotencyKey === undefined
    ? { emailId: randomUUID(), input }
    : {
        emailId: emailIdForIdempotencyKey(tenantId, idempotencyKey),
        input,
        idempotency: { key: idempotencyKey, requestHash: requestHash(input) },
      };
}

/** A digest of the request as JSON with sorted keys: the same body in any key order hashes alike. */
export function requestHash(input: object): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
