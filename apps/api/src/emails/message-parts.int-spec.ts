// Reply-to, custom headers and metadata through the service: accepted as given and shown back, filterable by
// metadata, edited by PATCH with If-Match (a time and content in one write), folded at any revision by the
// history; a bad or hostile part is a 400 naming it, with nothing written.
import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionRunner, readProjectionStatus } from '@app/read-model';
import { waitFor } from '@app/testing';
import { emailBody, startApi, type ApiHarness } from '../testing/api-harness';

interface ReplyBody {
  readonly id: string;
  readonly key: string;
  readonly revision: number;
  readonly items: readonly { readonly id: string }[];
  readonly results: readonly { readonly status: number; readonly id?: string }[];
  readonly details: readonly { readonly field: string; readonly reason: string }[];
  readonly events: readonly { readonly type: string }[];
  readonly state: { readonly email: Record<string, unknown> };
  readonly [key: string]: unknown;
}

let api: ApiHarness<ReplyBody>;
let pool: Pool;
let store: PostgresEventStore;
let runner: ProjectionRunner;
let key: string;
const TENANT = 'parts-tenant';

const call: ApiHarness<ReplyBody>['call'] = (...args) => api.call(...args);

const parts = {
  replyTo: ['Help Desk <help@example.com>', 'billing@example.com'],
  headers: { 'X-Campaign': 'spring', 'List-Unsubscribe': '<mailto:stop@example.com>' },
  metadata: { customer: '42', plan: 'gold' },
};

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

async function listed(query: string, admin = false): Promise<string[]> {
  const reply = await call('GET', `${admin ? '/v1/admin/emails' : '/v1/emails'}?${query}`, {
    ...(admin ? {} : { key }),
  });
  expect(reply.status).toBe(200);
  return reply.body.items.map((item) => item.id);
}

beforeAll(async () => {
  api = await startApi<ReplyBody>({ name: 'message_parts' });
  pool = new Pool({ connectionString: api.database.url, max: 4 });
  pool.on('error', () => undefined); // the drop terminates idle connections
  store = await PostgresEventStore.open({ connectionString: api.database.url });
  runner = new ProjectionRunner(pool, store, { batchSize: 50, rebuildPollMs: 100 });
  runner.start();
  const minted = await call('POST', '/v1/admin/api-keys', {
    body: { role: 'sender', tenantId: TENANT },
  });
  key = minted.body.key;
  await call('PUT', `/v1/admin/tenants/${TENANT}/sender-domains`, {
    body: { domains: ['example.com'] },
  });
});

afterAll(async () => {
  await runner?.stop();
  await store?.close();
  await pool?.end();
  await api?.close();
});

it('takes reply-to, headers and metadata as given, shows them, and lists by metadata (all pairs must match)', async () => {
  const posted = await call('POST', '/v1/emails', { key, body: emailBody(parts) });
  expect(posted.status).toBe(201);
  const other = await call('POST', '/v1/emails', {
    key,
    body: emailBody({ metadata: { customer: '7', plan: 'gold' } }),
  });
  const batch = await call('POST', '/v1/emails/batch', {
    key,
    body: { emails: [emailBody(parts), emailBody({ headers: { 'X-Bad': 'a\r\nBcc: x@y.z' } })] },
  });
  expect(batch.body.results.map((r) => r.status)).toEqual([201, 400]);
  await caughtUp();

  const got = await call('GET', `/v1/emails/${posted.body.id}`, { key });
  expect(got.body).toMatchObject({
    replyTo: [
      { address: 'help@example.com', name: 'Help Desk' },
      { address: 'billing@example.com' },
    ],
    headers: [
      { name: 'X-Campaign', value: 'spring' },
      { name: 'List-Unsubscribe', value: '<mailto:stop@example.com>' },
    ],
    metadata: parts.metadata,
  });
  expect(got.body).not.toHaveProperty('attachments');
  const batchId = batch.body.results[0]?.id;
  expect((await listed('metadata=plan:gold')).sort()).toEqual(
    [posted.body.id, other.body.id, batchId].sort(),
  );
  expect((await listed('metadata=plan:gold&metadata=customer:42')).sort()).toEqual(
    [posted.body.id, batchId].sort(),
  );
  expect(await listed(`metadata=customer:7&tenant=${TENANT}`, true)).toEqual([other.body.id]);
  expect(await listed('metadata=customer:none')).toEqual([]);
  for (const bad of ['metadata=nocolon', 'metadata=b%20d:1', 'metadata=k:1&metadata=k:2']) {
    const reply = await call('GET', `/v1/emails?${bad}`, { key });
    expect({ bad, status: reply.status, fields: reply.body.details.map((d) => d.field) }).toEqual({
      bad,
      status: 400,
      fields: ['metadata'],
    });
  }
});

