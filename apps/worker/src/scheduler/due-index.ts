// The durable half of the scheduler (ADR 0007): one Postgres row per email saying what is due at its last
// revision, projected from the email streams with the checkpoint in the same transaction, and beside that
// checkpoint the lease and fencing token of the one process that writes it. Redis holds jobs only for the
// rows due within the window; it can always be rebuilt from here, and this from the streams.

import { formatPosition, parsePosition, type Position } from '@app/event-store';
import { leaseJobId, sendJobId } from '@app/platform';
import { migrateSchema, type Migration } from '@app/schema-migrations';
import type { Pool, PoolClient } from 'pg';
import { type SendJobName } from '../queue/send-queue';
import type { DueEntry, PlannedJob } from './job-plan';

export const SCHEDULER_SCHEMA = 'scheduler';

/**
 * How long a lease statement waits for the owner row's lock. A holder frozen inside its batch transaction
 * (SIGSTOP, a stalled VM) holds that lock; nothing may wait on it for long.
 */
const LOCK_WAIT = '1s';
/**
 * How long Postgres lets a batch transaction sit waiting for its client before it ends the session: a frozen
 * holder's transaction is rolled back and its lock released, so a standby can take the lapsed lease.
 */
const FROZEN_CLIENT = '2s';

const MIGRATIONS: readonly Migration[] = [
  {
    version: '001_due_index',
    sql: `
      -- The scheduler's lease: who holds it, until when (Postgres's clock, the one all holders share), and
      -- the fencing token that grows at each takeover. The due index's checkpoint lives in the same row, so
      -- a batch commits only while its writer still holds the token (it updates this row first).
      CREATE TABLE owner (
        name        text        PRIMARY KEY,
        holder      text,
        token       bigint      NOT NULL DEFAULT 0,
        lease_until timestamptz NOT NULL DEFAULT '-infinity',
        position    text
      );
      INSERT INTO owner (name) VALUES ('email');

      -- One row per email: the last revision indexed and what is due at it. kind and due_ms are NULL when
      -- nothing is (sent, cancelled, failed for good); the row stays, so that a revision is never unknown
      -- for an email the index has seen.
      CREATE TABLE due (
        email_id  text   PRIMARY KEY,
        tenant_id text,
        revision  bigint NOT NULL,
        kind      text   CHECK (kind IN ('send', 'lease-check')),
        due_ms    bigint,
        CHECK ((kind IS NULL) = (due_ms IS NULL))
      );
      CREATE INDEX due_by_time ON due (due_ms, email_id) WHERE due_ms IS NOT NULL;`,
  },
  {
    version: '002_rebuild_target',
    sql: `
      -- While the index is built from the first event: the head it must reach before it writes any job.
      -- Kept here, not in the holder's memory, so that whoever takes over half-way goes on the same way.
      ALTER TABLE owner ADD COLUMN rebuild_to text;`,
  },
];

export interface Ownership {
  /** The fencing token: every write of the index names it, and fails once another holder took over. */
  readonly token: string;
  readonly after: Position | 'start';
  /** Set while a rebuild from the first event is under way: the position it must reach. */
  readonly rebuildingTo: Position | undefined;
}

export interface OverdueSummary {
  readonly count: number;
  /** Epoch ms of the oldest overdue due time, or undefined when nothing is overdue. */
  readonly oldestMs: number | undefined;
}

interface DueRow {
  readonly email_id: string;
  readonly revision: string;
  readonly kind: SendJobName;
  readonly due_ms: string;
}

function toJob(row: DueRow): PlannedJob {
  const revision = Number(row.revision);
  const jobId =
    row.kind === 'send' ? sendJobId(row.email_id, revision) : leaseJobId(row.email_id, revision);
  return {
    name: row.kind,
    jobId,
    data: { emailId: row.email_id, revision },
    runAt: Number(row.due_ms),
  };
}

export class DueIndex {
  constructor(private readonly pool: Pool) {}

  migrate(): Promise<void> {
    return migrateSchema(this.pool, SCHEDULER_SCHEMA, MIGRATIONS);
  }

  /** Takes the lease if it has lapsed: the new token and where the index stands, or undefined. */
  async acquire(holder: string, ttlMs: number): Promise<Ownership | undefined> {
    const rows = await this.leaseStatement<{
      token: string;
      position: string | null;
      rebuild_to: string | null;
    }>(
      `UPDATE scheduler.owner
          SET holder = $1, token = token + 1, lease_until = now() + $2 * interval '1 millisecond'
        WHERE name = 'email' AND lease_until < now()
       RETURNING token, position, rebuild_to`,
      [holder, ttlMs],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      token: row.token,
      after: row.position ? parsePosition(row.position) : 'start',
      rebuildingTo: row.rebuild_to ? parsePosition(row.rebuild_to) : undefined,
    };
  }

  /** Empties the index and its checkpoint (fenced), for a rebuild from the first event. */
  async reset(token: string): Promise<void> {
    await this.transaction(async (client) => {
      const { rowCount } = await client.query(
        `UPDATE scheduler.owner SET position = NULL, rebuild_to = NULL WHERE name = 'email' AND token = $1`,
        [token],
      );
      if (rowCount !== 1)
        throw new Error('the scheduler lease was taken over: the index was not reset');
      await client.query('TRUNCATE scheduler.due');
    });
  }

  /** Records the head a rebuild from the first event must reach before it writes jobs. */
  async beginRebuild(token: string, head: Position): Promise<void> {
    await this.leaseStatement(
      `UPDATE scheduler.owner SET rebuild_to = $2 WHERE name = 'email' AND token = $1 RETURNING token`,
      [token, formatPosition(head)],
    );
  }

