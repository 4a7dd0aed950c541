// The fan-out against real Postgres: which endpoints get which messages, the checkpoint, and several
// fan-outs running at once (as several dispatchers do).
import { randomUUID } from 'node:crypto';
import { EMAIL_CATEGORY, emailStreamName } from '@app/email-streams';
import { PostgresEventStore, formatPosition } from '@app/event-store';
import { migrateSchema } from '@app/schema-migrations';
import { appendEmailHistories, createTestDatabase, type TestDatabase } from '@app/testing';
import {
  WEBHOOKS_MIGRATIONS,
  WEBHOOKS_SCHEMA,
  subscribesTo,
  webhookMessagesOf,
  type WebhookMessage,
} from '@app/webhooks';
import { Pool } from 'pg';
import { fanOutOnce } from './fan-out';

describe('the fan-out', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;

  async function endpoint(tenantId: string, events: string[], enabled = true): Promise<string> {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO webhooks.endpoints (id, tenant_id, url, event_types, enabled, secret)
       VALUES ($1, $2, 'https://hooks.example.com/x', $3, $4, 'whsec_x')`,
      [id, tenantId, events, enabled],
    );
    return id;
  }

  /** Runs fan-out steps until one reads nothing. */
  async function drain(): Promise<void> {
    while ((await fanOutOnce(pool, store)).events > 0);
  }

  async function checkpoint(): Promise<string> {
    const { rows } = await pool.query<{ position: string }>(
      `SELECT commit_position || '/' || prepare_position AS position FROM webhooks.checkpoint
        WHERE name = 'fan-out'`,
    );
    return rows[0]?.position ?? 'none';
  }

  async function head(): Promise<string> {
    const position = await store.headPosition(EMAIL_CATEGORY);
    return position === 'start' ? 'start' : formatPosition(position);
  }

  async function messagesOf(emailIds: readonly string[]): Promise<WebhookMessage[]> {
    const messages: WebhookMessage[] = [];
    for (const emailId of emailIds) {
      messages.push(...webhookMessagesOf(await store.readStream(emailStreamName(emailId))));
    }
    return messages;
  }

  async function deliveriesOf(endpointId: string): Promise<string[]> {
    const { rows } = await pool.query<{ message_id: string }>(
      `SELECT message_id FROM webhooks.deliveries WHERE endpoint_id = $1
        ORDER BY event_commit, event_prepare`,
      [endpointId],
    );
    return rows.map((row) => row.message_id);
  }

  beforeAll(async () => {
    database = await createTestDatabase('fan_out');
    pool = new Pool({ connectionString: database.url, max: 8 });
    store = await PostgresEventStore.open({ connectionString: database.url });
    await migrateSchema(pool, WEBHOOKS_SCHEMA, WEBHOOKS_MIGRATIONS);
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  it('with no endpoint at all, moves the checkpoint to the head and enqueues nothing', async () => {
    await appendEmailHistories(store, 20, 0);
    const step = await fanOutOnce(pool, store);
    expect(step).toEqual({ events: 0, enqueued: 0, lastEventAt: undefined });
    expect(await checkpoint()).toBe(await head());
    const { rows } = await pool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhooks.deliveries',
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('loses nothing for an endpoint created while a fan-out finds none: its events come after the head it skips to', async () => {
    await drain();
    // The endpoint and an email of its tenant arrive between the fan-out's two looks (the head and the
    // endpoints), whichever order it takes them in: here, during its read of the head.
    let created: { endpointId: string; emails: string[] } | undefined;
    const racing = Object.create(store) as PostgresEventStore;
    racing.headPosition = async (category) => {
      if (created === undefined) {
        const endpointId = await endpoint('tenant-a', ['*']);
        created = { endpointId, emails: await appendEmailHistories(store, 2, 0) };
      }
      // The newest event whatever transactions are open, as the port defines the head and as EventStoreDB
      // answers it (the Postgres store's own head leaves out what committed after this transaction began).
      const { rows } = await pool.query<{ txid: string; position: string }>(
        `SELECT transaction_id::text AS txid, global_position::text AS position FROM event_store.events
          WHERE category = $1 ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
        [category],
      );
      const newest = rows[0];
      return newest ? { commit: BigInt(newest.txid), prepare: BigInt(newest.position) } : 'start';
    };
    while ((await fanOutOnce(pool, racing)).events > 0 || created === undefined);
    await drain();
    const { endpointId, emails } = created;
    const owed = (await messagesOf(emails)).filter((m) => m.tenantId === 'tenant-a');
    expect(owed.length).toBeGreaterThan(0);
    expect((await deliveriesOf(endpointId)).sort()).toEqual(owed.map((m) => m.payload.id).sort());
    await pool.query('DELETE FROM webhooks.endpoints');
  });

  it("gives each endpoint its own tenant's subscribed messages, in position order, disabled or not", async () => {
    const all = await endpoint('tenant-a', ['*']);
    const sentOnly = await endpoint('tenant-a', ['email.sent', 'email.failed']);
    const disabled = await endpoint('tenant-a', ['*'], false);
    const other = await endpoint('tenant-b', ['*']);
    const emails = await appendEmailHistories(store, 40, 100);
    await drain();
    expect(await checkpoint()).toBe(await head());

    const messages = await messagesOf(emails);
    const ofTenant = (tenantId: string, types: string[]): string[] =>
      messages
        .filter((m) => m.tenantId === tenantId && subscribesTo(types, m.type))
        .sort((x, y) =>
          x.event.position.commit === y.event.position.commit
            ? Number(x.event.position.prepare - y.event.position.prepare)
            : Number(x.event.position.commit - y.event.position.commit),
        )
        .map((m) => m.payload.id);
    expect(await deliveriesOf(all)).toEqual(ofTenant('tenant-a', ['*']));
    expect(await deliveriesOf(sentOnly)).toEqual(
      ofTenant('tenant-a', ['email.sent', 'email.failed']),
    );
    expect((await deliveriesOf(sentOnly)).length).toBeGreaterThan(0);
    expect(await deliveriesOf(disabled)).toEqual(ofTenant('tenant-a', ['*']));
    expect(await deliveriesOf(other)).toEqual(ofTenant('tenant-b', ['*']));

    // Each delivery carries the message's exact payload, due now.
    const { rows } = await pool.query<{ payload: string; status: string; due: boolean }>(
      `SELECT payload, status, next_attempt_at <= now() AS due FROM webhooks.deliveries
        WHERE endpoint_id = $1`,
      [other],
    );
    const payloads = new Set(messages.map((m) => JSON.stringify(m.payload)));
    for (const row of rows) {
      expect(payloads.has(row.payload)).toBe(true);
      expect(row).toMatchObject({ status: 'pending', due: true });
    }
    await pool.query('DELETE FROM webhooks.endpoints');
  });

  it('enqueues each message once when several fan-outs run at once, and ends at the head', async () => {
    const a = await endpoint('tenant-a', ['*']);
    const b = await endpoint('tenant-b', ['*']);
    const emails = await appendEmailHistories(store, 400, 200, 16);
    const steps = await Promise.all(
      Array.from({ length: 4 }, async () => {
        let events = 0;
        for (;;) {
          const step = await fanOutOnce(pool, store);
          if (step.events === 0) return events;
          events += step.events;
        }
      }),
    );
    // Every event was read by exactly one of them: they took turns on the checkpoint.
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM event_store.events WHERE category = 'email'
        AND stream_name = ANY($1::text[])`,
      [emails.map((id) => emailStreamName(id))],
    );
    expect(steps.reduce((sum, n) => sum + n, 0)).toBe(rows[0]?.n);
    expect(await checkpoint()).toBe(await head());
    const messages = await messagesOf(emails);
    expect((await deliveriesOf(a)).sort()).toEqual(
      messages
        .filter((m) => m.tenantId === 'tenant-a')
        .map((m) => m.payload.id)
        .sort(),
    );
    expect((await deliveriesOf(b)).sort()).toEqual(
      messages
        .filter((m) => m.tenantId === 'tenant-b')
        .map((m) => m.payload.id)
        .sort(),
    );
  }, 60_000);
});
