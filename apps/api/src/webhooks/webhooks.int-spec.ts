import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/read-model';
import { waitFor } from '@app/testing';
import { webhookMessageId } from '@app/webhooks';
import { emailBody, startApi, type ApiHarness } from '../testing/api-harness';
import { WebhookReplay } from './webhook-replay';

// /v1/webhooks over HTTP on real Postgres and Redis, with private networks not allowed (the default): a valid
// endpoint URL is a public IP literal, which nothing here ever connects to (no dispatcher runs). Emails for the
// replay are scheduled through the api and projected in-process.

type Body = Record<string, unknown> & {
  readonly id: string;
  readonly key: string;
  readonly secret: string;
  readonly items: readonly Record<string, unknown>[];
  readonly details?: readonly { field: string; reason: string }[];
  readonly nextCursor: string | null;
};

const TENANT_A = 'hooks-a';
const TENANT_B = 'hooks-b';
const PUBLIC_URL = 'https://8.8.8.8/hooks/a';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let api: ApiHarness<Body>;
let pool: Pool;
let store: PostgresEventStore;
let runner: ProjectionRunner;
let keyA: string;
let keyB: string;

async function senderKey(tenantId: string): Promise<string> {
  const minted = await api.call('POST', '/v1/admin/api-keys', {
    body: { role: 'sender', tenantId },
  });
  expect(minted.status).toBe(201);
  return minted.body.key;
}

async function createEndpoint(
  key: string | undefined,
  body: Record<string, unknown> = {},
): Promise<Body> {
  const created = await api.call('POST', '/v1/webhooks', {
    key,
    body: { url: PUBLIC_URL, events: ['*'], ...body },
  });
  expect(created.status).toBe(201);
  return created.body;
}

async function endpointCount(): Promise<number> {
  const { rows } = await api.sql.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM webhooks.endpoints',
  );
  return rows[0]?.n ?? 0;
}

/** The fields a 400 names. */
function fieldsOf(body: Body): string[] {
  return (body.details ?? []).map((issue) => issue.field);
}

beforeAll(async () => {
  api = await startApi<Body>({ name: 'webhooks' });
  pool = new Pool({ connectionString: api.database.url, max: 4 });
  pool.on('error', () => undefined); // the drop terminates idle connections
  store = await PostgresEventStore.open({ connectionString: api.database.url });
  runner = new ProjectionRunner(pool, store, { batchSize: 50, rebuildPollMs: 100 });
  runner.start();
  keyA = await senderKey(TENANT_A);
  keyB = await senderKey(TENANT_B);
});

afterAll(async () => {
  await runner?.stop();
  await store?.close();
  await pool?.end();
  await api?.close();
});

describe('POST /v1/webhooks and reading endpoints', () => {
  it('answers 201 with a whsec_ secret once; GET and the list never show it', async () => {
    const created = await api.call('POST', '/v1/webhooks', {
      key: keyA,
      body: { url: PUBLIC_URL, events: ['email.sent', 'email.failed'], description: 'CRM' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(UUID) as unknown,
      tenantId: TENANT_A,
      url: PUBLIC_URL,
      events: ['email.sent', 'email.failed'],
      description: 'CRM',
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
      createdAt: expect.any(String) as unknown,
      updatedAt: expect.any(String) as unknown,
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{43}=$/) as unknown,
    });
    const { id, secret } = created.body;

    const one = await api.call('GET', `/v1/webhooks/${id}`, { key: keyA });
    expect(one.status).toBe(200);
    expect(one.body).not.toHaveProperty('secret');
    expect(one.text).not.toContain(secret);
    expect(one.body).toEqual(
      Object.fromEntries(Object.entries(created.body).filter(([field]) => field !== 'secret')),
    );

    const list = await api.call('GET', '/v1/webhooks', { key: keyA });
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(secret);
    expect(list.text).not.toContain('"secret"');
    expect(list.body.items.map((item) => item.id)).toContain(id);
  });
});