  async endRebuild(token: string): Promise<void> {
    await this.leaseStatement(
      `UPDATE scheduler.owner SET rebuild_to = NULL WHERE name = 'email' AND token = $1 RETURNING token`,
      [token],
    );
  }

  /** False once another holder has the token: this one is deposed. */
  async renew(token: string, ttlMs: number): Promise<boolean> {
    const rows = await this.leaseStatement(
      `UPDATE scheduler.owner SET lease_until = now() + $2 * interval '1 millisecond'
        WHERE name = 'email' AND token = $1 RETURNING token`,
      [token, ttlMs],
    );
    return rows.length === 1;
  }

  /** Gives the lease up so that a standby takes over at its next try. */
  async release(token: string): Promise<void> {
    await this.leaseStatement(
      `UPDATE scheduler.owner SET holder = NULL, lease_until = '-infinity'
        WHERE name = 'email' AND token = $1 RETURNING token`,
      [token],
    );
  }

  /**
   * One statement on the owner row, in a transaction that gives up after LOCK_WAIT rather than queue behind
   * a frozen holder, and that Postgres ends if this process freezes inside it.
   */
  private async leaseStatement<Row extends object>(sql: string, params: unknown[]): Promise<Row[]> {
    return this.transaction(async (client) => (await client.query<Row>(sql, params)).rows);
  }

  /**
   * `work` in a transaction on the owner row's terms: it waits at most LOCK_WAIT for a lock, and Postgres
   * ends it if this process freezes inside it (FROZEN_CLIENT). Rolled back when `work` throws.
   */
  private async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A connection Postgres ends while it is checked out (the frozen-client timeout above, a restart)
    // emits 'error' on the client; unheard, that would end the process. The query in hand fails with it.
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '${LOCK_WAIT}'`);
      await client.query(`SET LOCAL idle_in_transaction_session_timeout = '${FROZEN_CLIENT}'`);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        broken ??=
          rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
      });
      throw error;
    } finally {
      client.off('error', onError);
      // A broken connection is destroyed, not returned to the pool.
      client.release(broken);
    }
  }

  /**
   * Writes a batch's entries and moves the checkpoint to `position`, in one transaction, only while `token`
   * is current: false (nothing written) when another holder took over. A row only moves to a later revision.
   */
  async apply(token: string, entries: readonly DueEntry[], position: Position): Promise<boolean> {
    return this.transaction(async (client) => {
      const { rowCount } = await client.query(
        `UPDATE scheduler.owner SET position = $2 WHERE name = 'email' AND token = $1`,
        [token, formatPosition(position)],
      );
      // Refused: nothing written, and the empty transaction commits harmlessly.
      if (rowCount !== 1) return false;
      if (entries.length > 0) {
        await client.query(
          `INSERT INTO scheduler.due (email_id, tenant_id, revision, kind, due_ms)
           SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::bigint[])
           ON CONFLICT (email_id) DO UPDATE
              SET tenant_id = COALESCE(excluded.tenant_id, due.tenant_id), revision = excluded.revision,
                  kind = excluded.kind, due_ms = excluded.due_ms
            WHERE due.revision < excluded.revision`,
          [
            entries.map((entry) => entry.emailId),
            entries.map((entry) => entry.tenantId ?? null),
            entries.map((entry) => entry.revision),
            entries.map((entry) => entry.job?.name ?? null),
            entries.map((entry) => entry.job?.runAt ?? null),
          ],
        );
      }
      return true;
    });
  }

  /** The jobs due after `afterMs` (exclusive) up to `untilMs` (inclusive), a page at a time. */
  async *due(afterMs: number, untilMs: number, pageSize: number): AsyncGenerator<PlannedJob[]> {
    const first = await this.pool.query<DueRow>(
      `SELECT email_id, revision, kind, due_ms FROM scheduler.due
        WHERE due_ms > $1 AND due_ms <= $2 ORDER BY due_ms, email_id LIMIT $3`,
      [Math.max(afterMs, Number.MIN_SAFE_INTEGER), untilMs, pageSize],
    );
    let rows = first.rows;
    for (;;) {
      if (rows.length > 0) yield rows.map(toJob);
      const last = rows[rows.length - 1];
      if (!last || rows.length < pageSize) return;
      const next = await this.pool.query<DueRow>(
        `SELECT email_id, revision, kind, due_ms FROM scheduler.due
          WHERE (due_ms, email_id) > ($1, $2) AND due_ms <= $3 ORDER BY due_ms, email_id LIMIT $4`,
        [last.due_ms, last.email_id, untilMs, pageSize],
      );
      rows = next.rows;
    }
  }

  /** The revision indexed for each of these emails; an email the index has not seen is absent. */
  async revisions(emailIds: readonly string[]): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ email_id: string; revision: string }>(
      `SELECT email_id, revision FROM scheduler.due WHERE email_id = ANY($1::text[])`,
      [emailIds],
    );
    return new Map(rows.map((row) => [row.email_id, Number(row.revision)]));
  }

  /** Emails due before `beforeMs` that are still waiting for their send or lease check. */
  async overdue(beforeMs: number): Promise<OverdueSummary> {
    const { rows } = await this.pool.query<{ count: string; oldest: string | null }>(
      `SELECT count(*) AS count, min(due_ms) AS oldest FROM scheduler.due WHERE due_ms < $1`,
      [beforeMs],
    );
    const row = rows[0];
    return {
      count: Number(row?.count ?? 0),
      oldestMs: row?.oldest == null ? undefined : Number(row.oldest),
    };
  }

  /** The index's checkpoint. */
  async position(): Promise<Position | 'start'> {
    const { rows } = await this.pool.query<{ position: string | null }>(
      `SELECT position FROM scheduler.owner WHERE name = 'email'`,
    );
    const position = rows[0]?.position;
    return position ? parsePosition(position) : 'start';
  }
}
