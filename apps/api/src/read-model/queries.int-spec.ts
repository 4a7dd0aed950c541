import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import type { EmailEvent, EmailScheduled } from '@app/domain';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionRunner, readProjectionStatus } from '@app/read-model';
import { toStoredEvents, waitFor } from '@app/testing';
import { startApi, type ApiHarness } from '../testing/api-harness';

const ADMIN_KEY = 'test-admin-key-queries-0123456789abcdef';
const METRICS_TOKEN = 'metrics-token-queries-0123456789abcdef';

/** The fields the tests read, loosely: each test asserts the ones its endpoint returns. */
interface ReplyBody {
  readonly id: string;
  readonly key: string;
  readonly position?: string;
  readonly revision: number;
  readonly requestId: number;
  readonly nextCursor: string | null;
  readonly items: readonly { readonly id: string; readonly sendAt: string }[];
  readonly details: readonly { readonly field: string; readonly reason: string }[];
  readonly window: { readonly since: string; readonly until: string };
  readonly projections: readonly Record<string, unknown>[];
  readonly [key: string]: unknown;
}

let api: ApiHarness<ReplyBody>;
let pool: Pool;
let store: PostgresEventStore;
let runner: ProjectionRunner;

const call: ApiHarness<ReplyBody>['call'] = (...args) => api.call(...args);

/** A sender key of the tenant, which may send from example.com (the sender the bodies here use). */
async function senderKey(tenantId: string): Promise<string> {
  const minted = await call('POST', '/v1/admin/api-keys', { body: { role: 'sender', tenantId } });
  expect(minted.status).toBe(201);
  const domains = await call('PUT', `/v1/admin/tenants/${tenantId}/sender-domains`, {
    body: { domains: ['example.com'] },
  });
  expect(domains.status).toBe(200);
  return minted.body.key;
}

/** Until the projection has applied everything appended so far. */
async function caughtUp(): Promise<void> {
  await waitFor(
    'the projection to catch up',
    async () => {
      const status = await readProjectionStatus(pool, store);
      return status.lagEvents === 0 && status.position === status.head;
    },
    10_000,
  );
}

interface Spec {
  readonly tenant: string;
  readonly from?: string;
  readonly to?: string;
  readonly cc?: string;
  readonly tags?: string[];
  readonly sendAt: string;
  readonly outcome?: 'scheduled' | 'sent' | 'cancelled' | 'failed';
  /** ms after sendAt that a sent email went out. */
  readonly lateMs?: number;
  /** More of EmailScheduled's data: a batch, a schedule, the timing fields. */
  readonly scheduled?: Partial<EmailScheduled['data']>;
}

/** Appends an email's history straight to the store, as the api and worker would have. */
async function appendEmail(spec: Spec): Promise<string> {
  const emailId = randomUUID();
  const sendAtMs = Date.parse(spec.sendAt);
  const at = (ms: number): string => new Date(sendAtMs + ms).toISOString();
  const events: EmailEvent[] = [
    {
      type: 'EmailScheduled',
      data: {
        emailId,
        tenantId: spec.tenant,
        from: { address: spec.from ?? 'sender@example.com' },
        to: [{ address: spec.to ?? 'alice@example.com' }],
        cc: spec.cc === undefined ? [] : [{ address: spec.cc }],
        bcc: [],
        subject: 'Hello',
        text: 'Hi',
        requestedSendAt: spec.sendAt,
        sendAt: spec.sendAt,
        maxAttempts: 3,
        tags: spec.tags ?? [],
        scheduledAt: at(-3_600_000),
        ...spec.scheduled,
      },
    },
  ];
  const attempt: EmailEvent = {
    type: 'EmailSendAttempted',
    data: {
      attempt: 1,
      workerId: 'w1',
      jobId: `${emailId}:1`,
      claimedAt: at(0),
      leaseUntil: at(300_000),
    },
  };
  if (spec.outcome === 'sent') {
    const sentAt = at(spec.lateMs ?? 0);
    events.push(attempt, {
      type: 'EmailSent',
      data: { attempt: 1, messageId: `<${emailId}@mx>`, response: '250 ok', sentAt },
    });
  } else if (spec.outcome === 'failed') {
    events.push(attempt, {
      type: 'EmailFailed',
      data: {
        attempt: 1,
        failure: { kind: 'permanent', code: 550, message: 'no such user' },
        failedAt: at(1_000),
        countsAsAttempt: true,
        final: true,
      },
    });
  } else if (spec.outcome === 'cancelled') {
    events.push({ type: 'EmailCancelled', data: { cancelledAt: at(-60_000), reason: 'no' } });
  }
  await store.append(`email-${emailId}`, toStoredEvents(events, spec.tenant), 'no-stream');
  return emailId;
}