describe('tenant isolation', () => {
  it("gives a sender key 404 on every route of another tenant's endpoint, and changes nothing", async () => {
    const endpoint = await createEndpoint(keyA, { description: 'of A' });
    const { id } = endpoint;
    const test = await api.call('POST', `/v1/webhooks/${id}/test`, { key: keyA });
    expect(test.status).toBe(202);
    const deliveryId = test.body.deliveryId as string;
    const before = await api.sql.query(
      'SELECT * FROM webhooks.endpoints WHERE id = $1 ORDER BY id',
      [id],
    );
    const deliveriesBefore = await api.sql.query(
      'SELECT * FROM webhooks.deliveries WHERE endpoint_id = $1 ORDER BY id',
      [id],
    );

    const routes: [string, string, unknown?][] = [
      ['GET', `/v1/webhooks/${id}`],
      ['PATCH', `/v1/webhooks/${id}`, { description: 'taken over', enabled: false }],
      ['DELETE', `/v1/webhooks/${id}`],
      ['POST', `/v1/webhooks/${id}/rotate-secret`],
      ['GET', `/v1/webhooks/${id}/deliveries`],
      ['GET', `/v1/webhooks/${id}/deliveries/${deliveryId}`],
      ['POST', `/v1/webhooks/${id}/deliveries/${deliveryId}/retry`],
      ['POST', `/v1/webhooks/${id}/replay`, { since: new Date(Date.now() - 60_000).toISOString() }],
      ['POST', `/v1/webhooks/${id}/test`],
    ];
    for (const [method, path, body] of routes) {
      const answer = await api.call(method, path, { key: keyB, body });
      expect({ route: `${method} ${path}`, status: answer.status }).toEqual({
        route: `${method} ${path}`,
        status: 404,
      });
      // The same answer as an id nobody has: nothing tells the endpoint exists.
      expect(answer.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
    }
    expect(
      (await api.sql.query('SELECT * FROM webhooks.endpoints WHERE id = $1 ORDER BY id', [id]))
        .rows,
    ).toEqual(before.rows);
    expect(
      (
        await api.sql.query(
          'SELECT * FROM webhooks.deliveries WHERE endpoint_id = $1 ORDER BY id',
          [id],
        )
      ).rows,
    ).toEqual(deliveriesBefore.rows);

    // The owner still reaches it all.
    expect((await api.call('GET', `/v1/webhooks/${id}`, { key: keyA })).status).toBe(200);
    expect(
      (await api.call('GET', `/v1/webhooks/${id}/deliveries/${deliveryId}`, { key: keyA })).status,
    ).toBe(200);
  });

  it("lists a tenant's own endpoints only; a sender key cannot name another tenant", async () => {
    const ofA = await createEndpoint(keyA);
    const ofB = await createEndpoint(keyB);
    const listA = await api.call('GET', '/v1/webhooks', { key: keyA });
    const idsA = listA.body.items.map((item) => item.id);
    expect(idsA).toContain(ofA.id);
    expect(idsA).not.toContain(ofB.id);
    expect(new Set(listA.body.items.map((item) => item.tenantId))).toEqual(new Set([TENANT_A]));

    const peek = await api.call('GET', `/v1/webhooks?tenantId=${TENANT_B}`, { key: keyA });
    expect(peek.status).toBe(400);
    expect(fieldsOf(peek.body)).toEqual(['tenantId']);
    const plant = await api.call('POST', '/v1/webhooks', {
      key: keyA,
      body: { url: PUBLIC_URL, events: ['*'], tenantId: TENANT_B },
    });
    expect(plant.status).toBe(400);
    expect(fieldsOf(plant.body)).toEqual(['tenantId']);
  });

  it("lets an admin create for a tenant, list a tenant's and act on any endpoint by id", async () => {
    const created = await createEndpoint(undefined, { tenantId: TENANT_B });
    expect(created.tenantId).toBe(TENANT_B);
    const listB = await api.call('GET', `/v1/webhooks?tenantId=${TENANT_B}`);
    expect(listB.body.items.map((item) => item.id)).toContain(created.id);
    const own = await api.call('GET', '/v1/webhooks');
    expect(own.body.items.map((item) => item.id)).not.toContain(created.id);
    expect((await api.call('GET', `/v1/webhooks/${created.id}`, { key: keyB })).status).toBe(200);
    const ofA = await createEndpoint(keyA);
    const patched = await api.call('PATCH', `/v1/webhooks/${ofA.id}`, {
      body: { description: 'by an admin' },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.description).toBe('by an admin');

    const reserved = await api.call('POST', '/v1/webhooks', {
      body: { url: PUBLIC_URL, events: ['*'], tenantId: 'system' },
    });
    expect(reserved.status).toBe(400);
    expect(fieldsOf(reserved.body)).toEqual(['tenantId']);
  });
});

describe('validation', () => {
  it('answers 400 naming the field, and stores nothing', async () => {
    const before = await endpointCount();
    const cases: [Record<string, unknown>, string][] = [
      [{ events: ['*'] }, 'url'],
      [{ url: 42, events: ['*'] }, 'url'],
      [{ url: `https://8.8.8.8/${'a'.repeat(2048)}`, events: ['*'] }, 'url'],
      [{ url: 'not a url', events: ['*'] }, 'url'],
      [{ url: PUBLIC_URL }, 'events'],
      [{ url: PUBLIC_URL, events: [] }, 'events'],
      [{ url: PUBLIC_URL, events: 'email.sent' }, 'events'],
      [{ url: PUBLIC_URL, events: ['email.sent', 'email.sent'] }, 'events'],
      [{ url: PUBLIC_URL, events: ['email.opened'] }, 'events'],
      [{ url: PUBLIC_URL, events: ['webhook.test'] }, 'events'],
      [{ url: PUBLIC_URL, events: Array.from({ length: 21 }, () => '*') }, 'events'],
      [{ url: PUBLIC_URL, events: ['*'], description: 'd'.repeat(501) }, 'description'],
      [{ url: PUBLIC_URL, events: ['*'], description: 7 }, 'description'],
      [{ url: PUBLIC_URL, events: ['*'], secret: 'whsec_mine' }, 'secret'],
      [{ url: PUBLIC_URL, events: ['*'], tenantId: 'no spaces' }, 'tenantId'],
      [{ url: PUBLIC_URL, events: ['*'], tenantId: null }, 'tenantId'],
      [{ url: null, events: ['*'] }, 'url'],
      [{ url: PUBLIC_URL, events: null }, 'events'],
    ];
    for (const [body, field] of cases) {
      const answer = await api.call('POST', '/v1/webhooks', { key: keyA, body });
      expect({ body, status: answer.status }).toEqual({ body, status: 400 });
      expect({ body, fields: fieldsOf(answer.body) }).toEqual({
        body,
        fields: expect.arrayContaining([field]) as unknown,
      });
    }
    expect(await endpointCount()).toBe(before);

    const endpoint = await createEndpoint(keyA);
    const patches: [Record<string, unknown>, string][] = [
      [{ enabled: 'yes' }, 'enabled'],
      [{ events: [] }, 'events'],
      [{ url: 'ftp://8.8.8.8/' }, 'url'],
      [{ description: 'x'.repeat(501) }, 'description'],
      [{ url: null }, 'url'],
      [{ events: null }, 'events'],
      [{ enabled: null }, 'enabled'],
    ];
    for (const [body, field] of patches) {
      const answer = await api.call('PATCH', `/v1/webhooks/${endpoint.id}`, { key: keyA, body });
      expect({ body, status: answer.status, fields: [...new Set(fieldsOf(answer.body))] }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    const bad = await api.call('GET', '/v1/webhooks/not-a-uuid', { key: keyA });
    expect(bad.status).toBe(400);
    expect(fieldsOf(bad.body)).toEqual(['id']);
    const unknown = await api.call('GET', `/v1/webhooks/${randomUUID()}`, { key: keyA });
    expect(unknown.status).toBe(404);
  });

  it('refuses private, loopback, link-local and metadata addresses, other schemes and credentials', async () => {
    const endpoint = await createEndpoint(keyA);
    const before = await endpointCount();
    const refused = [
      'http://127.0.0.1/',
      'http://localhost/',
      'http://10.0.0.1/',
      'http://169.254.169.254/latest/meta-data',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'ftp://8.8.8.8/',
      'http://user:pw@example.com/',
    ];
    for (const url of refused) {
      const created = await api.call('POST', '/v1/webhooks', {
        key: keyA,
        body: { url, events: ['*'] },
      });
      expect({ url, status: created.status, fields: fieldsOf(created.body) }).toEqual({
        url,
        status: 400,
        fields: ['url'],
      });
      const patched = await api.call('PATCH', `/v1/webhooks/${endpoint.id}`, {
        key: keyA,
        body: { url },
      });
      expect({ url, status: patched.status, fields: fieldsOf(patched.body) }).toEqual({
        url,
        status: 400,
        fields: ['url'],
      });
    }
    expect(await endpointCount()).toBe(before);
    const { rows } = await api.sql.query<{ url: string }>(
      'SELECT url FROM webhooks.endpoints WHERE id = $1',
      [endpoint.id],
    );
    expect(rows).toEqual([{ url: PUBLIC_URL }]);
  });

  it('refuses a 21st endpoint of one tenant with 409', async () => {
    const key = await senderKey('hooks-full');
    for (let n = 0; n < 20; n++) await createEndpoint(key);
    const more = await api.call('POST', '/v1/webhooks', {
      key,
      body: { url: PUBLIC_URL, events: ['*'] },
    });
    expect(more.status).toBe(409);
    expect(more.body.message).toMatch(/at most 20 webhook endpoints/);
    const { rows } = await api.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhooks.endpoints WHERE tenant_id = $1',
      ['hooks-full'],
    );
    expect(rows[0]?.n).toBe(20);
  });
});

describe('managing an endpoint', () => {
  it('rotates the secret: a new one, the old kept until previousSecretExpiresAt', async () => {
    const endpoint = await createEndpoint(keyA);
    const startedMs = Date.now();
    const rotated = await api.call('POST', `/v1/webhooks/${endpoint.id}/rotate-secret`, {
      key: keyA,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const expiresMs = Date.parse(rotated.body.previousSecretExpiresAt as string);
    expect(expiresMs).toBeGreaterThanOrEqual(startedMs + 86_400_000 - 1_000);
    expect(expiresMs).toBeLessThanOrEqual(Date.now() + 86_400_000 + 1_000);
    const { rows } = await api.sql.query<{ secret: string; previous_secret: string }>(
      'SELECT secret, previous_secret FROM webhooks.endpoints WHERE id = $1',
      [endpoint.id],
    );
    expect(rows).toEqual([{ secret: rotated.body.secret, previous_secret: endpoint.secret }]);
  });

  it('re-enabling clears the reason, the time and the failing run; disabling records it was asked', async () => {
    const endpoint = await createEndpoint(keyA);
    await api.sql.query(
      `UPDATE webhooks.endpoints SET enabled = false, disabled_reason = 'failing for 5 days',
              disabled_at = now(), failing_since = now() - interval '6 days' WHERE id = $1`,
      [endpoint.id],
    );
    const disabled = await api.call('GET', `/v1/webhooks/${endpoint.id}`, { key: keyA });
    expect(disabled.body).toMatchObject({
      enabled: false,
      disabledReason: 'failing for 5 days',
      disabledAt: expect.any(String) as unknown,
      failingSince: expect.any(String) as unknown,
    });
    const enabled = await api.call('PATCH', `/v1/webhooks/${endpoint.id}`, {
      key: keyA,
      body: { enabled: true },
    });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({
      enabled: true,
      disabledReason: null,
      disabledAt: null,
      failingSince: null,
    });
    const off = await api.call('PATCH', `/v1/webhooks/${endpoint.id}`, {
      key: keyA,
      body: { enabled: false, events: ['email.sent'], description: null },
    });
    expect(off.body).toMatchObject({
      enabled: false,
      disabledReason: 'disabled through the API',
      disabledAt: expect.any(String) as unknown,
      events: ['email.sent'],
      description: null,
    });
  });

  it('deletes with 204, deliveries and attempts with it', async () => {
    const endpoint = await createEndpoint(keyA);
    expect((await api.call('POST', `/v1/webhooks/${endpoint.id}/test`, { key: keyA })).status).toBe(
      202,
    );
    const deleted = await api.call('DELETE', `/v1/webhooks/${endpoint.id}`, { key: keyA });
    expect(deleted.status).toBe(204);
    expect((await api.call('GET', `/v1/webhooks/${endpoint.id}`, { key: keyA })).status).toBe(404);
    expect((await api.call('DELETE', `/v1/webhooks/${endpoint.id}`, { key: keyA })).status).toBe(
      404,
    );
    const { rows } = await api.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhooks.deliveries WHERE endpoint_id = $1',
      [endpoint.id],
    );
    expect(rows[0]?.n).toBe(0);
  });
});

describe('deliveries', () => {
  it('queues a signed webhook.test message with a fresh id: 202 and a pending delivery', async () => {
    const endpoint = await createEndpoint(keyA, { events: ['email.sent'] });
    const test = await api.call('POST', `/v1/webhooks/${endpoint.id}/test`, { key: keyA });
    expect(test.status).toBe(202);
    expect(test.body).toEqual({
      deliveryId: expect.stringMatching(UUID) as unknown,
      messageId: expect.stringMatching(/^msg_[0-9a-f]{32}$/) as unknown,
    });
    const { rows } = await api.sql.query<Record<string, unknown>>(
      `SELECT id, message_id, event_type, email_id, status, event_commit, payload, next_attempt_at <= now() AS due
         FROM webhooks.deliveries WHERE endpoint_id = $1`,
      [endpoint.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: test.body.deliveryId,
      message_id: test.body.messageId,
      event_type: 'webhook.test',
      email_id: null,
      status: 'pending',
      event_commit: null,
      due: true,
    });
    expect(JSON.parse(rows[0]?.payload as string)).toEqual({
      type: 'webhook.test',
      id: test.body.messageId,
      timestamp: expect.any(String) as unknown,
      data: { webhookId: endpoint.id },
    });
    const again = await api.call('POST', `/v1/webhooks/${endpoint.id}/test`, { key: keyA });
    expect(again.body.messageId).not.toBe(test.body.messageId);
  });

  it('pages the log newest first with a cursor, filters by status, and shows the attempt log', async () => {
    const endpoint = await createEndpoint(keyA);
    const ids: string[] = [];
    for (let n = 0; n < 5; n++) {
      const test = await api.call('POST', `/v1/webhooks/${endpoint.id}/test`, { key: keyA });
      ids.push(test.body.deliveryId as string);
    }
    const failed = [ids[1], ids[3]];
    await api.sql.query(
      `UPDATE webhooks.deliveries SET status = 'failed', next_attempt_at = NULL, attempts = 2,
              last_attempt_at = now(), last_status_code = 503, last_latency_ms = 40,
              last_response = 'busy' WHERE id = ANY($1::uuid[])`,
      [failed],
    );
    const { rows: order } = await api.sql.query<{ id: string }>(
      `SELECT id FROM webhooks.deliveries WHERE endpoint_id = $1 ORDER BY created_at DESC, id DESC`,
      [endpoint.id],
    );

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`;
      const page = await api.call('GET', `/v1/webhooks/${endpoint.id}/deliveries${query}`, {
        key: keyA,
      });
      expect(page.status).toBe(200);
      pageSizes.push(page.body.items.length);
      seen.push(...page.body.items.map((item) => item.id as string));
      cursor = page.body.nextCursor;
    } while (cursor !== null && pageSizes.length < 10);
    expect(pageSizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(order.map((row) => row.id));

    const onlyFailed = await api.call(
      'GET',
      `/v1/webhooks/${endpoint.id}/deliveries?status=failed`,
      { key: keyA },
    );
    expect(onlyFailed.body.items.map((item) => item.id).sort()).toEqual([...failed].sort());
    expect(onlyFailed.body.items[0]).toMatchObject({
      status: 'failed',
      attempts: 2,
      eventType: 'webhook.test',
      emailId: null,
      nextAttemptAt: null,
      lastStatusCode: 503,
      lastLatencyMs: 40,
      lastResponse: 'busy',
      lastError: null,
      deliveredAt: null,
    });
    const badCursor = await api.call(
      'GET',
      `/v1/webhooks/${endpoint.id}/deliveries?cursor=bm90LWEtY3Vyc29y`,
      { key: keyA },
    );
    expect(badCursor.status).toBe(400);
    expect(fieldsOf(badCursor.body)).toEqual(['cursor']);
    const badStatus = await api.call('GET', `/v1/webhooks/${endpoint.id}/deliveries?status=lost`, {
      key: keyA,
    });
    expect(fieldsOf(badStatus.body)).toEqual(['status']);

    const detailed = ids[1] as string;
    await api.sql.query(
      `INSERT INTO webhooks.attempts
         (delivery_id, attempt, started_at, status_code, latency_ms, response_excerpt, error, dispatcher_id)
       VALUES ($1, 1, '2030-01-01T09:00:00Z', NULL, 5000, NULL, 'timed out after 5000 ms', $2),
              ($1, 2, '2030-01-01T09:00:05Z', 503, 40, 'busy', NULL, $2)`,
      [detailed, 'dispatcher-7.internal:4242'],
    );
    const detail = await api.call('GET', `/v1/webhooks/${endpoint.id}/deliveries/${detailed}`, {
      key: keyA,
    });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id: detailed, status: 'failed', attempts: 2 });
    expect(detail.body.attemptLog).toEqual([
      {
        attempt: 1,
        startedAt: '2030-01-01T09:00:00.000Z',
        statusCode: null,
        latencyMs: 5000,
        responseExcerpt: null,
        error: 'timed out after 5000 ms',
      },
      {
        attempt: 2,
        startedAt: '2030-01-01T09:00:05.000Z',
        statusCode: 503,
        latencyMs: 40,
        responseExcerpt: 'busy',
        error: null,
      },
    ]);
    expect(detail.body.payload).toMatchObject({
      type: 'webhook.test',
      data: { webhookId: endpoint.id },
    });
    expect(detail.text).not.toContain('dispatcher-7.internal'); // the dispatcher's id is internal
    const missing = await api.call(
      'GET',
      `/v1/webhooks/${endpoint.id}/deliveries/${randomUUID()}`,
      { key: keyA },
    );
    expect(missing.status).toBe(404);
  });

  it('retries a failed delivery: 202, pending and due now, same message, attempts kept', async () => {
    const endpoint = await createEndpoint(keyA);
    const test = await api.call('POST', `/v1/webhooks/${endpoint.id}/test`, { key: keyA });
    const deliveryId = test.body.deliveryId as string;
    await api.sql.query(
      `UPDATE webhooks.deliveries SET status = 'failed', next_attempt_at = NULL, attempts = 7,
              last_attempt_at = now(), last_error = 'connection refused' WHERE id = $1`,
      [deliveryId],
    );
    const retried = await api.call(
      'POST',
      `/v1/webhooks/${endpoint.id}/deliveries/${deliveryId}/retry`,
      { key: keyA },
    );
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({
      id: deliveryId,
      messageId: test.body.messageId,
      status: 'pending',
      attempts: 7,
      nextAttemptAt: expect.any(String) as unknown,
    });
    expect(Date.parse(retried.body.nextAttemptAt as string)).toBeLessThanOrEqual(Date.now() + 1000);
    const { rows } = await api.sql.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM webhooks.deliveries WHERE endpoint_id = $1',
      [endpoint.id],
    );
    expect(rows[0]?.n).toBe(1);
  });
});

describe('POST /v1/webhooks/:id/replay', () => {
  const TENANT = 'hooks-replay';

  interface StoredEvent {
    readonly event_id: string;
    readonly type: string;
    readonly recorded_at: Date;
  }

  let key: string;
  let emails: string[];
  /** The five events of the three emails, in store order. */
  let events: StoredEvent[];

  // Three emails through the api: scheduled; scheduled and rescheduled; scheduled and cancelled.
  beforeAll(async () => {
    key = await senderKey(TENANT);
    const domains = await api.call('PUT', `/v1/admin/tenants/${TENANT}/sender-domains`, {
      body: { domains: ['example.com'] },
    });
    expect(domains.status).toBe(200);
    const schedule = async (): Promise<string> => {
      const scheduled = await api.call('POST', '/v1/emails', { key, body: emailBody() });
      expect(scheduled.status).toBe(201);
      return scheduled.body.id;
    };
    const first = await schedule();
    const second = await schedule();
    const moved = await api.call('PATCH', `/v1/emails/${second}`, {
      key,
      body: { sendAt: new Date(Date.now() + 7_200_000).toISOString() },
    });
    expect(moved.status).toBe(200);
    const third = await schedule();
    const cancelled = await api.call('DELETE', `/v1/emails/${third}`, { key });
    expect(cancelled.status).toBe(200);
    emails = [first, second, third];
    await waitFor('the projection to reach the emails', async () => {
      const { rows } = await api.sql.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM read_model.emails
          WHERE email_id = ANY($1::uuid[]) AND (email_id <> $2 OR revision = 1)
            AND (email_id <> $3 OR revision = 1)`,
        [emails, second, third],
      );
      return rows[0]?.n === 3;
    });
    ({ rows: events } = await api.sql.query<StoredEvent>(
      `SELECT event_id, type, recorded_at FROM event_store.events
        WHERE stream_name = ANY($1::text[]) ORDER BY global_position`,
      [emails.map((id) => `email-${id}`)],
    ));
    expect(events.map((event) => event.type)).toEqual([
      'EmailScheduled',
      'EmailScheduled',
      'EmailRescheduled',
      'EmailScheduled',
      'EmailCancelled',
    ]);
  });

  it('queues the subscribed events recorded in the range only; again, the same rows pending again', async () => {
    const [first] = emails;
    // From the second email's scheduling to the third's: not the first email's, not the cancellation.
    const since = (events[1] as StoredEvent).recorded_at;
    const until = (events[3] as StoredEvent).recorded_at;
    const subscribed = ['email.scheduled', 'email.rescheduled'];
    const endpoint = await createEndpoint(key, { events: subscribed });
    const expected = events
      .filter((event) => event.recorded_at >= since && event.recorded_at <= until)
      .filter((event) => event.type !== 'EmailCancelled')
      .map((event) => webhookMessageId(event.event_id));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    expect(expected).not.toContain(webhookMessageId((events[0] as StoredEvent).event_id));

    const replay = (): ReturnType<typeof api.call> =>
      api.call('POST', `/v1/webhooks/${endpoint.id}/replay`, {
        key,
        body: { since: since.toISOString(), until: until.toISOString() },
      });
    const replayed = await replay();
    expect(replayed.status).toBe(202);
    expect(replayed.body).toEqual({
      queued: expected.length,
      since: since.toISOString(),
      until: until.toISOString(),
    });
    const deliveries = async (): Promise<
      { id: string; message_id: string; status: string; email_id: string }[]
    > =>
      (
        await api.sql.query<{ id: string; message_id: string; status: string; email_id: string }>(
          `SELECT id, message_id, status, email_id FROM webhooks.deliveries
            WHERE endpoint_id = $1 ORDER BY message_id`,
          [endpoint.id],
        )
      ).rows;
    const queued = await deliveries();
    expect(queued.map((row) => row.message_id)).toEqual([...expected].sort());
    expect(new Set(queued.map((row) => row.status))).toEqual(new Set(['pending']));
    expect(queued.map((row) => row.email_id)).not.toContain(first);

    // Delivered since: a second replay makes the very rows pending again, with no duplicates.
    await api.sql.query(
      `UPDATE webhooks.deliveries SET status = 'delivered', next_attempt_at = NULL,
              delivered_at = now(), attempts = 1 WHERE endpoint_id = $1`,
      [endpoint.id],
    );
    const again = await replay();
    expect(again.status).toBe(202);
    expect(again.body.queued).toBe(expected.length);
    const requeued = await deliveries();
    expect(requeued.map((row) => row.id)).toEqual(queued.map((row) => row.id));
    expect(new Set(requeued.map((row) => row.status))).toEqual(new Set(['pending']));

    // Another tenant's endpoint, subscribed to everything, gets none of these events.
    const other = await createEndpoint(keyB);
    const elsewhere = await api.call('POST', `/v1/webhooks/${other.id}/replay`, {
      key: keyB,
      body: { since: since.toISOString(), until: until.toISOString() },
    });
    expect(elsewhere.status).toBe(202);
    expect(elsewhere.body.queued).toBe(0);
  });

  it('past its cap, answers truncated with nextSince; following it queues every message once', async () => {
    // The api's cap is 10,000 messages a call; the same code with a cap of 2 (and one email read at a time,
    // so that reading stops early) over these five events, as a client following nextSince would.
    const replays = api.app.get(WebhookReplay);
    const endpoint = await createEndpoint(key);
    const subscription = { id: endpoint.id, tenantId: TENANT, eventTypes: ['*'] };
    const since = (events[0] as StoredEvent).recorded_at;
    const until = (events[4] as StoredEvent).recorded_at;
    const pending = async (): Promise<string[]> =>
      (
        await api.sql.query<{ message_id: string }>(
          `SELECT message_id FROM webhooks.deliveries WHERE endpoint_id = $1 AND status = 'pending'`,
          [endpoint.id],
        )
      ).rows.map((row) => row.message_id);
    const timeOf = new Map(
      events.map((event) => [webhookMessageId(event.event_id), event.recorded_at.getTime()]),
    );
    const calls: string[][] = [];
    let from: Date | undefined = since;
    while (from !== undefined && calls.length < 10) {
      const outcome = await replays.replay(
        subscription,
        { since: from, until },
        { maxMessages: 2, emailBatch: 1 },
      );
      const queued = await pending();
      expect(outcome.queued).toBe(queued.length);
      calls.push(queued.sort());
      // What this call queued is marked delivered, so the next call's are told apart.
      await api.sql.query(
        `UPDATE webhooks.deliveries SET status = 'delivered', next_attempt_at = NULL,
                delivered_at = now() WHERE endpoint_id = $1`,
        [endpoint.id],
      );
      from = outcome.nextSince;
    }
    expect(calls.length).toBeGreaterThan(1);
    for (const call of calls) {
      // At most the cap, unless one instant holds more (taken whole).
      const instants = new Set(call.map((id) => timeOf.get(id)));
      expect(call.length <= 2 || instants.size === 1).toBe(true);
    }
    const all = calls.flat();
    expect(all.sort()).toEqual(events.map((event) => webhookMessageId(event.event_id)).sort());
  });

  it('refuses a bad range with 400 naming the field', async () => {
    const endpoint = await createEndpoint(keyA);
    const now = Date.now();
    const iso = (ms: number): string => new Date(ms).toISOString();
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'since'],
      [{ since: 'yesterday' }, 'since'],
      [{ since: '2030-02-30T00:00:00Z' }, 'since'],
      [{ since: iso(now - 60_000), until: 'now' }, 'until'],
      [{ since: iso(now - 60_000), until: iso(now + 3_600_000) }, 'until'],
      [{ since: iso(now - 60_000), until: iso(now - 120_000) }, 'since'],
      [{ since: iso(now - 32 * 86_400_000) }, 'since'],
      [{ since: iso(now - 60_000), extra: 1 }, 'extra'],
      [{ since: iso(now - 60_000), until: null }, 'until'],
    ];
    for (const [body, field] of cases) {
      const answer = await api.call('POST', `/v1/webhooks/${endpoint.id}/replay`, {
        key: keyA,
        body,
      });
      expect({ body, status: answer.status, fields: fieldsOf(answer.body) }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
    const whole = await api.call('POST', `/v1/webhooks/${endpoint.id}/replay`, {
      key: keyA,
      body: { since: iso(now - 31 * 86_400_000 + 60_000) },
    });
    expect(whole.status).toBe(202);
  });
});
