import type { Pool } from 'pg';
import type { EmailRowStatus } from '@app/read-model';
import { READ_MODEL_VIEWS, decodeCursor, encodeCursor } from '@app/read-model';
import { migrateSchema } from '@app/schema-migrations';
import { BATCHES_MIGRATIONS, BATCHES_SCHEMA } from './batches.migrations';

export type BatchSource = 'batch' | 'import';

export interface Batch {
  readonly id: string;
  readonly tenantId: string;
  readonly createdAt: string;
  readonly total: number;
  readonly source: BatchSource;
}

export interface BatchMember {
  readonly emailId: string;
  readonly position: number;
}

/** Members by the status the read model shows; `pending`: members it has no row for yet. */
export type BatchCounts = Record<EmailRowStatus | 'pending', number>;

export const BATCH_COUNT_KEYS: readonly (keyof BatchCounts)[] = [
  'scheduled',
  'paused',
  'attempting',
  'sent',
  'failed',
  'cancelled',
  'expired',
  'pending',
];

interface BatchRow {
  id: string;
  tenant_id: string;
  created_at: Date;
  total: number;
  source: BatchSource;
  cursor_at: string;
}

const BATCH_COLUMNS = `id, tenant_id, created_at, total, source,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS cursor_at`;

function toBatch(row: BatchRow): Batch {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    createdAt: row.created_at.toISOString(),
    total: row.total,
    source: row.source,
  };
}

/** `batches.*` in Postgres: which emails a batch holds, recorded before they are appended. */
export class BatchesRepository {
  constructor(private readonly pool: Pool) {}

  /** Creates or updates the schema; the api runs it at start. */
  migrate(): Promise<void> {
    return migrateSchema(this.pool, BATCHES_SCHEMA, BATCHES_MIGRATIONS);
  }

  /** The batch's row, once: a repeat (an Idempotency-Key's same batch id) finds it there. */
  async open(id: string, tenantId: string, source: BatchSource): Promise<void> {
    await this.pool.query(
      `INSERT INTO batches.batches (id, tenant_id, source) VALUES ($1, $2, $3)
       ON CONFLICT (id) DO NOTHING`,
      [id, tenantId, source],
    );
  }

  /**
   * Records members before their emails are appended; a member recorded before (a retried round, a
   * repeated request) is not counted twice.
   */
  async addMembers(batchId: string, members: readonly BatchMember[]): Promise<void> {
    if (members.length === 0) return;
    await this.pool.query(
      `WITH added AS (
         INSERT INTO batches.batch_emails (batch_id, email_id, position)
         SELECT $1, m.email_id, m.position
           FROM unnest($2::uuid[], $3::int[]) AS m (email_id, position)
         ON CONFLICT DO NOTHING
         RETURNING 1)
       UPDATE batches.batches SET total = total + (SELECT count(*) FROM added) WHERE id = $1`,
      [batchId, members.map((m) => m.emailId), members.map((m) => m.position)],
    );
  }

  async get(id: string): Promise<Batch | undefined> {
    const { rows } = await this.pool.query<BatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM batches.batches WHERE id = $1`,
      [id],
    );
    return rows[0] ? toBatch(rows[0]) : undefined;
  }

  /** Newest first, `limit` at a time, a tenant's or (tenantId undefined) everyone's. */
  async list(
    tenantId: string | undefined,
    cursor: string | undefined,
    limit: number,
  ): Promise<{ items: Batch[]; nextCursor: string | null } | undefined> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && after === undefined) return undefined;
    const values: unknown[] = [];
    const where: string[] = [];
    if (tenantId !== undefined) {
      values.push(tenantId);
      where.push(`tenant_id = $${values.length}`);
    }
    if (after !== undefined) {
      values.push(after.sendAt, after.id);
      where.push(
        `(created_at, id) < ($${values.length - 1}::timestamptz, $${values.length}::uuid)`,
      );
    }
    values.push(limit + 1);
    const { rows } = await this.pool.query<BatchRow>(
      `SELECT ${BATCH_COLUMNS} FROM batches.batches
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
      values,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toBatch),
      // The keyset is (created_at, id), in the same form as the email list's (send_at, id).
      nextCursor:
        rows.length > limit && last ? encodeCursor({ sendAt: last.cursor_at, id: last.id }) : null,
    };
  }

  /** The batch's emails in request order. */
  async members(batchId: string): Promise<string[]> {
    const { rows } = await this.pool.query<{ email_id: string }>(
      `SELECT email_id FROM batches.batch_emails WHERE batch_id = $1 ORDER BY position, email_id`,
      [batchId],
    );
    return rows.map((row) => row.email_id);
  }

  /** Each member's status as the read model shows it; one it has not shown yet counts as `pending`. */
  async counts(batchId: string): Promise<BatchCounts> {
    const { rows } = await this.pool.query<{ status: string; n: string }>(
      `SELECT coalesce(e.status, 'pending') AS status, count(*) AS n
         FROM batches.batch_emails m LEFT JOIN ${READ_MODEL_VIEWS.emails} e ON e.email_id = m.email_id
        WHERE m.batch_id = $1
        GROUP BY 1`,
      [batchId],
    );
    const counts = Object.fromEntries(BATCH_COUNT_KEYS.map((key) => [key, 0])) as BatchCounts;
    for (const row of rows) {
      if (row.status in counts) counts[row.status as keyof BatchCounts] = Number(row.n);
    }
    return counts;
  }
}
