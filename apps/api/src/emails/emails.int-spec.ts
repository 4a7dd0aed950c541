import { MeetingPoint, MeetingStore, waitFor } from '@app/testing';
import { emailBody, startApi, type ApiHarness, type ApiReply } from '../testing/api-harness';

/** The fields the tests read, loosely: each test asserts the ones its endpoint returns. */
interface ReplyBody {
  readonly id: string;
  readonly revision: number;
  readonly message: string;
  readonly key: string;
  readonly details: readonly { readonly field: string; readonly reason: string }[];
  readonly events: readonly {
    readonly revision: number;
    readonly type: string;
    readonly recordedAt: string;
  }[];
  readonly results: readonly {
    readonly index: number;
    readonly status: number;
    readonly id?: string;
  }[];
  readonly [key: string]: unknown;
}

type Reply = ApiReply<ReplyBody>;

let api: ApiHarness<ReplyBody>;
let store: MeetingStore;
const call: ApiHarness<ReplyBody>['call'] = (...args) => api.call(...args);
const eventCount: ApiHarness['eventCount'] = (...args) => api.eventCount(...args);

const email = emailBody;

async function schedule(overrides: Record<string, unknown> = {}): Promise<Reply> {
  const reply = await call('POST', '/v1/emails', { body: email(overrides) });
  expect(reply.status).toBe(201);
  return reply;
}

beforeAll(async () => {
  api = await startApi<ReplyBody>({
    name: 'emails',
    wrapStore: (inner) => (store = new MeetingStore(inner)),
  });
});

afterAll(async () => {
  await api?.close();
});

