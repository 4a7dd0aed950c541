// The claim and the fan-out against real Postgres, at the edges a review found: a replay ahead of the fan-out,
// a manual retry of a delivery in flight, the retry schedule after a retry, endpoints whose deliveries all
// wait, and what a fan-out step hides from the store's other readers.
import { randomUUID } from 'node:crypto';
import { EMAIL_CATEGORY, emailStreamName } from '@app/email-streams';
import { PostgresEventStore, type Position } from '@app/event-store';
import { migrateSchema } from '@app/schema-migrations';
import { appendEmailHistories, createTestDatabase, type TestDatabase } from '@app/testing';
import {
  WEBHOOKS_MIGRATIONS,
  WEBHOOKS_SCHEMA,
  enqueueDeliveries,
  type DeliveryToEnqueue,
} from '@app/webhooks';
import { Pool } from 'pg';
import { claimDueDeliveries, recordAttempt, type AttemptRecord } from './deliveries';
import { fanOutOnce } from './fan-out';

describe('claims and the fan-out', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  async function endpoint(tenantId = 'tenant-a'): Promise<string> {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO webhooks.endpoints (id, tenant_id, url, event_types, secret)
       VALUES ($1, $2, 'https://hooks.example.com/x', '{*}', 'whsec_x')`,
      [id, tenantId],
    );
    return id;
  }

  function delivery(
    endpointId: string,
    emailId: string | null,
    position: Position | null,
  ): DeliveryToEnqueue {
    const messageId = `msg_${randomUUID().replace(/-/g, '')}`;
    return {
      endpointId,
      messageId,
      eventType: 'email.sent',
      emailId,
      position,
      eventAt: new Date(),
      payload: JSON.stringify({ id: messageId }),
    };
  }

  async function setCheckpoint(commit: bigint): Promise<void> {
    await pool.query(
      `INSERT INTO webhooks.checkpoint (name, commit_position, prepare_position) VALUES ('fan-out', $1, 0)
       ON CONFLICT (name) DO UPDATE SET commit_position = $1, prepare_position = 0`,
      [commit.toString()],
    );
  }

  const claim = (dispatcherId: string, endpointConcurrency = 4, limit = 10) =>
    claimDueDeliveries(pool, { dispatcherId, limit, endpointConcurrency, leaseMs: 60_000 });

  const delivered: AttemptRecord = {
    startedAt: new Date(),
    statusCode: 204,
    latencyMs: 1,
    responseExcerpt: '',
    error: null,
    succeeded: true,
    nextAttemptAt: undefined,
  };

  beforeAll(async () => {
    database = await createTestDatabase('claims');
    pool = new Pool({ connectionString: database.url, max: 8 });
    store = await PostgresEventStore.open({ connectionString: database.url });
    await migrateSchema(pool, WEBHOOKS_SCHEMA, WEBHOOKS_MIGRATIONS);
  }, 60_000);

  afterEach(async () => {
    await pool.query('DELETE FROM webhooks.endpoints; DELETE FROM webhooks.checkpoint');
  });

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  it('never claims a message past the fan-out checkpoint: an earlier one of its email may not have its row yet', async () => {
    const hook = await endpoint();
    await setCheckpoint(100n);
    // A replay enqueued revision 1 of an email (position 200) before the fan-out reached revision 0 (150).
    const later = delivery(hook, 'email-1', { commit: 200n, prepare: 0n });
    await enqueueDeliveries(pool, [later], { existing: 'again' });
    expect(await claim('d1')).toEqual([]);
    const earlier = delivery(hook, 'email-1', { commit: 150n, prepare: 0n });
    await enqueueDeliveries(pool, [earlier], { existing: 'keep' });
    await setCheckpoint(300n);
    const first = await claim('d1');
    expect(first.map((d) => d.messageId)).toEqual([earlier.messageId]);
    await recordAttempt(pool, 'd1', first[0]!, delivered, { disableAfterMs: 1e9 });
    expect((await claim('d1')).map((d) => d.messageId)).toEqual([later.messageId]);
  });

  it('lets a delivery in flight finish as the re-send a manual retry asked for: no second attempt beside it, its outcome kept', async () => {
    const hook = await endpoint();
    const test = delivery(hook, null, null);
    await enqueueDeliveries(pool, [test], { existing: 'keep' });
    const [a] = await claim('dispatcher-a', 1);
    expect(a?.messageId).toBe(test.messageId);
    await enqueueDeliveries(pool, [test], { existing: 'again' }); // the user's retry, A still posting
    expect(await claim('dispatcher-b', 1)).toEqual([]);
    const recorded = await recordAttempt(pool, 'dispatcher-a', a!, delivered, {
      disableAfterMs: 1e9,
    });
    expect(recorded.outcome.kind).toBe('delivered');
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhooks.attempts WHERE delivery_id = $1`,
      [a!.id],
    );
    expect(rows[0]?.n).toBe(1);
  });

  it('gives a retried or replayed delivery the whole retry schedule again', async () => {
    const hook = await endpoint();
    const message = delivery(hook, null, null);
    await enqueueDeliveries(pool, [message], { existing: 'keep' });
    await pool.query(
      `UPDATE webhooks.deliveries SET status = 'failed', attempts = 7, next_attempt_at = NULL
        WHERE message_id = $1`,
      [message.messageId],
    );
    await enqueueDeliveries(pool, [message], { existing: 'again' });
    const [claimed] = await claim('d1');
    expect(claimed).toMatchObject({ attempts: 7, roundAttempts: 0 });
  });

  it('fills its slots from endpoints that can take a delivery, whatever many others have theirs all waiting', async () => {
    await setCheckpoint(1_000_000n);
    for (let n = 0; n < 30; n += 1) {
      // A dead endpoint: an email's first message in backoff for an hour, its second due but held behind it.
      const dead = await endpoint();
      const first = delivery(dead, `email-${n}`, { commit: BigInt(n * 10 + 1), prepare: 0n });
      const second = delivery(dead, `email-${n}`, { commit: BigInt(n * 10 + 2), prepare: 0n });
      await enqueueDeliveries(pool, [first, second], { existing: 'keep' });
      await pool.query(
        `UPDATE webhooks.deliveries SET next_attempt_at = now() + interval '1 hour', attempts = 3
          WHERE message_id = $1`,
        [first.messageId],
      );
    }
    const healthy = await endpoint();
    await enqueueDeliveries(
      pool,
      Array.from({ length: 8 }, (_, n) => delivery(healthy, `healthy-${n}`, null)),
      { existing: 'keep' },
    );
    // One free slot at a time, as a busy dispatcher has them: each claim must find the healthy endpoint.
    const claimed = [];
    for (let n = 0; n < 4; n += 1) claimed.push(...(await claim('d1', 8, 1)));
    expect(claimed.map((d) => d.endpointId)).toEqual([healthy, healthy, healthy, healthy]);
  });

  it("hides nothing from the store's other readers while a fan-out step reads: it holds no transaction id", async () => {
    await endpoint();
    await setCheckpoint(0n); // a dispatcher's first step ever creates the row, and that one write takes an id
    await appendEmailHistories(store, 5, 0);
    const before = await store.headPosition(EMAIL_CATEGORY);
    let visible: boolean | undefined;
    const racing = Object.create(store) as PostgresEventStore;
    racing.readStream = async (...args: Parameters<PostgresEventStore['readStream']>) => {
      if (visible === undefined) {
        const [emailId] = await appendEmailHistories(store, 1, 0);
        const seen = await store.readCategory(EMAIL_CATEGORY, { after: before, maxCount: 10_000 });
        visible = seen.some((event) => event.streamName === emailStreamName(emailId ?? ''));
      }
      return store.readStream(...args);
    };
    await fanOutOnce(pool, racing);
    expect(visible).toBe(true);
  });
});
