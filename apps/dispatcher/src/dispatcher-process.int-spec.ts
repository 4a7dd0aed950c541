// The built dispatcher as processes against real receivers on loopback: receivers that fail, hang and drop
// connections, a dispatcher killed -9 while a request is in flight, two dispatchers at once, a hanging
// endpoint next to a healthy one, and an endpoint failing long enough to be disabled.
import { randomBytes, randomUUID } from 'node:crypto';
import { emailStreamName } from '@app/email-streams';
import { PostgresEventStore } from '@app/event-store';
import { migrateSchema } from '@app/schema-migrations';
import {
  AppProcess,
  WebhookReceiver,
  appendEmailHistories,
  createTestDatabase,
  freePort,
  waitFor,
  type ReceivedWebhook,
  type TestDatabase,
} from '@app/testing';
import { WEBHOOKS_MIGRATIONS, WEBHOOKS_SCHEMA, webhookMessagesOf } from '@app/webhooks';
import { Pool } from 'pg';

const TIMEOUT_MS = 1_000;
const HANG_TIMEOUT_MS = 3_000;

function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

interface Expected {
  readonly id: string;
  readonly tenantId: string;
  readonly emailId: string;
  readonly revision: number;
  readonly recordedAt: number;
}

describe('the dispatcher process', () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  const running: AppProcess[] = [];
  const receivers: WebhookReceiver[] = [];

  async function dispatcher(env: Record<string, string> = {}): Promise<AppProcess> {
    const app = await AppProcess.start('dispatcher', {
      DATABASE_URL: database.url,
      WEBHOOKS_ALLOW_PRIVATE_NETWORKS: 'true',
      WEBHOOK_TIMEOUT_MS: String(TIMEOUT_MS),
      WEBHOOK_RETRY_DELAYS: '100ms,200ms,400ms,400ms,400ms,400ms,400ms,400ms,400ms,400ms',
      WEBHOOKS_DISABLE_AFTER: '1h',
      WEBHOOK_CONCURRENCY: '8',
      WEBHOOK_ENDPOINT_CONCURRENCY: '2',
      ...env,
    });
    running.push(app);
    return app;
  }

  async function receiver(secret: string): Promise<WebhookReceiver> {
    const started = await WebhookReceiver.start(secret);
    receivers.push(started);
    return started;
  }

  async function endpoint(
    tenantId: string,
    url: string,
    secret: string,
    extra: { previousSecret?: string } = {},
  ): Promise<string> {
    const id = randomUUID();
    await pool.query(
      `INSERT INTO webhooks.endpoints
         (id, tenant_id, url, event_types, secret, previous_secret, previous_secret_expires_at)
       VALUES ($1, $2, $3, '{*}', $4, $5, CASE WHEN $5::text IS NULL THEN NULL ELSE now() + interval '1 hour' END)`,
      [id, tenantId, url, secret, extra.previousSecret ?? null],
    );
    return id;
  }

  /** Every message the emails give, as the library derives them from the stored streams. */
  async function messagesOf(emailIds: readonly string[]): Promise<Expected[]> {
    const expected: Expected[] = [];
    for (const emailId of emailIds) {
      for (const message of webhookMessagesOf(await store.readStream(emailStreamName(emailId)))) {
        expected.push({
          id: message.payload.id,
          tenantId: message.tenantId,
          emailId,
          revision: message.event.revision,
          recordedAt: message.event.recordedAt.getTime(),
        });
      }
    }
    return expected;
  }

  function firstArrivals(received: readonly ReceivedWebhook[]): Map<string, ReceivedWebhook> {
    const first = new Map<string, ReceivedWebhook>();
    for (const request of received)
      if (!first.has(request.webhookId)) first.set(request.webhookId, request);
    return first;
  }

  function delivered(received: readonly ReceivedWebhook[]): Set<string> {
    return new Set(
      received
        .filter((request) => 'status' in request.answer && request.answer.status === 200)
        .map((request) => request.webhookId),
    );
  }

  /** Per email, the revisions of `requests` in arrival order, which must only increase. */
  function expectInOrderPerEmail(requests: readonly ReceivedWebhook[]): void {
    const revisions = new Map<string, number[]>();
    for (const request of requests) {
      const list = revisions.get(request.emailId ?? '') ?? [];
      list.push(request.revision ?? -1);
      revisions.set(request.emailId ?? '', list);
    }
    for (const [emailId, list] of revisions) {
      expect({ emailId, list }).toEqual({ emailId, list: [...list].sort((a, b) => a - b) });
    }
  }

  /** A duplicate is the same message again: one webhook-id per message, the same bytes each time. */
  function expectDuplicatesOnlyWithTheSameId(received: readonly ReceivedWebhook[]): void {
    const bodyOf = new Map<string, string>();
    const idOf = new Map<string, string>();
    for (const request of received) {
      const seen = bodyOf.get(request.webhookId);
      if (seen !== undefined) expect(request.body).toBe(seen);
      bodyOf.set(request.webhookId, request.body);
      const key = `${request.emailId}:${request.revision}`;
      expect(idOf.get(key) ?? request.webhookId).toBe(request.webhookId);
      idOf.set(key, request.webhookId);
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('dispatcher');
    pool = new Pool({ connectionString: database.url, max: 4 });
    pool.on('error', () => undefined); // the drop terminates idle connections
    store = await PostgresEventStore.open({ connectionString: database.url });
    await migrateSchema(pool, WEBHOOKS_SCHEMA, WEBHOOKS_MIGRATIONS);
  }, 60_000);

  afterEach(async () => {
    await Promise.all(running.splice(0).map((app) => app.kill()));
    await Promise.all(receivers.splice(0).map((r) => r.stop()));
    await pool.query('DELETE FROM webhooks.endpoints');
  });

  afterAll(async () => {
    await store?.close();
    await pool?.end();
    await database?.drop();
  });

  it('delivers every message at least once, signed and in order per email, through failures, a kill -9 and two dispatchers', async () => {
    const secretA = newSecret();
    const oldSecretB = newSecret();
    const a = await receiver(secretA);
    // Tenant b's endpoint rotated its secret: its receiver still checks the previous one, which signs too.
    const b = await receiver(oldSecretB);
    await endpoint('tenant-a', a.url, secretA);
    await endpoint('tenant-b', b.url, newSecret(), { previousSecret: oldSecretB });

    // Phase 1: a's receiver hangs; one dispatcher; killed -9 while requests are in flight at a.
    a.answer = () => ({ hang: true });
    const first = await dispatcher();
    const firstEmails = await appendEmailHistories(store, 30, 0);
    await waitFor('requests in flight at a', () => a.requestsHanging > 0, 10_000, 10);
    const inFlightAtKill = new Set(a.received.map((request) => request.webhookId));
    await first.kill();
    expect(inFlightAtKill.size).toBeGreaterThan(0);

    // Phase 2: two dispatchers. a answers 500, drops connections and hangs now and then; after that it
    // refuses each email's first message (revision 0) a few more times while it accepts the rest: only the
    // per-email order keeps an email's later messages from overtaking its first.
    let count = 0;
    const chaosUntil = Date.now() + 1_500;
    const refusals = new Map<string, number>();
    a.answer = ({ body }) => {
      count += 1;
      if (Date.now() < chaosUntil) {
        if (count % 7 === 0) return { hang: true };
        return count % 2 === 0 ? { status: 500 } : { destroy: true };
      }
      const payload = JSON.parse(body) as { id: string; data: { revision: number } };
      const refused = refusals.get(payload.id) ?? 0;
      if (payload.data.revision === 0 && refused < 3) {
        refusals.set(payload.id, refused + 1);
        return { status: 503 };
      }
      return { status: 200 };
    };
    const metricsPort = await freePort();
    const restarted = await dispatcher({ METRICS_PORT: String(metricsPort) });
    const second = await dispatcher();
    const moreEmails = await appendEmailHistories(store, 30, 30);
    const expected = await messagesOf([...firstEmails, ...moreEmails]);
    const expectedA = expected.filter((m) => m.tenantId === 'tenant-a');
    const expectedB = expected.filter((m) => m.tenantId === 'tenant-b');
    await waitFor(
      'every message of tenant a delivered to a, and of tenant b to b',
      () => {
        const atA = delivered(a.received);
        const atB = delivered(b.received);
        return expectedA.every((m) => atA.has(m.id)) && expectedB.every((m) => atB.has(m.id));
      },
      30_000,
      50,
    );

    // Every request verified, and another tenant's endpoint got nothing of this tenant's.
    expect(a.received.filter((r) => !r.validSignature)).toEqual([]);
    expect(b.received.filter((r) => !r.validSignature)).toEqual([]);
    const idsA = new Set(expectedA.map((m) => m.id));
    const idsB = new Set(expectedB.map((m) => m.id));
    expect(a.received.filter((r) => !idsA.has(r.webhookId))).toEqual([]);
    expect(b.received.filter((r) => !idsB.has(r.webhookId))).toEqual([]);

    // In order per email: among first arrivals, and among the deliveries answered 200.
    expectInOrderPerEmail([...firstArrivals(a.received).values()]);
    expectInOrderPerEmail([...firstArrivals(b.received).values()]);
    expectInOrderPerEmail(
      a.received.filter((r) => 'status' in r.answer && r.answer.status === 200),
    );
    expectDuplicatesOnlyWithTheSameId(a.received);
    expectDuplicatesOnlyWithTheSameId(b.received);

    // What was in flight when the dispatcher died was sent again, with the same webhook-id, and delivered.
    const atA = delivered(a.received);
    for (const id of inFlightAtKill) {
      expect(a.received.filter((r) => r.webhookId === id).length).toBeGreaterThan(1);
      expect(atA.has(id)).toBe(true);
    }
    // Both dispatchers of phase 2 attempted deliveries.
    const { rows } = await pool.query<{ dispatcher_id: string }>(
      `SELECT DISTINCT dispatcher_id FROM webhooks.attempts`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const { rows: left } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhooks.deliveries WHERE status <> 'delivered'`,
    );
    expect(left[0]?.n).toBe(0);

    // Its /metrics counts what it did.
    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    const sample = (name: string): number =>
      Number(new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(sample('webhook_deliveries_total{outcome="delivered"}')).toBeGreaterThan(0);
    expect(sample('webhook_deliveries_total{outcome="retry"}')).toBeGreaterThan(0);
    expect(sample('webhook_delivery_lag_seconds_count')).toBeGreaterThan(0);
    expect(sample('webhook_retries_pending')).toBe(0);
    expect(sample('webhook_endpoints_disabled')).toBe(0);
    expect(sample('webhook_fanout_lag_seconds')).toBe(0);
    // SIGTERM: each finishes what it has in flight and exits 0.
    await restarted.stop();
    await second.stop();
    expect((await restarted.exited).code).toBe(0);
    expect((await second.exited).code).toBe(0);
    expect(restarted.output).not.toContain('"level":50');
  }, 60_000);

  it("an endpoint that only hangs does not delay a healthy endpoint's deliveries", async () => {
    const hangingSecret = newSecret();
    const healthySecret = newSecret();
    const hanging = await receiver(hangingSecret);
    hanging.answer = () => ({ hang: true });
    const healthy = await receiver(healthySecret);
    await endpoint('tenant-a', hanging.url, hangingSecret);
    await endpoint('tenant-a', healthy.url, healthySecret);
    // A long timeout: waiting behind one hanging attempt would show as a lag far past what delivery takes.
    await dispatcher({
      WEBHOOK_CONCURRENCY: '4',
      WEBHOOK_ENDPOINT_CONCURRENCY: '2',
      WEBHOOK_TIMEOUT_MS: String(HANG_TIMEOUT_MS),
    });

    // A steady trickle (tenant a's emails only), well within what one dispatcher delivers: any lag past
    // a hanging attempt's timeout can only come from waiting behind the hanging endpoint.
    const emails: string[] = [];
    for (let n = 100; n < 140; n += 2) {
      emails.push(...(await appendEmailHistories(store, 1, n)));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const expected = await messagesOf(emails);
    await waitFor(
      'every message at the healthy endpoint',
      () => {
        const ids = delivered(healthy.received);
        return expected.every((m) => ids.has(m.id));
      },
      15_000,
      20,
    );
    expect(hanging.requestsHanging).toBeGreaterThan(0);
    // Lag from the event to its arrival: well under one hanging attempt's timeout, every time.
    const recordedAt = new Map(expected.map((m) => [m.id, m.recordedAt]));
    const lags = [...firstArrivals(healthy.received).values()].map(
      (r) => r.receivedAt - (recordedAt.get(r.webhookId) ?? NaN),
    );
    expect(Math.max(...lags)).toBeLessThan(HANG_TIMEOUT_MS - 1_000);
    expectInOrderPerEmail(healthy.received);
  }, 30_000);

  it('disables an endpoint failing longer than WEBHOOKS_DISABLE_AFTER; its deliveries wait, and resume once enabled', async () => {
    const secret = newSecret();
    const failing = await receiver(secret);
    failing.answerAlways(500);
    const id = await endpoint('tenant-b', failing.url, secret);
    await dispatcher({ WEBHOOKS_DISABLE_AFTER: '2s' });
    const emails = await appendEmailHistories(store, 10, 201);
    const startedAt = Date.now();

    const endpointRow = async (): Promise<{
      enabled: boolean;
      disabled_reason: string | null;
      failing_since: Date | null;
    }> => {
      const { rows } = await pool.query<{
        enabled: boolean;
        disabled_reason: string | null;
        failing_since: Date | null;
      }>(`SELECT enabled, disabled_reason, failing_since FROM webhooks.endpoints WHERE id = $1`, [
        id,
      ]);
      const row = rows[0];
      if (!row) throw new Error('endpoint gone');
      return row;
    };
    await waitFor(
      'the endpoint to be disabled',
      async () => !(await endpointRow()).enabled,
      10_000,
      50,
    );
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(2_000);
    const disabled = await endpointRow();
    expect(disabled.disabled_reason).toMatch(
      /^failing since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z: HTTP 500$/,
    );

    // Disabled: nothing more is attempted, and what is pending stays pending.
    await new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS + 500));
    const requestsWhileDisabled = failing.received.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(failing.received.length).toBe(requestsWhileDisabled);
    const { rows } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM webhooks.deliveries WHERE endpoint_id = $1 AND status = 'pending'`,
      [id],
    );
    expect(rows[0]?.n).toBeGreaterThan(0);

    // Enabled again (as PATCH enabled:true does) with a receiver that answers: the pending ones arrive.
    failing.answerAlways(200);
    await pool.query(
      `UPDATE webhooks.endpoints SET enabled = true, disabled_reason = NULL, disabled_at = NULL,
              failing_since = NULL WHERE id = $1`,
      [id],
    );
    const { rows: pending } = await pool.query<{ message_id: string }>(
      `SELECT message_id FROM webhooks.deliveries WHERE endpoint_id = $1 AND status = 'pending'`,
      [id],
    );
    await waitFor(
      'the pending deliveries to arrive',
      () => {
        const ids = delivered(failing.received);
        return pending.every((row) => ids.has(row.message_id));
      },
      10_000,
      50,
    );
    expect(emails.length).toBe(10);
  }, 30_000);

  it("records an attempt only under its own lease: a dispatcher stalled past it cannot undo another's delivery", async () => {
    const secret = newSecret();
    const hook = await receiver(secret);
    hook.answer = () => ({ hang: true });
    await endpoint('tenant-a', hook.url, secret);
    const stalled = await dispatcher();
    const [emailId] = await appendEmailHistories(store, 1, 304); // tenant a, one message
    await waitFor('the request in flight', () => hook.requestsHanging > 0, 10_000, 10);
    await stalled.signal('SIGSTOP');

    // Its lease (timeout + margin) runs out; another dispatcher sends the message again and it is delivered.
    hook.answerAlways(200);
    await dispatcher();
    const [message] = await messagesOf([emailId ?? '']);
    const id = message?.id ?? '';
    await waitFor(
      'the delivery by the other dispatcher',
      () => delivered(hook.received).has(id),
      10_000,
      20,
    );

    // The stalled one wakes, its request times out, and it tries to record a failure: refused.
    await stalled.signal('SIGCONT');
    await waitFor(
      'the stalled attempt to end',
      () => stalled.output.includes('lease lost'),
      10_000,
      20,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const { rows } = await pool.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM webhooks.deliveries WHERE message_id = $1`,
      [id],
    );
    expect(rows).toEqual([{ status: 'delivered', attempts: 1 }]);
    expect(hook.received.filter((r) => r.webhookId === id)).toHaveLength(2);
  }, 30_000);

  it('rides out every connection being terminated, as in a Postgres restart', async () => {
    const secret = newSecret();
    const hook = await receiver(secret);
    await endpoint('tenant-a', hook.url, secret);
    const app = await dispatcher();
    const before = await appendEmailHistories(store, 10, 400);
    const expectedBefore = (await messagesOf(before)).filter((m) => m.tenantId === 'tenant-a');
    await waitFor(
      'the first messages',
      () => expectedBefore.every((m) => delivered(hook.received).has(m.id)),
      10_000,
      20,
    );
    await store.close(); // the test's own store reconnects after, as a restarted api would
    // Terminated again and again, so that some die mid-transaction, between two of its queries.
    const terminated: number[] = [];
    try {
      for (let round = 0; round < 10; round += 1) {
        const { rows } = await pool.query<{ n: number }>(
          `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        terminated.push(rows[0]?.n ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    } finally {
      store = await PostgresEventStore.open({ connectionString: database.url });
    }
    expect(terminated[0]).toBeGreaterThan(1);
    expect({ alive: app.alive, output: app.alive ? '' : app.output }).toEqual({
      alive: true,
      output: '',
    });
    const after = await appendEmailHistories(store, 10, 410);
    const expectedAfter = (await messagesOf(after)).filter((m) => m.tenantId === 'tenant-a');
    await waitFor(
      'the messages after the restart',
      () => expectedAfter.every((m) => delivered(hook.received).has(m.id)),
      15_000,
      20,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${app.output}`);
    });
  }, 30_000);
});
