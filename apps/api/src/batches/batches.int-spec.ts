// Batches you can act on, through HTTP on the real api, with the read model projected in-process and a
// built worker process sending to an SMTP sink (so "too late: already being sent" and "sent exactly once
// after resume" are about real sends). One harness for the file.
//
// The load case pauses a batch of BATCH_LOAD_N emails due now right after its import answered, while the
// worker sends them. CI runs it at 1,000; the 10,000 of the issue by hand:
//   BATCH_LOAD_N=10000 npx jest --selectProjects integration apps/api/src/batches/batches.int-spec.ts
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/read-model';
import { AppProcess, SmtpSink, waitFor } from '@app/testing';
import { emailBody, startApi, type ApiHarness } from '../testing/api-harness';

const REDIS_URL = process.env.BATCHES_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/5';
const LOAD_N = Number(process.env.BATCH_LOAD_N ?? 1_000);
const DOMAIN = 'batches.example';
const FROM = `news@${DOMAIN}`;

interface ResultLine {
  readonly emailId: string;
  readonly outcome: 'done' | 'skipped';
  readonly status: string | null;
  readonly reason?: string;
}

type Body = Record<string, unknown> & {
  readonly id: string;
  readonly key: string;
  readonly batchId: string;
  readonly status: string;
  readonly revision: number;
  readonly message: string;
  readonly total: number;
  readonly done: number;
  readonly skipped: number;
  readonly truncated?: boolean;
  readonly counts: Record<string, number>;
  readonly results: readonly (ResultLine & { readonly id: string; readonly status: unknown })[];
  readonly items: readonly { readonly id: string; readonly tenantId?: string }[];
  readonly nextCursor: string | null;
  readonly details: readonly { readonly field: string; readonly reason: string }[];
  readonly accepted: number;
  readonly ids: readonly { readonly row: number; readonly id: string }[];
  readonly events: readonly { readonly type: string; readonly data: Record<string, unknown> }[];
  readonly state: { readonly status: string; readonly attemptsMade?: number };
};

let api: ApiHarness<Body>;
let pool: Pool;
let store: PostgresEventStore;
let runner: ProjectionRunner;
let sink: SmtpSink;
let worker: AppProcess;
let acmeKey: string;
let globexKey: string;

const call: ApiHarness<Body>['call'] = (...args) => api.call(...args);
const inAnHour = (): string => new Date(Date.now() + 3_600_000).toISOString();
const messageIdOf = (emailId: string): string => `<${emailId}@${DOMAIN}>`;

async function mintSender(tenantId: string): Promise<string> {
  const minted = await call('POST', '/v1/admin/api-keys', { body: { role: 'sender', tenantId } });
  expect(minted.status).toBe(201);
  const domains = await call('PUT', `/v1/admin/tenants/${tenantId}/sender-domains`, {
    body: { domains: [DOMAIN] },
  });
  expect(domains.status).toBe(200);
  return minted.body.key;
}

/** A batch of `n` emails of the key's tenant, due in an hour unless `overrides` say otherwise. */
async function batch(
  key: string,
  n: number,
  overrides: Record<string, unknown> = {},
): Promise<{ batchId: string; ids: string[] }> {
  const reply = await call('POST', '/v1/emails/batch', {
    key,
    body: {
      emails: Array.from({ length: n }, (_, i) =>
        emailBody({ from: FROM, to: [`r${i}@example.com`], sendAt: inAnHour(), ...overrides }),
      ),
    },
  });
  expect(reply.status).toBe(200);
  return { batchId: reply.body.batchId, ids: reply.body.results.map((r) => r.id) };
}