beforeAll(async () => {
  // Listening applies the read model's migrations.
  api = await startApi<ReplyBody>({ name: 'queries', adminKey: ADMIN_KEY, env: { METRICS_TOKEN } });
  pool = new Pool({ connectionString: api.database.url, max: 6 });
  pool.on('error', () => undefined); // the drop terminates idle connections
  store = await PostgresEventStore.open({ connectionString: api.database.url });
  // The projector, in-process: the api reads what it writes.
  runner = new ProjectionRunner(pool, store, { batchSize: 50, rebuildPollMs: 100 });
  runner.start();
});

afterAll(async () => {
  await runner?.stop();
  await store?.close();
  await pool?.end();
  await api?.close();
});

describe('GET /v1/emails/:id', () => {
  const body = {
    from: 'Sender@Example.com',
    to: ['alice@example.com'],
    cc: ['carol@example.com'],
    subject: 'Hello',
    text: 'Hi',
    tags: ['welcome'],
    sendAt: new Date(Date.now() + 3_600_000).toISOString(),
  };

  it("reads its own write: ?minRevision= from the POST waits for the projection, and a sender never sees the store's position", async () => {
    const key = await senderKey('ryw-tenant');
    const posted = await call('POST', '/v1/emails', { key, body });
    expect(posted.status).toBe(201);
    expect(posted.body.revision).toBe(0);
    // The position counts every tenant's writes: watching it move would show the others' volume.
    expect(posted.body).not.toHaveProperty('position');
    const got = await call('GET', `/v1/emails/${posted.body.id}?minRevision=0`, { key });
    expect(got.status).toBe(200);
    expect(got.headers.get('x-projection-stale')).toBeNull();
    expect(got.headers.get('etag')).toBe('"0"');
    expect(got.body).toMatchObject({
      id: posted.body.id,
      tenant: 'ryw-tenant',
      status: 'scheduled',
      from: { address: 'sender@example.com' },
      to: [{ address: 'alice@example.com' }],
      cc: [{ address: 'carol@example.com' }],
      bcc: [],
      subject: 'Hello',
      tags: ['welcome'],
      sendAt: body.sendAt,
      attempts: 0,
      lastError: null,
      sentAt: null,
      messageId: null,
      revision: 0,
    });

    // A reschedule, read back by its revision.
    const later = new Date(Date.now() + 7_200_000).toISOString();
    const patched = await call('PATCH', `/v1/emails/${posted.body.id}`, {
      key,
      body: { sendAt: later },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).not.toHaveProperty('position');
    const again = await call(
      'GET',
      `/v1/emails/${posted.body.id}?minRevision=${patched.body.revision}`,
      {
        key,
      },
    );
    expect(again).toMatchObject({ status: 200, body: { sendAt: later, revision: 1 } });
    expect(again.headers.get('x-projection-stale')).toBeNull();
    expect(again.headers.get('etag')).toBe('"1"');

    // Waiting on a store position a sender names would tell it how far the projection is: refused.
    const probe = await call('GET', `/v1/emails/${posted.body.id}?minPosition=1/1`, { key });
    expect(probe.status).toBe(400);
    expect(probe.body.details).toEqual([expect.objectContaining({ field: 'minPosition' })]);
    const probeHeader = await call('GET', `/v1/emails/${posted.body.id}`, {
      key,
      headers: { 'x-min-position': '1/1' },
    });
    expect(probeHeader.body.details).toEqual([
      expect.objectContaining({ field: 'X-Min-Position' }),
    ]);
  });

  it('reads an admin write by ?minPosition= or X-Min-Position', async () => {
    const posted = await call('POST', '/v1/emails', { body });
    expect(posted.status).toBe(201);
    expect(posted.body.position).toMatch(/^\d+\/\d+$/);
    const got = await call(
      'GET',
      `/v1/emails/${posted.body.id}?minPosition=${posted.body.position}`,
    );
    expect(got).toMatchObject({ status: 200, body: { id: posted.body.id, revision: 0 } });
    expect(got.headers.get('x-projection-stale')).toBeNull();
    const cancelled = await call('DELETE', `/v1/emails/${posted.body.id}`);
    const again = await call('GET', `/v1/emails/${posted.body.id}`, {
      headers: { 'x-min-position': String(cancelled.body.position) },
    });
    expect(again).toMatchObject({ status: 200, body: { status: 'cancelled', revision: 1 } });
  });

  it('answers the current row marked stale when the projection does not get there in time', async () => {
    const posted = await call('POST', '/v1/emails', { body });
    await caughtUp();
    const far = '999999999999/0';
    const started = Date.now();
    const stale = await call('GET', `/v1/emails/${posted.body.id}?minPosition=${far}&wait=0.3`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-projection-stale')).toBe('true');
    expect(stale.body).toMatchObject({ id: posted.body.id, status: 'scheduled' });

    const unknown = await call('GET', `/v1/emails/${randomUUID()}?minPosition=${far}&wait=0`);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('x-projection-stale')).toBe('true');

    // A revision the email does not have (yet) has no position to wait for: stale at once.
    const key = await senderKey('stale-tenant');
    const own = await call('POST', '/v1/emails', { key, body });
    await caughtUp();
    const ahead = await call('GET', `/v1/emails/${own.body.id}?minRevision=7`, { key });
    expect(ahead.status).toBe(200);
    expect(ahead.headers.get('x-projection-stale')).toBe('true');
  });

  it("answers 404 for another tenant's email and for an unknown id", async () => {
    const key = await senderKey('owner-tenant');
    const posted = await call('POST', '/v1/emails', { key, body });
    const seen = await call('GET', `/v1/emails/${posted.body.id}?minRevision=0`, { key });
    expect(seen.status).toBe(200);
    const other = await senderKey('another-tenant');
    // Another tenant's revision is nothing to wait for: not found, at once.
    const theirs = await call('GET', `/v1/emails/${posted.body.id}?minRevision=0`, { key: other });
    expect(theirs.status).toBe(404);
    expect((await call('GET', `/v1/emails/${posted.body.id}`, { key: other })).status).toBe(404);
    // The admin key on this route is scoped to its own tenant, as on the write side.
    expect((await call('GET', `/v1/emails/${posted.body.id}`)).status).toBe(404);
    const unknown = await call('GET', `/v1/emails/${randomUUID()}`, { key });
    expect(unknown).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found' } });
  });

  it('answers 400 naming a malformed minPosition or wait', async () => {
    const id = randomUUID();
    const bad = await call('GET', `/v1/emails/${id}?minPosition=12`);
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'minPosition' })]);
    const header = await call('GET', `/v1/emails/${id}`, { headers: { 'x-min-position': 'x' } });
    expect(header.body.details).toEqual([expect.objectContaining({ field: 'X-Min-Position' })]);
    const revision = await call('GET', `/v1/emails/${id}?minRevision=-1`);
    expect(revision.body.details).toEqual([expect.objectContaining({ field: 'minRevision' })]);
    const wait = await call('GET', `/v1/emails/${id}?minPosition=1/1&wait=31`);
    expect(wait.status).toBe(400);
    expect(wait.body.details).toEqual([expect.objectContaining({ field: 'wait' })]);
  });
});

