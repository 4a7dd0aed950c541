import { createHash, randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { decide, formatInstant } from '@app/domain';
import { AttachmentStore, UNAPPENDED_GRACE_MS } from '@app/attachments';
import { EmailStreams } from '@app/email-streams';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { AttachmentJanitor } from './attachment-janitor';

const TENANT = 'tenant-acme';
const RETENTION_MS = 2 * 3_600_000;
const INTERVAL_MS = 1_000;
const bytes = Buffer.from('the invoice');
const sha256 = createHash('sha256').update(bytes).digest('hex');

describe('AttachmentJanitor (Postgres)', () => {
  let db: TestDatabase;
  let pool: Pool;
  let eventStore: PostgresEventStore;
  let store: AttachmentStore;
  let streams: EmailStreams;
  let janitor: AttachmentJanitor;

  beforeAll(async () => {
    db = await createTestDatabase('attachment_janitor');
    pool = new Pool({ connectionString: db.url, max: 4 });
    eventStore = await PostgresEventStore.open({ connectionString: db.url });
    store = new AttachmentStore(pool);
    await store.migrate();
    streams = new EmailStreams(eventStore);
    janitor = new AttachmentJanitor(store, streams, {
      retentionMs: RETENTION_MS,
      intervalMs: INTERVAL_MS,
    });
  });

  afterAll(async () => {
    await eventStore.close();
    await pool.end();
    await db.drop();
  });

  async function holder(emailId: string): Promise<{ next: number } | undefined> {
    const { rows } = await pool.query<{ next_check_at: Date }>(
      'SELECT next_check_at FROM attachments.holders WHERE email_id = $1',
      [emailId],
    );
    return rows[0] && { next: rows[0].next_check_at.getTime() };
  }

  it('drops bytes whose email was never appended, once the grace for the append has passed', async () => {
    const [young, old] = [randomUUID(), randomUUID()];
    await store.put(TENANT, young, new Map([[sha256, bytes]]));
    await store.put(TENANT, old, new Map([[sha256, bytes]]));
    await pool.query(
      `UPDATE attachments.holders SET created_at = now() - make_interval(secs => $2) WHERE email_id = $1`,
      [old, (UNAPPENDED_GRACE_MS + 60_000) / 1000],
    );
    const nowMs = Date.now();
    await janitor.runOnce(nowMs);

    expect(await holder(old)).toBeUndefined();
    expect((await holder(young))?.next).toBeGreaterThan(nowMs + UNAPPENDED_GRACE_MS - 5_000);
    expect(await store.read(TENANT, sha256)).toEqual(bytes);
    await store.purge(TENANT, young);
    expect(await store.read(TENANT, sha256)).toBeUndefined();
  });

  it('looks at a live email again when it is due, and purges a final one after its retention, on record', async () => {
    const emailId = randomUUID();
    const nowMs = Date.now();
    const sendAtMs = nowMs + 3_600_000;
    await store.put(TENANT, emailId, new Map([[sha256, bytes]]));
    const loaded = streams.fresh(emailId);
    const scheduled = await streams.advance(
      loaded,
      decide(
        {
          type: 'ScheduleEmail',
          data: {
            emailId,
            tenantId: TENANT,
            from: 'billing@acme.example',
            to: 'jane@example.com',
            subject: 'Invoice',
            text: 'Attached',
            sendAt: formatInstant(sendAtMs),
            attachments: [
              {
                filename: 'invoice.pdf',
                contentType: 'application/pdf',
                size: bytes.length,
                sha256,
              },
            ],
            senderIdentity: { kind: 'any' },
            now: formatInstant(nowMs),
          },
        },
        loaded.state,
      ),
    );
    await janitor.runOnce(Date.now());
    expect((await holder(emailId))?.next).toBe(sendAtMs);

    await streams.advance(
      scheduled,
      decide({ type: 'CancelEmail', data: { now: formatInstant(nowMs) } }, scheduled.state),
    );
    await janitor.runOnce(sendAtMs);
    expect((await holder(emailId))?.next).toBe(nowMs + RETENTION_MS);
    expect(await store.read(TENANT, sha256)).toEqual(bytes);

    await janitor.runOnce(nowMs + RETENTION_MS);
    expect(await holder(emailId)).toBeUndefined();
    expect(await store.read(TENANT, sha256)).toBeUndefined();
    expect((await streams.read(emailId)).at(-1)).toMatchObject({
      type: 'EmailAttachmentsPurged',
      data: { sha256: [sha256], retentionMs: RETENTION_MS },
    });
  });
});