/** The read model has every one of `ids` at the status given. */
async function projected(ids: readonly string[], status: string): Promise<void> {
  await waitFor(
    `${ids.length} emails ${status} in the read model`,
    async () => {
      const { rows } = await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM read_model.emails WHERE email_id = ANY($1::uuid[]) AND status = $2`,
        [ids, status],
      );
      return Number(rows[0]?.n) === ids.length;
    },
    15_000,
  );
}

const byId = (results: readonly ResultLine[]): Map<string, ResultLine> =>
  new Map(results.map((r) => [r.emailId, r]));

beforeAll(async () => {
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();
  redis.disconnect();
  api = await startApi<Body>({ name: 'batches', env: { REDIS_URL } });
  pool = new Pool({ connectionString: api.database.url, max: 4 });
  pool.on('error', () => undefined); // the drop terminates idle connections
  store = await PostgresEventStore.open({ connectionString: api.database.url });
  runner = new ProjectionRunner(pool, store, { batchSize: 500, rebuildPollMs: 100 });
  runner.start();
  sink = await SmtpSink.start();
  worker = await AppProcess.start('worker', {
    DATABASE_URL: api.database.url,
    REDIS_URL,
    SMTP_URL: sink.url,
    // Send rates off: the default 10,000 per tenant per hour would defer the end of a 10,000 batch an hour.
    SENDER_RATE_LIMIT_PER_HOUR: '0',
    TENANT_RATE_LIMIT_PER_HOUR: '0',
    GLOBAL_RATE_LIMIT_PER_HOUR: '0',
  });
  acmeKey = await mintSender('acme');
  globexKey = await mintSender('globex');
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await runner?.stop();
  await store?.close();
  await pool?.end();
  await sink?.stop();
  await api?.close();
});

describe('POST /v1/emails/batch and GET /v1/batches', () => {
  it('answers a batchId; the same Idempotency-Key names the same batch; counts come from the read model', async () => {
    const body = {
      emails: [0, 1, 2].map((i) =>
        emailBody({ from: FROM, to: [`k${i}@example.com`], sendAt: inAnHour() }),
      ),
    };
    const headers = { 'idempotency-key': `batch-${randomUUID()}` };
    const first = await call('POST', '/v1/emails/batch', { key: acmeKey, body, headers });
    const again = await call('POST', '/v1/emails/batch', { key: acmeKey, body, headers });
    expect(first.status).toBe(200);
    expect(first.body.batchId).toMatch(/^[0-9a-f-]{36}$/);
    expect(again.body.batchId).toBe(first.body.batchId);
    expect(again.body.results.map((r) => r.status)).toEqual([200, 200, 200]);
    const ids = first.body.results.map((r) => r.id);
    await projected(ids, 'scheduled');

    const got = await call('GET', `/v1/batches/${first.body.batchId}`, { key: acmeKey });
    expect(got.status).toBe(200);
    expect(got.body).toEqual({
      id: first.body.batchId,
      createdAt: expect.any(String) as unknown,
      total: 3,
      source: 'batch',
      counts: {
        scheduled: 3,
        paused: 0,
        attempting: 0,
        sent: 0,
        failed: 0,
        cancelled: 0,
        expired: 0,
        pending: 0,
      },
    });
  });

  it('lists the tenant’s own batches newest first, a page at a time; admins any tenant’s', async () => {
    const older = await batch(acmeKey, 1);
    const newer = await batch(acmeKey, 1);
    const theirs = await batch(globexKey, 1);
    const page = await call('GET', '/v1/batches?limit=1', { key: acmeKey });
    expect(page.status).toBe(200);
    expect(page.body.items.map((b) => b.id)).toEqual([newer.batchId]);
    expect(page.body.items[0]).not.toHaveProperty('tenantId');
    const next = await call('GET', `/v1/batches?limit=1&cursor=${page.body.nextCursor}`, {
      key: acmeKey,
    });
    expect(next.body.items.map((b) => b.id)).toEqual([older.batchId]);
    const all = await call('GET', '/v1/batches?limit=500', { key: acmeKey });
    expect(all.body.items.map((b) => b.id)).not.toContain(theirs.batchId);

    const admin = await call('GET', '/v1/batches?tenantId=globex');
    expect(admin.body.items[0]).toMatchObject({ id: theirs.batchId, tenantId: 'globex' });
    const refused = await call('GET', '/v1/batches?tenantId=globex', { key: acmeKey });
    expect(refused.status).toBe(400);
    expect(refused.body.details).toEqual([{ field: 'tenantId', reason: 'is for admin keys' }]);
    const badCursor = await call('GET', '/v1/batches?cursor=nope', { key: acmeKey });
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.details[0]?.field).toBe('cursor');
  });

  it("answers 404 for another tenant's batch, on every route", async () => {
    const { batchId } = await batch(acmeKey, 1);
    for (const [method, path] of [
      ['GET', `/v1/batches/${batchId}`],
      ['POST', `/v1/batches/${batchId}/cancel`],
      ['POST', `/v1/batches/${batchId}/pause`],
      ['POST', `/v1/batches/${batchId}/resume`],
      ['POST', `/v1/batches/${batchId}/retry`],
    ] as const) {
      const reply = await call(method, path, {
        key: globexKey,
        ...(method === 'POST' ? { body: {} } : {}),
      });
      expect([path, reply.status]).toEqual([path, 404]);
    }
    expect((await call('GET', `/v1/batches/${randomUUID()}`)).status).toBe(404);
    const bad = await call('GET', '/v1/batches/not-a-uuid', { key: acmeKey });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual([{ field: 'id', reason: 'must be a UUID' }]);
  });
});

describe('POST /v1/batches/:id/cancel|pause|resume|retry', () => {
  it('acts on every email that can still take it and says why the others could not', async () => {
    const { batchId, ids } = await batch(acmeKey, 3);
    const [a, b, c] = ids as [string, string, string];
    expect((await call('DELETE', `/v1/emails/${c}`, { key: acmeKey })).status).toBe(200);
    // A member recorded whose append never happened (the api died in between): pending, then not found.
    const ghost = randomUUID();
    await pool.query(
      `INSERT INTO batches.batch_emails (batch_id, email_id, position) VALUES ($1, $2, 99)`,
      [batchId, ghost],
    );
    await projected([a, b], 'scheduled');

    const paused = await call('POST', `/v1/batches/${batchId}/pause`, {
      key: acmeKey,
      body: { reason: 'hold the newsletter' },
    });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ batchId, action: 'pause', total: 4, done: 2, skipped: 2 });
    const lines = byId(paused.body.results);
    expect(lines.get(a)).toEqual({ emailId: a, outcome: 'done', status: 'paused' });
    expect(lines.get(c)).toEqual({
      emailId: c,
      outcome: 'skipped',
      status: 'cancelled',
      reason: 'the email has been cancelled',
    });
    expect(lines.get(ghost)).toEqual({
      emailId: ghost,
      outcome: 'skipped',
      status: null,
      reason: 'the email was not found',
    });
    const history = await call('GET', `/v1/emails/${a}/history`, { key: acmeKey });
    expect(history.body.events.at(-1)).toMatchObject({
      type: 'EmailPaused',
      data: { reason: 'hold the newsletter', batchId },
    });

    await projected([a, b], 'paused');
    const counts = await call('GET', `/v1/batches/${batchId}`, { key: acmeKey });
    expect(counts.body.counts).toMatchObject({ paused: 2, cancelled: 1, pending: 1 });

    const again = await call('POST', `/v1/batches/${batchId}/pause`, { key: acmeKey, body: {} });
    expect(byId(again.body.results).get(a)).toMatchObject({
      outcome: 'skipped',
      status: 'paused',
      reason: 'the email is paused',
    });

    const resumed = await call('POST', `/v1/batches/${batchId}/resume`, { key: acmeKey, body: {} });
    expect(resumed.body).toMatchObject({ action: 'resume', done: 2, skipped: 2 });
    expect(byId(resumed.body.results).get(b)).toEqual({
      emailId: b,
      outcome: 'done',
      status: 'scheduled',
    });

    const retried = await call('POST', `/v1/batches/${batchId}/retry`, { key: acmeKey, body: {} });
    expect(retried.body).toMatchObject({ action: 'retry', done: 0, skipped: 4 });
    expect(byId(retried.body.results).get(a)).toMatchObject({
      reason: 'only a failed email can be retried',
    });

    const cancelled = await call('POST', `/v1/batches/${batchId}/cancel`, {
      key: acmeKey,
      body: { reason: 'x'.repeat(501) },
    });
    expect(cancelled.status).toBe(400);
    expect(cancelled.body.details[0]?.field).toBe('reason');
    const cancel = await call('POST', `/v1/batches/${batchId}/cancel`, { key: acmeKey, body: {} });
    expect(cancel.body).toMatchObject({ action: 'cancel', done: 2, skipped: 2 });
  });
});

describe('POST /v1/emails/bulk/cancel|pause|resume|retry', () => {
  it('acts on the tenant’s emails the filter names, over the read model', async () => {
    const tag = `bulk-${randomUUID().slice(0, 8)}`;
    const mine = await batch(acmeKey, 3, { tags: [tag] });
    const theirs = await batch(globexKey, 2, { tags: [tag] });
    await projected([...mine.ids, ...theirs.ids], 'scheduled');

    const paused = await call('POST', '/v1/emails/bulk/pause', {
      key: acmeKey,
      body: { filter: { tag }, reason: 'by tag' },
    });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ action: 'pause', total: 3, done: 3, truncated: false });
    expect(paused.body.results.map((r) => r.emailId).sort()).toEqual([...mine.ids].sort());
    expect(paused.body).not.toHaveProperty('batchId');

    await projected(mine.ids, 'paused');
    const resumed = await call('POST', '/v1/emails/bulk/resume', {
      key: acmeKey,
      body: { filter: { tag, from: FROM.toUpperCase(), sendBefore: inAnHour() } },
    });
    expect(resumed.body).toMatchObject({ action: 'resume', total: 3, done: 3 });
    await projected(mine.ids, 'scheduled');
    const cancelled = await call('POST', '/v1/emails/bulk/cancel', {
      key: acmeKey,
      body: { filter: { tag } },
    });
    expect(cancelled.body).toMatchObject({ total: 3, done: 3 });
    await projected(theirs.ids, 'scheduled');
  });

  it('answers 400 naming the field for an empty filter or a bad instant', async () => {
    for (const [body, field] of [
      [{}, 'filter'],
      [{ filter: {} }, 'filter'],
      [{ filter: { sendBefore: 'tomorrow' } }, 'filter.sendBefore'],
      [{ filter: { tag: 7 } }, 'filter.tag'],
      [{ filter: { tag: 'a' }, reason: 3 }, 'reason'],
    ] as const) {
      const reply = await call('POST', '/v1/emails/bulk/cancel', { key: acmeKey, body });
      expect([JSON.stringify(body), reply.status]).toEqual([JSON.stringify(body), 400]);
      expect(reply.body.details.map((d) => d.field)).toContain(field);
    }
  });
});

describe('POST /v1/emails/:id/pause|resume|retry', () => {
  it('writes like PATCH: the write result and ETag, 409 with the reason, If-Match, 404 for another tenant', async () => {
    const created = await call('POST', '/v1/emails', {
      key: acmeKey,
      body: emailBody({ from: FROM, sendAt: inAnHour() }),
    });
    const { id } = created.body;
    const stale = await call('POST', `/v1/emails/${id}/pause`, {
      key: acmeKey,
      body: {},
      headers: { 'if-match': '"7"' },
    });
    expect(stale.status).toBe(412);
    const paused = await call('POST', `/v1/emails/${id}/pause`, {
      key: acmeKey,
      body: { reason: 'wait' },
      headers: { 'if-match': '"0"' },
    });
    expect(paused.status).toBe(200);
    expect(paused.body).toEqual({
      id,
      status: 'paused',
      sendAt: created.body.sendAt,
      revision: 1,
    });
    expect(paused.headers.get('etag')).toBe('"1"');
    const twice = await call('POST', `/v1/emails/${id}/pause`, { key: acmeKey, body: {} });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toBe('cannot pause: the email is paused');
    expect(
      (await call('POST', `/v1/emails/${id}/resume`, { key: globexKey, body: {} })).status,
    ).toBe(404);
    const resumed = await call('POST', `/v1/emails/${id}/resume`, { key: acmeKey, body: {} });
    expect(resumed.body).toMatchObject({ id, status: 'scheduled', revision: 2 });
    const retry = await call('POST', `/v1/emails/${id}/retry`, { key: acmeKey, body: {} });
    expect(retry.status).toBe(409);
    expect(retry.body.message).toBe('cannot retry: only a failed email can be retried');
  });

  it('retries a failed email with a new attempt budget, and the worker sends it', async () => {
    const to = `refused-${randomUUID().slice(0, 8)}@example.com`;
    sink.answer(to, { code: 550, message: '5.1.1 no such user' });
    const created = await call('POST', '/v1/emails', {
      key: acmeKey,
      body: emailBody({ from: FROM, to: [to], sendAt: undefined, maxAttempts: 1 }),
    });
    expect(created.status).toBe(201);
    const { id } = created.body;
    const state = async (): Promise<Body['state']> =>
      (await call('GET', `/v1/emails/${id}/history`, { key: acmeKey })).body.state;
    await waitFor('the email to fail', async () => (await state()).status === 'failed', 15_000);

    const retried = await call('POST', `/v1/emails/${id}/retry`, {
      key: acmeKey,
      body: { reason: 'mailbox fixed' },
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id, status: 'scheduled' });
    await waitFor(
      'the retried email to be sent',
      async () => (await state()).status === 'sent',
      15_000,
    );
    expect(sink.accepted(messageIdOf(id))).toHaveLength(1);
    const history = await call('GET', `/v1/emails/${id}/history`, { key: acmeKey });
    expect(history.body.events.map((e) => e.type)).toEqual([
      'EmailScheduled',
      'EmailSendAttempted',
      'EmailFailed',
      'EmailRetryRequested',
      'EmailSendAttempted',
      'EmailSent',
    ]);
    expect(history.body.events[3]?.data).toMatchObject({
      reason: 'mailbox fixed',
      previousAttempts: 1,
    });
  });
});

describe(`a batch of ${LOAD_N} emails due now, paused while the worker sends, then resumed`, () => {
  it('sends nothing the pause took until resumed, then every email exactly once', async () => {
    const csv = [
      'to,subject,text',
      ...Array.from({ length: LOAD_N }, (_, i) => `load${i}@example.com,Load ${i},Hi`),
    ].join('\n');
    const form = new FormData();
    form.append('from', FROM);
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'load.csv');
    // A relay slower than the import (5 pooled connections, 20 ms per reply: ~250 emails/s), so that the
    // pause meets a batch partly sent, partly being sent and mostly still due.
    sink.replyDelayMs = 20;
    const imported = await call('POST', '/v1/emails/import', {
      key: acmeKey,
      form,
      timeoutMs: 120_000,
    });
    expect(imported.status).toBe(200);
    expect(imported.body.accepted).toBe(LOAD_N);
    const { batchId } = imported.body;
    const ids = imported.body.ids.map((r) => r.id);

    const pauseStarted = Date.now();
    const paused = await call('POST', `/v1/batches/${batchId}/pause`, {
      key: acmeKey,
      body: {},
      timeoutMs: 120_000,
    });
    const pauseReturned = Date.now();
    expect(paused.status).toBe(200);
    expect(paused.body.total).toBe(LOAD_N);
    const lines = paused.body.results;
    const done = new Set(lines.filter((l) => l.outcome === 'done').map((l) => l.emailId));
    const beingSent = new Set(
      lines
        .filter((l) => l.outcome === 'skipped' && l.status === 'attempting')
        .map((l) => l.emailId),
    );
    // Every skip is a send already under way or over: none for a conflict that ran out of tries.
    for (const line of lines.filter((l) => l.outcome === 'skipped')) {
      expect(line).toMatchObject(
        line.status === 'attempting'
          ? { reason: 'the email is already being sent' }
          : { status: 'sent', reason: 'the email has already been sent' },
      );
    }
    expect(done.size).toBeGreaterThan(0);
    console.log(
      `pause of ${LOAD_N}: ${pauseReturned - pauseStarted} ms; done ${done.size}, being sent ${beingSent.size}, already sent ${lines.length - done.size - beingSent.size}`,
    );

    // While paused: the sends under way finish, and nothing else arrives.
    const arrivedSince = (since: number): string[] =>
      sink.messages.filter((m) => m.receivedAt > since).map((m) => m.messageId ?? '');
    await waitFor(
      'the sends under way at the pause to finish',
      () => [...beingSent].every((id) => sink.received(messageIdOf(id)).length > 0),
      30_000,
    );
    // The worker had time to start anything it (wrongly) would: its jobs were due at once.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const duringPause = arrivedSince(pauseReturned);
    const allowed = new Set([...beingSent].map(messageIdOf));
    expect(duringPause.filter((m) => !allowed.has(m))).toEqual([]);
    expect([...done].filter((id) => sink.received(messageIdOf(id)).length > 0)).toEqual([]);

    const resumeStarted = Date.now();
    const resumed = await call('POST', `/v1/batches/${batchId}/resume`, {
      key: acmeKey,
      body: {},
      timeoutMs: 120_000,
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body.done).toBe(done.size);
    await waitFor(
      `all ${LOAD_N} emails in the sink`,
      () => ids.every((id) => sink.received(messageIdOf(id)).length > 0),
      120_000,
      100,
    );
    console.log(
      `resume of ${done.size}: all sent ${Date.now() - resumeStarted} ms after the resume call`,
    );
    const copies = ids.map((id) => sink.received(messageIdOf(id)).length);
    expect(copies.filter((n) => n !== 1)).toEqual([]);
    expect(
      [...done].filter((id) => sink.received(messageIdOf(id))[0]!.receivedAt < resumeStarted),
    ).toEqual([]);
  }, 240_000);
});