describe('POST /v1/emails', () => {
  it('schedules an email: 201 with id, status, sendAt, revision 0, position and an ETag', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const reply = await schedule({ sendAt });
    expect(reply.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      status: 'scheduled',
      sendAt,
      revision: 0,
      position: expect.stringMatching(/^\d+\/\d+$/) as unknown,
    });
    expect(reply.headers.get('etag')).toBe('"0"');

    const history = await call('GET', `/v1/emails/${reply.body.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.events).toEqual([
      expect.objectContaining({ revision: 0, type: 'EmailScheduled' }),
    ]);
    expect(history.body.state).toMatchObject({ status: 'scheduled' });
  });

  it('answers 400 naming each bad field, and writes nothing', async () => {
    const before = await eventCount();
    const reply = await call('POST', '/v1/emails', {
      body: email({ to: ['not an address'], subject: 'Hi\r\nBcc: victim@example.com' }),
    });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    const fields = reply.body.details.map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['subject']));
    expect(fields.some((f) => f.startsWith('to'))).toBe(true);
    expect(await eventCount()).toBe(before);
  });

  it('answers 400 for more than 50 recipients', async () => {
    const to = Array.from({ length: 51 }, (_, i) => `r${i}@example.com`);
    const reply = await call('POST', '/v1/emails', { body: email({ to }) });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body.details)).toMatch(/to|recipients/);
  });

  it.each([
    ['path at the top level', { path: '/etc/passwd' }, 'path'],
    ['href at the top level', { href: 'http://example.com/' }, 'href'],
    ['raw at the top level', { raw: 'From: x' }, 'raw'],
    ['path inside an address', { to: [{ address: 'a@example.com', path: '/x' }] }, 'to'],
  ])('refuses %s with 400 naming the field', async (_name, overrides, field) => {
    const before = await eventCount();
    const reply = await call('POST', '/v1/emails', { body: email(overrides) });
    expect(reply.status).toBe(400);
    expect(reply.body.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field })]),
    );
    expect(await eventCount()).toBe(before);
  });

  it('answers 400 in the error shape for malformed JSON', async () => {
    const reply = await call('POST', '/v1/emails', { raw: '{"from": "a@example.com",' });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/JSON/) as unknown,
    });
  });

  it('answers 413 for a body over 1 MB where no attachments come', async () => {
    const reply = await call('POST', '/v1/emails/00000000-0000-4000-8000-000000000000/pause', {
      body: { reason: 'x'.repeat(1024 * 1024 + 10) },
    });
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });

  it('takes an edit up to 15 MB (attachments replaced), and answers 413 past it', async () => {
    const edit = (bytes: number): Promise<{ status: number }> =>
      call('PATCH', '/v1/emails/00000000-0000-4000-8000-000000000000', {
        body: { subject: 'x'.repeat(bytes) },
      });
    // Past the default limit, within the edit's: parsed, then the email is not found.
    expect((await edit(2 * 1024 * 1024)).status).toBe(404);
    expect((await edit(15 * 1024 * 1024 + 10)).status).toBe(413);
  });

  it('answers 413 for a schedule request over 15 MB', async () => {
    const reply = await call('POST', '/v1/emails', {
      body: email({ text: 'x'.repeat(15 * 1024 * 1024 + 10) }),
    });
    expect(reply.status).toBe(413);
    expect(reply.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
  });
});

/** The next spring-forward day in Europe/Paris (the last Sunday of March), within the sendAt horizon. */
function nextParisGapDay(): string {
  for (let year = new Date().getUTCFullYear(); ; year += 1) {
    const day = new Date(Date.UTC(year, 2, 31));
    day.setUTCDate(31 - day.getUTCDay());
    if (day.getTime() > Date.now() + 86_400_000) return day.toISOString().slice(0, 10);
  }
}

describe('local time, delivery windows and expiry', () => {
  it('resolves a wall-clock sendAt in its zone (a time the DST gap skips moves forward by the gap), keeps the zone, and defers to the window', async () => {
    const sunday = nextParisGapDay();
    const monday = new Date(Date.parse(`${sunday}T00:00:00Z`) + 86_400_000)
      .toISOString()
      .slice(0, 10);
    const deliveryWindow = {
      timeZone: 'Europe/Paris',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '09:00',
      end: '17:30',
    };
    const reply = await schedule({
      sendAt: `${sunday}T02:30`,
      timeZone: 'Europe/Paris',
      deliveryWindow,
      expiresAt: `${monday}T12:00`,
    });
    // 02:30 does not exist that night: 03:30 CEST, 01:30 UTC.
    expect(reply.body).toMatchObject({
      sendAt: `${sunday}T01:30:00.000Z`,
      timeZone: 'Europe/Paris',
      localSendAt: `${sunday}T02:30`,
      expiresAt: `${monday}T10:00:00.000Z`,
    });
    const history = await call('GET', `/v1/emails/${reply.body.id}/history`);
    expect(history.body.events.map((e) => e.type)).toEqual(['EmailScheduled', 'EmailDeferred']);
    expect(history.body.state).toMatchObject({
      status: 'scheduled',
      dueAt: `${monday}T07:00:00.000Z`,
      deferral: { limit: 'delivery-window', until: `${monday}T07:00:00.000Z` },
      email: { deliveryWindow, expiresAt: `${monday}T10:00:00.000Z` },
    });

    // A reschedule to wall-clock time in another zone.
    const moved = await call('PATCH', `/v1/emails/${reply.body.id}`, {
      body: { sendAt: `${monday}T03:15`, timeZone: 'America/New_York' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ sendAt: `${monday}T07:15:00.000Z` });
  });

  it('answers 400 naming timeZone, the window part, expiresAt or sendAt, per batch item too, and writes nothing', async () => {
    const { body: scheduled } = await schedule();
    const before = await eventCount();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const cases: [Record<string, unknown>, string][] = [
      [{ timeZone: 'Europe/Pariss' }, 'timeZone'],
      [{ timeZone: 7 }, 'timeZone'],
      [{ sendAt: later.slice(0, 16) }, 'sendAt'],
      [
        {
          deliveryWindow: { timeZone: 'Europe/Paris', days: ['mon'], start: '9:00', end: '17:00' },
        },
        'deliveryWindow.start',
      ],
      [
        { deliveryWindow: { timeZone: '+02:00', days: ['mon'], start: '09:00', end: '17:00' } },
        'deliveryWindow.timeZone',
      ],
      [{ deliveryWindow: 'weekdays' }, 'deliveryWindow'],
      [{ expiresAt: new Date(Date.now() - 1_000).toISOString() }, 'expiresAt'],
      [{ expiresAt: later, sendAt: later }, 'expiresAt'],
    ];
    for (const [overrides, field] of cases) {
      const reply = await call('POST', '/v1/emails', { body: email(overrides) });
      expect([reply.status, reply.body.details.map((d) => d.field)]).toEqual([400, [field]]);
    }
    const batch = await call('POST', '/v1/emails/batch', {
      body: { emails: cases.map(([overrides]) => email(overrides)) },
    });
    expect(batch.body.results.map((r) => r.status)).toEqual(cases.map(() => 400));
    const patch = await call('PATCH', `/v1/emails/${scheduled.id}`, {
      body: { sendAt: later.slice(0, 16), timeZone: 'Nowhere/Land' },
    });
    expect(patch.status).toBe(400);
    expect(JSON.stringify(patch.body.details)).toContain('timeZone');
    expect(await eventCount()).toBe(before);
  });
});

describe('Idempotency-Key', () => {
  it('returns the same email with 200 for the same key and body', async () => {
    const body = email();
    const headers = { 'idempotency-key': 'same-body-1' };
    const first = await call('POST', '/v1/emails', { body, headers });
    const second = await call('POST', '/v1/emails', { body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
  });

  it('answers 422 for the same key with another body', async () => {
    const headers = { 'idempotency-key': 'other-body-1' };
    expect((await call('POST', '/v1/emails', { body: email(), headers })).status).toBe(201);
    const reply = await call('POST', '/v1/emails', {
      body: email({ subject: 'Something else' }),
      headers,
    });
    expect(reply.status).toBe(422);
    expect(reply.body).toMatchObject({ statusCode: 422 });
  });

  it('turns 100 parallel identical requests into exactly one stream with one event', async () => {
    const body = email();
    const headers = { 'idempotency-key': 'parallel-1' };
    const replies = await Promise.all(
      Array.from({ length: 100 }, () => call('POST', '/v1/emails', { body, headers })),
    );
    const statuses = replies.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 201)).toBe(true);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    const ids = new Set(replies.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(await eventCount(`email-${[...ids][0]}`)).toBe(1);
  });
});

describe('PATCH /v1/emails/:id', () => {
  it('reschedules and answers the new revision; a stale If-Match gets 412', async () => {
    const { body } = await schedule();
    const sendAt = new Date(Date.now() + 7_200_000).toISOString();
    const moved = await call('PATCH', `/v1/emails/${body.id}`, {
      body: { sendAt },
      headers: { 'if-match': '"0"' },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ id: body.id, status: 'scheduled', sendAt, revision: 1 });
    expect(moved.headers.get('etag')).toBe('"1"');

    const stale = await call('PATCH', `/v1/emails/${body.id}`, {
      body: { sendAt },
      headers: { 'if-match': '"0"' },
    });
    expect(stale.status).toBe(412);
    expect(await eventCount(`email-${body.id}`)).toBe(2);
  });

  it('two PATCHes with one If-Match that read the email together: one 200, the other 412, no lost update', async () => {
    for (let round = 0; round < 5; round += 1) {
      const { body } = await schedule();
      store.meeting = new MeetingPoint(`email-${body.id}`, 2);
      const times = [2, 3].map((h) => new Date(Date.now() + h * 3_600_000).toISOString());
      const replies = await Promise.all(
        times.map((sendAt) =>
          call('PATCH', `/v1/emails/${body.id}`, {
            body: { sendAt },
            headers: { 'if-match': '"0"' },
          }),
        ),
      );
      expect(store.meeting.count).toBe(2);
      expect(replies.map((r) => r.status).sort()).toEqual([200, 412]);
      const winner = replies.findIndex((r) => r.status === 200);
      const history = await call('GET', `/v1/emails/${body.id}/history`);
      expect(history.body.events.map((e) => e.type)).toEqual([
        'EmailScheduled',
        'EmailRescheduled',
      ]);
      expect((history.body.state as { email: { sendAt: string } }).email.sendAt).toBe(
        times[winner],
      );
    }
  });

  it('answers 404 for an unknown id', async () => {
    const reply = await call('PATCH', '/v1/emails/00000000-0000-4000-8000-000000000000', {
      body: { sendAt: new Date(Date.now() + 60_000).toISOString() },
    });
    expect(reply.status).toBe(404);
  });

  it('a malformed If-Match is 412, but a bad id or body in the same request is the 400 that names it', async () => {
    const { body } = await schedule();
    const badHeader = { 'if-match': 'abc' };
    const malformed = await call('PATCH', `/v1/emails/${body.id}`, {
      body: { sendAt: new Date(Date.now() + 60_000).toISOString() },
      headers: badHeader,
    });
    expect(malformed.status).toBe(412);
    const badBody = await call('PATCH', `/v1/emails/${body.id}`, {
      body: {},
      headers: badHeader,
    });
    expect(badBody.status).toBe(400);
    expect(JSON.stringify(badBody.body)).toContain('sendAt');
    const badId = await call('DELETE', '/v1/emails/not-a-uuid', { headers: badHeader });
    expect(badId.status).toBe(400);
    expect(await eventCount(`email-${body.id}`)).toBe(1);
  });
});

describe('DELETE /v1/emails/:id', () => {
  it('cancels, and a second cancel is a 409 naming the reason', async () => {
    const { body } = await schedule();
    const cancelled = await call('DELETE', `/v1/emails/${body.id}`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', revision: 1 });

    const again = await call('DELETE', `/v1/emails/${body.id}`);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(again.body.message).toMatch(/cancelled/);
  });
});

describe('GET /v1/emails/:id/history', () => {
  it('replays only up to ?revision=N or ?at=ISO', async () => {
    const { body } = await schedule();
    const first = await call('GET', `/v1/emails/${body.id}/history`);
    const recordedAt = first.body.events[0]?.recordedAt ?? '';
    // Make sure the next event is recorded strictly later than the first.
    await waitFor(
      'the clock to move past the first event',
      () => Date.now() > Date.parse(recordedAt) + 1,
    );
    await call('DELETE', `/v1/emails/${body.id}`);

    const full = await call('GET', `/v1/emails/${body.id}/history`);
    expect(full.body.events.map((e) => e.type)).toEqual(['EmailScheduled', 'EmailCancelled']);
    expect(full.body).toMatchObject({ revision: 1, state: { status: 'cancelled' } });

    const atRevision0 = await call('GET', `/v1/emails/${body.id}/history?revision=0`);
    expect(atRevision0.status).toBe(200);
    expect(atRevision0.body).toMatchObject({ revision: 0, state: { status: 'scheduled' } });
    expect(atRevision0.body.events).toHaveLength(1);

    const atTime = await call(
      'GET',
      `/v1/emails/${body.id}/history?at=${encodeURIComponent(recordedAt)}`,
    );
    expect(atTime.status).toBe(200);
    expect(atTime.body).toMatchObject({ revision: 0, state: { status: 'scheduled' } });
  });

  it('answers 400 for a malformed ?revision or ?at', async () => {
    const { body } = await schedule();
    expect((await call('GET', `/v1/emails/${body.id}/history?revision=-1`)).status).toBe(400);
    expect((await call('GET', `/v1/emails/${body.id}/history?at=yesterday`)).status).toBe(400);
  });

  it('answers 404 for an unknown id', async () => {
    const reply = await call('GET', '/v1/emails/00000000-0000-4000-8000-000000000000/history');
    expect(reply).toMatchObject({ status: 404, body: { statusCode: 404, error: 'Not Found' } });
  });

  it("answers 404 for another tenant's email", async () => {
    const { body } = await schedule();
    const minted = await call('POST', '/v1/admin/api-keys', {
      body: { role: 'sender', tenantId: 'other-tenant' },
    });
    expect(minted.status).toBe(201);
    const { key } = minted.body;
    expect((await call('GET', `/v1/emails/${body.id}/history`, { key })).status).toBe(404);
    expect((await call('DELETE', `/v1/emails/${body.id}`, { key })).status).toBe(404);
  });
});

describe('POST /v1/emails/batch', () => {
  it('schedules the valid items and reports the invalid ones per item', async () => {
    const before = await eventCount();
    const reply = await call('POST', '/v1/emails/batch', {
      body: {
        emails: [email(), email({ to: 'nope' }), email({ path: '/etc/passwd' }), email(), 42],
      },
    });
    expect(reply.status).toBe(200);
    const { results } = reply.body;
    expect(results.map((r) => [r.index, r.status])).toEqual([
      [0, 201],
      [1, 400],
      [2, 400],
      [3, 201],
      [4, 400],
    ]);
    expect(results[1]).toMatchObject({ error: { statusCode: 400 } });
    expect(await eventCount()).toBe(before + 2);
  });

  it('refuses more than 1000 items with 400', async () => {
    const reply = await call('POST', '/v1/emails/batch', {
      body: { emails: Array.from({ length: 1001 }, () => ({})) },
    });
    expect(reply.status).toBe(400);
  });
});
