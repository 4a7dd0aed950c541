import { parseInstant } from '@app/domain';
import type { DeliveryCursor } from './webhooks.repository';

// The keyset cursor of `GET /v1/webhooks/:id/deliveries`: the (created_at, id) of a page's last row as
// base64url JSON. created_at travels as Postgres's own text at microsecond precision, so rows created within
// one millisecond are neither repeated nor skipped.

const CREATED_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeDeliveryCursor(cursor: DeliveryCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor, or undefined when `text` is not one this api issued. */
export function decodeDeliveryCursor(text: string): DeliveryCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || !CREATED_AT.test(createdAt)) return undefined;
  // Strictly a real instant (Date.parse would roll 02-30 over, which Postgres refuses), after 1970.
  const ms = parseInstant(createdAt);
  if (ms === undefined || ms < 0) return undefined;
  if (typeof id !== 'string' || !UUID.test(id)) return undefined;
  return { createdAt, id };
}
