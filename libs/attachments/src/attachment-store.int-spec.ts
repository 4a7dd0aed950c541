import { createHash, randomUUID } from 'node:crypto';
import { Client, Pool } from 'pg';
import { createTestDatabase, waitFor, type TestDatabase } from '@app/testing';
import { AttachmentStore } from './attachment-store';

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

describe('AttachmentStore (Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let store: AttachmentStore;

  beforeAll(async () => {
    db = await createTestDatabase('attachments');
    pool = new Pool({ connectionString: db.url, max: 6 });
    store = new AttachmentStore(pool);
    await store.migrate();
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  it('stores a file once per tenant, however many emails hold it, and frees it with the last of them', async () => {
    const bytes = Buffer.from(`shared ${randomUUID()}`);
    const hash = sha256(bytes);
    const [a, b] = [randomUUID(), randomUUID()];
    await store.put('t1', a, new Map([[hash, bytes]]));
    await store.put('t1', b, new Map([[hash, bytes]]));
    await store.put('t2', randomUUID(), new Map([[hash, bytes]]));
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM attachments.contents WHERE sha256 = $1',
      [hash],
    );
    expect(rows[0]?.n).toBe(2);

    await store.purge('t1', a);
    expect(await store.read('t1', hash)).toEqual(bytes);
    await store.purge('t1', b);
    expect(await store.read('t1', hash)).toBeUndefined();
    expect(await store.read('t2', hash)).toEqual(bytes);
  });

  it('a put and a purge of the same content meeting mid-way never leave a ref to deleted bytes', async () => {
    const bytes = Buffer.from(`raced ${randomUUID()}`);
    const hash = sha256(bytes);
    const [leaving, arriving] = [randomUUID(), randomUUID()];
    await store.put('t1', leaving, new Map([[hash, bytes]]));

    // Holds the arriving email's ref row uncommitted, so the put stops between finding the content already
    // there and committing its own ref: the moment a purge must not delete the content.
    const blocker = new Client({ connectionString: db.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        'INSERT INTO attachments.refs (tenant_id, email_id, sha256) VALUES ($1, $2, $3)',
        ['t1', arriving, hash],
      );
      const put = store.put('t1', arriving, new Map([[hash, bytes]]));
      await waitFor('the put to wait on the ref row', () => waiting(pool, 'transactionid'), 5_000);
      let purged = false;
      const purge = store.purge('t1', leaving).then(() => {
        purged = true;
      });
      await waitFor(
        'the purge to wait on the content lock, or to finish',
        async () => purged || (await waiting(pool, 'advisory')),
        5_000,
      );
      await blocker.query('ROLLBACK');
      await Promise.all([put, purge]);
    } finally {
      await blocker.end();
    }

    expect(await store.read('t1', hash)).toEqual(bytes);
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM attachments.refs r WHERE NOT EXISTS
         (SELECT 1 FROM attachments.contents c WHERE c.tenant_id = r.tenant_id AND c.sha256 = r.sha256)`,
    );
    expect(rows[0]?.n).toBe(0);
  });
});

/** Whether some backend of this database waits on a lock of this kind (pg_stat_activity's wait_event). */
async function waiting(pool: Pool, event: string): Promise<boolean> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = $1`,
    [event],
  );
  return (rows[0]?.n ?? 0) > 0;
}
