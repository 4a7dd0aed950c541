import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@app/platform';
import { migrateSchema } from '@app/schema-migrations';
import { ATTACHMENTS_MIGRATIONS, ATTACHMENTS_SCHEMA } from './attachments.migrations';

/**
 * How long a holder waits for its email's stream: the api stores the bytes just before it appends, so a
 * stream still missing this long after was never appended (a refused write, a crash) and the bytes go.
 */
export const UNAPPENDED_GRACE_MS = 10 * 60_000;

/** An email whose attachments the janitor should look at now. */
export interface DueHolder {
  readonly emailId: string;
  readonly tenantId: string;
  readonly createdAt: Date;
}

/**
 * Attachment bytes, content-addressed per tenant: a file sent with a thousand emails is stored once, and
 * goes when the last email holding it is purged.
 *
 * Storing and purging the same (tenant, sha256) take the same transaction-scoped advisory lock first, so a
 * purge that found no other ref cannot delete content a concurrent put has just referenced: whichever comes
 * second sees what the first committed.
 */
export class AttachmentStore {
  constructor(private readonly pool: Pool) {}

  migrate(): Promise<void> {
    return migrateSchema(this.pool, ATTACHMENTS_SCHEMA, ATTACHMENTS_MIGRATIONS);
  }

  /**
   * Stores `files` (by their SHA-256) for one email, with the email's refs to them and a holder row due at
   * once (the janitor's first look tells when to look again), all in one transaction. Idempotent: storing
   * the same files again changes nothing.
   */
  async put(tenantId: string, emailId: string, files: ReadonlyMap<string, Buffer>): Promise<void> {
    if (files.size === 0) return;
    await inTransaction(this.pool, async (client) => {
      // Locks in a fixed order, so two puts sharing files cannot deadlock.
      for (const sha256 of [...files.keys()].sort()) {
        await lockContent(client, tenantId, sha256);
        const bytes = files.get(sha256) as Buffer;
        await client.query(
          `INSERT INTO attachments.contents (tenant_id, sha256, size, bytes) VALUES ($1, $2, $3, $4)
           ON CONFLICT DO NOTHING`,
          [tenantId, sha256, bytes.length, bytes],
        );
        await client.query(
          `INSERT INTO attachments.refs (tenant_id, email_id, sha256) VALUES ($1, $2, $3)
           ON CONFLICT DO NOTHING`,
          [tenantId, emailId, sha256],
        );
      }
      await client.query(
        `INSERT INTO attachments.holders (email_id, tenant_id, next_check_at)
         VALUES ($1, $2, now())
         ON CONFLICT (email_id) DO NOTHING`,
        [emailId, tenantId],
      );
    });
  }

  async read(tenantId: string, sha256: string): Promise<Buffer | undefined> {
    const { rows } = await this.pool.query<{ bytes: Buffer }>(
      'SELECT bytes FROM attachments.contents WHERE tenant_id = $1 AND sha256 = $2',
      [tenantId, sha256],
    );
    return rows[0]?.bytes;
  }

  /** Drops the email's refs and holder, then each of its contents no other email holds. */
  purge(tenantId: string, emailId: string): Promise<void> {
    return inTransaction(this.pool, (client) => this.purgeIn(client, tenantId, emailId));
  }

  /**
   * Up to `limit` holders due by `now`, each handed to `visit` inside a transaction that keeps its row locked
   * (SKIP LOCKED: other workers take the next ones). `visit` answers when to look again, or 'purge': then
   * the email's refs and holder go in that transaction, and each content no other email holds.
   */
  async visitDue(
    now: Date,
    limit: number,
    visit: (holder: DueHolder) => Promise<Date | 'purge'>,
  ): Promise<number> {
    return inTransaction(this.pool, async (client) => {
      const { rows } = await client.query<{
        email_id: string;
        tenant_id: string;
        created_at: Date;
      }>(
        `SELECT email_id, tenant_id, created_at FROM attachments.holders
         WHERE next_check_at <= $1 ORDER BY next_check_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [now, limit],
      );
      for (const row of rows) {
        const holder = {
          emailId: row.email_id,
          tenantId: row.tenant_id,
          createdAt: row.created_at,
        };
        const next = await visit(holder);
        if (next === 'purge') await this.purgeIn(client, holder.tenantId, holder.emailId);
        else
          await client.query(
            'UPDATE attachments.holders SET next_check_at = $2 WHERE email_id = $1',
            [holder.emailId, next],
          );
      }
      return rows.length;
    });
  }

  private async purgeIn(client: PoolClient, tenantId: string, emailId: string): Promise<void> {
    const { rows } = await client.query<{ sha256: string }>(
      'DELETE FROM attachments.refs WHERE email_id = $1 AND tenant_id = $2 RETURNING sha256',
      [emailId, tenantId],
    );
    await client.query('DELETE FROM attachments.holders WHERE email_id = $1 AND tenant_id = $2', [
      emailId,
      tenantId,
    ]);
    for (const { sha256 } of rows.sort((a, b) => (a.sha256 < b.sha256 ? -1 : 1))) {
      await lockContent(client, tenantId, sha256);
      await client.query(
        `DELETE FROM attachments.contents c WHERE c.tenant_id = $1 AND c.sha256 = $2
         AND NOT EXISTS (SELECT 1 FROM attachments.refs r WHERE r.tenant_id = $1 AND r.sha256 = $2)`,
        [tenantId, sha256],
      );
    }
  }
}

/** Held until the transaction ends: serialises put and purge of one tenant's one content. */
async function lockContent(client: PoolClient, tenantId: string, sha256: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
    `attachment:${tenantId}:${sha256}`,
  ]);
}