describe('GET /v1/admin/emails', () => {
  const tenant = 'list-tenant';
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const day = '2031-03-01T';
    ids.a = await appendEmail({ tenant, sendAt: `${day}08:00:00.000Z`, from: 'One@List.example' });
    ids.b = await appendEmail({
      tenant,
      sendAt: `${day}09:00:00.000Z`,
      from: 'two@list.example',
      to: 'Bob@List.example',
      tags: ['promo', 'spring'],
    });
    ids.c = await appendEmail({
      tenant,
      sendAt: `${day}10:00:00.000Z`,
      from: 'one@list.example',
      cc: 'bob@list.example',
      outcome: 'sent',
    });
    ids.d = await appendEmail({
      tenant,
      sendAt: `${day}11:00:00.000Z`,
      from: 'two@list.example',
      tags: ['promo'],
      outcome: 'cancelled',
    });
    ids.e = await appendEmail({ tenant, sendAt: `${day}12:00:00.000Z`, outcome: 'failed' });
    // Another tenant, same tag: an admin sees it unless it narrows by tenant.
    ids.x = await appendEmail({
      tenant: 'list-other',
      sendAt: `${day}09:30:00.000Z`,
      tags: ['promo'],
    });
    await caughtUp();
  });

  async function list(query: string): Promise<string[]> {
    const reply = await call('GET', `/v1/admin/emails?${query}`);
    expect(reply.status).toBe(200);
    expect(reply.body.nextCursor).toBeNull();
    return reply.body.items.map((item) => item.id);
  }

  it('filters by tenant, status, from, to, tag, sendAfter and sendBefore, in sendAt order', async () => {
    const t = `tenant=${tenant}`;
    expect(await list(t)).toEqual([ids.a, ids.b, ids.c, ids.d, ids.e]);
    expect(await list(`${t}&status=sent`)).toEqual([ids.c]);
    expect(await list(`${t}&status=cancelled`)).toEqual([ids.d]);
    expect(await list(`${t}&status=failed`)).toEqual([ids.e]);
    expect(await list(`${t}&status=scheduled`)).toEqual([ids.a, ids.b]);
    expect(await list(`${t}&from=ONE@list.example`)).toEqual([ids.a, ids.c]);
    expect(await list(`${t}&to=bob@LIST.example`)).toEqual([ids.b, ids.c]);
    expect(await list(`${t}&tag=promo`)).toEqual([ids.b, ids.d]);
    expect(await list('tag=promo&sendAfter=2031-03-01T00:00:00Z')).toEqual([ids.b, ids.x, ids.d]);
    expect(await list(`${t}&sendAfter=2031-03-01T10:00:00Z`)).toEqual([ids.c, ids.d, ids.e]);
    expect(await list(`${t}&sendBefore=2031-03-01T10:00:00%2B00:00`)).toEqual([ids.a, ids.b]);
    expect(
      await list(
        `${t}&sendAfter=2031-03-01T09:00:00Z&sendBefore=2031-03-01T11:00:00Z&from=two@list.example`,
      ),
    ).toEqual([ids.b]);
    const item = await call('GET', `/v1/admin/emails?${t}&status=sent`);
    expect(item.body.items[0]).toMatchObject({
      id: ids.c,
      tenant,
      status: 'sent',
      attempts: 1,
      sentAt: '2031-03-01T10:00:00.000Z',
      messageId: `<${ids.c}@mx>`,
      revision: 2,
    });
  });

  it("filters by batchId and scheduleId, paging a batch by cursor, and shows the batch's, schedule's and timing's fields to admins and senders", async () => {
    const groups = 'groups-tenant';
    const batchId = randomUUID();
    const scheduleId = randomUUID();
    const timing = {
      timeZone: 'America/New_York',
      localSendAt: '2031-11-02T01:30',
      deliveryWindow: { timeZone: 'America/New_York', days: ['sun'], start: '00:00', end: '06:00' },
      expiresAt: '2031-11-03T00:00:00.000Z',
    } as const;
    const batch: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      batch.push(
        await appendEmail({
          tenant: groups,
          // 01:30 happens twice that night in New York: the earlier one, EDT.
          sendAt: new Date(Date.parse('2031-11-02T05:30:00.000Z') + i * 60_000).toISOString(),
          scheduled: { batchId, ...timing },
        }),
      );
    }
    const occurrence = await appendEmail({
      tenant: groups,
      sendAt: '2031-11-02T09:00:00.000Z',
      scheduled: { scheduleId, occurrenceAt: '2031-11-02T09:00:00.000Z' },
    });
    await appendEmail({ tenant: groups, sendAt: '2031-11-02T05:30:00.000Z' });
    await caughtUp();

    const pages: string[] = [];
    let cursor: string | null = null;
    do {
      const reply: Awaited<ReturnType<typeof call>> = await call(
        'GET',
        `/v1/admin/emails?batchId=${batchId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(reply.status).toBe(200);
      pages.push(...reply.body.items.map((item) => item.id));
      cursor = reply.body.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual(batch);

    const key = await senderKey(groups);
    const mine = await call('GET', `/v1/emails?batchId=${batchId}`, { key });
    expect(mine.body.items).toHaveLength(5);
    expect(mine.body.items[0]).toMatchObject({ id: batch[0], batchId, ...timing });
    expect(mine.body.items[0]).not.toHaveProperty('scheduleId');
    const one = await call('GET', `/v1/emails/${occurrence}`, { key });
    expect(one.body).toMatchObject({ scheduleId, occurrenceAt: '2031-11-02T09:00:00.000Z' });
    const listed = await call('GET', `/v1/emails?scheduleId=${scheduleId}`, { key });
    expect(listed.body.items.map((item) => item.id)).toEqual([occurrence]);
  });

  it('answers 400 naming each bad parameter, and 403 to a sender key', async () => {
    const cases: [string, string][] = [
      ['limit=501', 'limit'],
      ['limit=0', 'limit'],
      ['status=lost', 'status'],
      ['cursor=not-a-cursor', 'cursor'],
      ['sendAfter=yesterday', 'sendAfter'],
      ['sendBefore=2031-03-01', 'sendBefore'],
      ['tenant=a%20b', 'tenant'],
      ['batchId=batch-1', 'batchId'],
      ['scheduleId=1', 'scheduleId'],
      ['colour=red', 'colour'],
    ];
    for (const [query, field] of cases) {
      const reply = await call('GET', `/v1/admin/emails?${query}`);
      expect({ query, status: reply.status }).toEqual({ query, status: 400 });
      expect(reply.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
    }
    const key = await senderKey(tenant);
    expect((await call('GET', '/v1/admin/emails', { key })).status).toBe(403);
  });

  it('pages by cursor with no duplicates or gaps while inserts flow', async () => {
    const paging = 'paging-tenant';
    const base = Date.parse('2032-01-01T00:00:00.000Z');
    const minute = 60_000;
    const originals: string[] = [];
    for (let i = 0; i < 30; i += 1) {
      // Pairs share a sendAt: the id breaks the tie.
      originals.push(
        await appendEmail({
          tenant: paging,
          sendAt: new Date(base + Math.floor(i / 2) * minute).toISOString(),
        }),
      );
    }
    await caughtUp();
    const range = 'sendAfter=2032-01-01T00:00:00Z&sendBefore=2032-01-01T01:00:00Z';
    const inserted = new Set<string>();
    let inserting = true;
    const writer = (async () => {
      for (let i = 0; inserting; i += 1) {
        // Inside the range (before, among and after what was already read) and outside it.
        const offsets = [(i % 16) * minute + 30_000, -minute, 90 * minute];
        for (const offset of offsets) {
          const id = await appendEmail({
            tenant: paging,
            sendAt: new Date(base + offset).toISOString(),
          });
          if (offset >= 0 && offset < 60 * minute) inserted.add(id);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();

    const seen: { id: string; sendAt: string }[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `tenant=${paging}&${range}&limit=12${cursor ? `&cursor=${cursor}` : ''}`;
      const reply = await call('GET', `/v1/admin/emails?${query}`);
      expect(reply.status).toBe(200);
      seen.push(...(reply.body.items as { id: string; sendAt: string }[]));
      cursor = reply.body.nextCursor;
      pages += 1;
      await new Promise((resolve) => setTimeout(resolve, 150)); // let inserts land between pages
    } while (cursor !== null && pages < 50);
    inserting = false;
    await writer;

    expect(pages).toBeGreaterThanOrEqual(3);
    const ids = seen.map((item) => item.id);
    expect(new Set(ids).size).toBe(ids.length); // no duplicates
    for (const id of originals) expect(ids).toContain(id); // no gaps
    for (const id of ids) expect(originals.includes(id) || inserted.has(id)).toBe(true);
    const keys = seen.map((item) => `${item.sendAt} ${item.id}`);
    expect(keys).toEqual([...keys].sort()); // the stable order
    expect(inserted.size).toBeGreaterThan(0);
  });
});

describe('GET /v1/admin/stats', () => {
  it('counts by status, sends per sender per hour, lateness percentiles and projection lag', async () => {
    const tenant = 'stats-tenant';
    const hour = (h: number, m = 0): string => new Date(Date.UTC(2030, 5, 1, h, m)).toISOString();
    await appendEmail({
      tenant,
      from: 'a@stats.example',
      sendAt: hour(10),
      outcome: 'sent',
      lateMs: 1_000,
    });
    await appendEmail({
      tenant,
      from: 'a@stats.example',
      sendAt: hour(10, 10),
      outcome: 'sent',
      lateMs: 2_000,
    });
    await appendEmail({
      tenant,
      from: 'B@stats.example',
      sendAt: hour(10, 20),
      outcome: 'sent',
      lateMs: 3_000,
    });
    await appendEmail({
      tenant,
      from: 'b@stats.example',
      sendAt: hour(11, 30),
      outcome: 'sent',
      lateMs: 10_000,
    });
    await appendEmail({ tenant, sendAt: hour(12) });
    await appendEmail({ tenant, sendAt: hour(12), outcome: 'cancelled' });
    await appendEmail({ tenant, sendAt: hour(12), outcome: 'failed' });
    // Sent outside the window: counted by status, not in the window's figures.
    await appendEmail({
      tenant,
      from: 'a@stats.example',
      sendAt: hour(23, 59),
      outcome: 'sent',
      lateMs: 120_000,
    });
    await caughtUp();

    const reply = await call(
      'GET',
      `/v1/admin/stats?tenant=${tenant}&since=2030-06-01T00:00:00Z&until=2030-06-01T23:00:00Z`,
    );
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      tenant,
      window: { since: '2030-06-01T00:00:00.000Z', until: '2030-06-01T23:00:00.000Z' },
      countsByStatus: {
        scheduled: 1,
        paused: 0,
        attempting: 0,
        sent: 5,
        failed: 1,
        cancelled: 1,
        expired: 0,
      },
      sendsPerSenderPerHour: [
        { tenant, sender: 'a@stats.example', hour: hour(10), count: 2 },
        { tenant, sender: 'b@stats.example', hour: hour(10), count: 1 },
        { tenant, sender: 'b@stats.example', hour: hour(11), count: 1 },
      ],
      // percentile_cont over 1, 2, 3, 10 s.
      lateness: { count: 4, p50Ms: 2_500, p95Ms: 8_950, p99Ms: 9_790 },
      projection: {
        state: 'live',
        position: expect.stringMatching(/^\d+\/\d+$/) as unknown,
        head: expect.stringMatching(/^\d+\/\d+$/) as unknown,
        lagEvents: 0,
        lagEventsCapped: false,
        lagSeconds: 0,
      },
      // One tenant's stats show its limits (quotas.int-spec.ts covers them).
      limits: expect.arrayContaining([
        expect.objectContaining({ name: 'emailsPerMinute' }),
      ]) as unknown,
    });

    const defaults = await call('GET', '/v1/admin/stats');
    expect(defaults.status).toBe(200);
    const window = defaults.body.window as { since: string; until: string };
    expect(Date.parse(window.until) - Date.parse(window.since)).toBe(24 * 3_600_000);
    const bad = await call(
      'GET',
      '/v1/admin/stats?since=2030-06-02T00:00:00Z&until=2030-06-01T00:00:00Z',
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'since' })]);
  });
});

describe('projections', () => {
  it('shows status, accepts a rebuild with 202, and the rebuild completes', async () => {
    await appendEmail({ tenant: 'rebuild-tenant', sendAt: '2033-01-01T00:00:00.000Z' });
    await caughtUp();
    const before = await call('GET', '/v1/admin/projections');
    expect(before.status).toBe(200);
    const [status] = before.body.projections as Record<string, unknown>[];
    expect(status).toMatchObject({ name: 'emails', state: 'live', lagEvents: 0, rebuild: null });
    expect(status?.position).toBe(status?.head);
    const { rows } = await pool.query<{ n: string }>('SELECT count(*) AS n FROM read_model.emails');

    const requested = await call('POST', '/v1/admin/projections/emails/rebuild');
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ projection: 'emails', state: 'requested' });
    expect(requested.body.requestId).toEqual(expect.any(Number));

    await waitFor(
      'the rebuild to swap',
      async () => {
        const reply = await call('GET', '/v1/admin/projections');
        const now = (reply.body.projections as Record<string, unknown>[])[0];
        return (
          now?.state === 'live' && now.generation !== status?.generation && now.lastSwapAt !== null
        );
      },
      20_000,
    );
    const after = await pool.query<{ n: string }>('SELECT count(*) AS n FROM read_model.emails');
    expect(after.rows[0]?.n).toBe(rows[0]?.n);

    expect((await call('POST', '/v1/admin/projections/nope/rebuild')).status).toBe(404);
    const key = await senderKey('rebuild-tenant');
    expect((await call('POST', '/v1/admin/projections/emails/rebuild', { key })).status).toBe(403);
  });

  it('exposes the lag as Prometheus gauges on /metrics', async () => {
    const response = await fetch(`${api.baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    const text = await response.text();
    expect(response.status).toBe(200);
    expect(text).toMatch(/^projection_lag_events\{projection="emails"\} \d+$/m);
    expect(text).toMatch(/^projection_lag_seconds\{projection="emails"\} [\d.e+-]+$/m);
    expect(text).toMatch(/^projection_rebuilding\{projection="emails"\} [01]$/m);
  });
});
