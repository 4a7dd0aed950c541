import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { migrateSchema } from '@app/schema-migrations';
import { MAIL_CATCHER_MIGRATIONS, MAIL_CATCHER_SCHEMA } from './mail-catcher.migrations';
import { parseMailHeaders } from './mail-headers';

/** The most of a message's raw text that is kept; `size` still counts all of it. */
export const RAW_TEXT_LIMIT = 1024 * 1024;

export interface CaughtMailSummary {
  readonly id: string;
  readonly receivedAt: string;
  /** The envelope's MAIL FROM ('' for a null sender). */
  readonly from: string;
  /** The envelope's RCPT TO: every recipient, Bcc included. */
  readonly to: readonly string[];
  readonly messageId: string | null;
  readonly subject: string | null;
  /** Bytes of the whole message as received. */
  readonly size: number;
}

export interface CaughtMail extends CaughtMailSummary {
  /** The From and To header fields, decoded. */
  readonly headers: { readonly from: string | null; readonly to: string | null };
  /** The message as received, cut after RAW_TEXT_LIMIT bytes (then `rawTruncated`). */
  readonly raw: string;
  readonly rawTruncated: boolean;
}

export interface CaughtMailPage {
  readonly items: readonly CaughtMailSummary[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  readonly nextCursor: string | null;
}

export interface ReceivedMail {
  readonly envelopeFrom: string;
  readonly envelopeTo: readonly string[];
  /** The first bytes of the message, at most RAW_TEXT_LIMIT. */
  readonly raw: Buffer;
  /** The whole message's size in bytes. */
  readonly size: number;
}

/** The cursor is not one this store handed out. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

// undefined_table, invalid_schema_name: the catcher never ran on this database.
const NOT_THERE = new Set(['42P01', '3F000']);

function notThere(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NOT_THERE.has(code);
}

interface Row {
  readonly seq: string;
  readonly id: string;
  readonly received_at: Date;
  readonly envelope_from: string;
  readonly envelope_to: string[];
  readonly message_id: string | null;
  readonly subject: string | null;
  readonly size: number;
}

interface FullRow extends Row {
  readonly header_from: string | null;
  readonly header_to: string | null;
  readonly raw: string;
  readonly raw_truncated: boolean;
}

const SUMMARY_COLUMNS =
  'seq, id, received_at, envelope_from, envelope_to, message_id, subject, size';

function summary(row: Row): CaughtMailSummary {
  return {
    id: row.id,
    receivedAt: row.received_at.toISOString(),
    from: row.envelope_from,
    to: row.envelope_to,
    messageId: row.message_id,
    subject: row.subject,
    size: row.size,
  };
}

export function encodeCursor(seq: string): string {
  return Buffer.from(`m:${seq}`).toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const match = /^m:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!match?.[1]) throw new InvalidCursorError('cursor is not one this endpoint returned');
  return match[1];
}

/** Text Postgres accepts: no NUL characters. */
function storable(text: string): string {
  return text.replace(/\0/g, '');
}

/**
 * The mail catcher's store of received mail in `mail_catcher.messages`: the catcher writes, the
 * api's outbox reads. Reads answer "nothing" while the schema does not exist (the catcher never
 * ran on this database, e.g. with SMTP_URL set).
 */
export class CaughtMailStore {
  constructor(private readonly pool: Pool) {}

  /** Creates or upgrades the schema, under an advisory lock. */
  async migrate(): Promise<void> {
    await migrateSchema(this.pool, MAIL_CATCHER_SCHEMA, MAIL_CATCHER_MIGRATIONS);
  }

  async store(mail: ReceivedMail): Promise<CaughtMailSummary> {
    const truncated = mail.size > RAW_TEXT_LIMIT || mail.raw.length > RAW_TEXT_LIMIT;
    const raw = storable(mail.raw.subarray(0, RAW_TEXT_LIMIT).toString('utf8'));
    const headers = parseMailHeaders(raw);
    const { rows } = await this.pool.query<Row>(
      `INSERT INTO ${MAIL_CATCHER_SCHEMA}.messages
         (id, envelope_from, envelope_to, message_id, subject, header_from, header_to, size,
          raw, raw_truncated)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       RETURNING ${SUMMARY_COLUMNS}`,
      [
        randomUUID(),
        storable(mail.envelopeFrom),
        mail.envelopeTo.map(storable),
        headers.messageId === undefined ? null : storable(headers.messageId),
        headers.subject === undefined ? null : storable(headers.subject),
        headers.from === undefined ? null : storable(headers.from),
        headers.to === undefined ? null : storable(headers.to),
        mail.size,
        raw,
        truncated,
      ],
    );
    return summary(rows[0] as Row);
  }

  /** Newest first; `cursor` from the previous page. Throws InvalidCursorError for a bad cursor. */
  async list(options: {
    readonly limit: number;
    readonly cursor?: string;
  }): Promise<CaughtMailPage> {
    const before = options.cursor === undefined ? null : decodeCursor(options.cursor);
    try {
      const { rows } = await this.pool.query<Row>(
        `SELECT ${SUMMARY_COLUMNS} FROM ${MAIL_CATCHER_SCHEMA}.messages
          WHERE $1::bigint IS NULL OR seq < $1::bigint
          ORDER BY seq DESC LIMIT $2`,
        [before, options.limit + 1],
      );
      const page = rows.slice(0, options.limit);
      const last = page[page.length - 1];
      return {
        items: page.map(summary),
        nextCursor: rows.length > options.limit && last ? encodeCursor(last.seq) : null,
      };
    } catch (error) {
      if (notThere(error)) return { items: [], nextCursor: null };
      throw error;
    }
  }

  async get(id: string): Promise<CaughtMail | undefined> {
    try {
      const { rows } = await this.pool.query<FullRow>(
        `SELECT ${SUMMARY_COLUMNS}, header_from, header_to, raw, raw_truncated
           FROM ${MAIL_CATCHER_SCHEMA}.messages WHERE id = $1`,
        [id],
      );
      const row = rows[0];
      if (!row) return undefined;
      return {
        ...summary(row),
        headers: { from: row.header_from, to: row.header_to },
        raw: row.raw,
        rawTruncated: row.raw_truncated,
      };
    } catch (error) {
      if (notThere(error)) return undefined;
      throw error;
    }
  }
}
