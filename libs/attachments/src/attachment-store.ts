import type { Pool, PoolClient } from 'pg';
import { inTransaction } from '@app/platform';
import { migrateSchema } from '@app/schema-migrations';
import { ATTACHMENTS_MIGRATIONS, ATTACHMENTS_SCHEMA } from './attachments.migrations';

/**
 * How long after the bytes were last stored an email's stream may still be missing before they count as
 * never appended (the request failed or died between the two): far past any request's life, so a slow append
 * never finds its bytes gone.
 */
export const UNAPPENDED_GRACE_MS = 60 * 60_000;

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
      // The holder first, as the janitor takes it (row, then contents' locks): the same order cannot deadlock.
      // A store again (a retried request, an edit) restarts the grace before its append.
      await client.query(
        `INSERT INTO attachments.holders (email_id, tenant_id, next_check_at) VALUES ($1, $2, now())
         ON CONFLICT (email_id) DO UPDATE SET created_at = now()`,
        [emailId, tenantId],
      );
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
    return inTransaction(this.pool, (client) => this.purgeIn(client, [{ tenantId, emailId }]));
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
      const purges: DueHolder[] = [];
      for (const row of rows) {
        const holder = {
          emailId: row.email_id,
          tenantId: row.tenant_id,
          createdAt: row.created_at,
        };
        const next = await visit(holder);
        if (next === 'purge') purges.push(holder);
        else
          await client.query(
            'UPDATE attachments.holders SET next_check_at = $2 WHERE email_id = $1',
            [holder.emailId, next],
          );
      }
      await this.purgeIn(client, purges);
      return rows.length;
    });
  }

  /**
   * The emails' refs and holders, then each of their contents no other email holds. The contents' locks are
   * taken in one order over the whole round, (tenant, hash), the order a put takes its own in: a round that
   * locked its emails' contents one email after the other could meet a put of two of them crosswise.
   */
  private async purgeIn(
    client: PoolClient,
    holders: readonly Pick<DueHolder, 'tenantId' | 'emailId'>[],
  ): Promise<void> {
    const contents = new Map<string, { tenantId: string; sha256: string }>();
    for (const { tenantId, emailId } of holders) {
      const { rows } = await client.query<{ sha256: string }>(
        'DELETE FROM attachments.refs WHERE email_id = $1 AND tenant_id = $2 RETURNING sha256',
        [emailId, tenantId],
      );
      await client.query('DELETE FROM attachments.holders WHERE email_id = $1 AND tenant_id = $2', [
        emailId,
        tenantId,
      ]);
      for (const { sha256 } of rows)
        contents.set(`${tenantId}\u0000${sha256}`, { tenantId, sha256 });
    }
    const ordered = [...contents.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, { tenantId, sha256 }] of ordered) {
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
