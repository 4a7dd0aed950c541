/**
 * The keyset cursor of `GET /v1/admin/emails`: the (send_at, email_id) of the last row of a page,
 * as base64url JSON. send_at travels as Postgres's own text at microsecond precision, so a row
 * seeded with more precision than a JS Date holds is neither repeated nor skipped.
 */
export interface EmailCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` */
  readonly sendAt: string;
  readonly id: string;
}

const SEND_AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeCursor(cursor: EmailCursor): string {
  return Buffer.from(JSON.stringify([cursor.sendAt, cursor.id]), 'utf8').toString('base64url');
}

/** The cursor, or undefined when `text` is not one this api issued. */
export function decodeCursor(text: string): EmailCursor | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
  const [sendAt, id] = parsed as unknown[];
  if (typeof sendAt !== 'string' || !SEND_AT.test(sendAt)) return undefined;
  if (typeof id !== 'string' || !UUID.test(id)) return undefined;
  return { sendAt, id };
}