it('refuses hostile or bad parts with 400 naming the field, and writes nothing', async () => {
  // null: refused before any field is read (a NUL anywhere in a body is).
  const cases: [Record<string, unknown>, string | null][] = [
    [{ headers: { 'X-A': 'one\r\nBcc: victim@example.com' } }, 'headers.X-A'],
    [{ headers: { 'X-A': 'nul\u0000byte' } }, null],
    [{ headers: { 'X-A': 'line\u2028separator' } }, 'headers.X-A'],
    [{ headers: { 'X-A': 'bare\nfeed' } }, 'headers.X-A'],
    [{ headers: { 'X-A\r\nBcc': 'victim@example.com' } }, 'headers'],
    [{ headers: { 'X-A:B': 'colon' } }, 'headers'],
    [{ headers: { 'Reply-To': 'evil@example.com' } }, 'headers.Reply-To'],
    [{ headers: { bcc: 'victim@example.com' } }, 'headers.bcc'],
    [{ headers: { 'Content-Type': 'text/html' } }, 'headers.Content-Type'],
    [{ headers: ['X-A: b'] }, 'headers'],
    [{ replyTo: ['ok@example.com', 'not an address'] }, 'replyTo[1]'],
    [{ replyTo: 'a@example.com\r\nBcc: x@example.com' }, 'replyTo'],
    [{ metadata: { k: 1 } }, 'metadata.k'],
    [{ metadata: { 'bad key': 'v' } }, 'metadata'],
    [{ metadata: 'customer=42' }, 'metadata'],
  ];
  const before = await api.eventCount();
  for (const [overrides, field] of cases) {
    const reply = await call('POST', '/v1/emails', { key, body: emailBody(overrides) });
    expect({ overrides, status: reply.status }).toEqual({ overrides, status: 400 });
    if (field === null) continue;
    expect({ overrides, fields: reply.body.details.map((d) => d.field) }).toEqual({
      overrides,
      fields: expect.arrayContaining([field]) as unknown,
    });
  }
  expect(await api.eventCount()).toBe(before);
});

it('PATCH with If-Match edits content and time in one write, null removes a part, and the history folds any revision', async () => {
  const posted = await call('POST', '/v1/emails', { key, body: emailBody(parts) });
  const id = posted.body.id;
  const sendAt = new Date(Date.now() + 7_200_000).toISOString();
  const edited = await call('PATCH', `/v1/emails/${id}`, {
    key,
    headers: { 'if-match': '"0"' },
    body: { sendAt, subject: 'Edited', headers: null, metadata: { customer: '43' } },
  });
  expect(edited.status).toBe(200);
  expect(edited.body).toMatchObject({ revision: 2, sendAt });
  expect(edited.headers.get('etag')).toBe('"2"');

  const got = await call('GET', `/v1/emails/${id}?minRevision=2`, { key });
  expect(got.body).toMatchObject({ subject: 'Edited', sendAt, metadata: { customer: '43' } });
  expect(got.body).not.toHaveProperty('headers');
  expect(await listed('metadata=customer:43')).toEqual([id]);

  const then = await call('GET', `/v1/emails/${id}/history?revision=0`, { key });
  expect(then.body.state.email).toMatchObject({
    subject: 'Hello',
    metadata: parts.metadata,
    headers: [
      { name: 'X-Campaign', value: 'spring' },
      { name: 'List-Unsubscribe', value: '<mailto:stop@example.com>' },
    ],
  });
  const now = await call('GET', `/v1/emails/${id}/history`, { key });
  expect(now.body.events.map((e) => e.type)).toEqual([
    'EmailScheduled',
    'EmailRescheduled',
    'EmailContentEdited',
  ]);
  expect(now.body.state.email).toMatchObject({ subject: 'Edited', metadata: { customer: '43' } });
  expect(now.body.state.email).not.toHaveProperty('headers');

  const count = await api.eventCount(`email-${id}`);
  const refusals: [Record<string, unknown>, string | undefined, number, string?][] = [
    [{ subject: 'Stale' }, '"0"', 412],
    [{}, '"2"', 400, 'body'],
    [{ sendAt, headers: { From: 'evil@example.com' } }, '"2"', 400, 'headers.From'],
    [{ to: null }, '"2"', 400, 'to'],
    [{ timeZone: 'Europe/Paris' }, '"2"', 400, 'timeZone'],
    [{ subject: 'x', colour: 'red' }, '"2"', 400, 'colour'],
  ];
  for (const [body, ifMatch, status, field] of refusals) {
    const reply = await call('PATCH', `/v1/emails/${id}`, {
      key,
      body,
      ...(ifMatch ? { headers: { 'if-match': ifMatch } } : {}),
    });
    expect({ body, status: reply.status }).toEqual({ body, status });
    if (field)
      expect(reply.body.details).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
  }
  expect(await api.eventCount(`email-${id}`)).toBe(count);

  expect((await call('DELETE', `/v1/emails/${id}`, { key })).status).toBe(200);
  const late = await call('PATCH', `/v1/emails/${id}`, { key, body: { subject: 'Too late' } });
  expect(late.status).toBe(409);
});
