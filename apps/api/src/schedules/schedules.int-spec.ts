// /v1/schedules over HTTP on real Postgres and Redis: create (400s name the field), read with next
// occurrences, list (the tenant's own, by cursor), pause, resume, delete, history; another tenant's is a 404.

import { startApi, type ApiHarness } from '../testing/api-harness';

type Body = Record<string, unknown> & {
  readonly id: string;
  readonly key: string;
  readonly items: readonly { id: string }[];
  readonly nextCursor: string | null;
  readonly nextOccurrences: readonly string[];
  readonly events: readonly { type: string }[];
  readonly details?: readonly { field: string; reason: string }[];
};

const REDIS_URL = 'redis://127.0.0.1:6379/6';
let api: ApiHarness<Body>;
let keyA: string;
let keyB: string;

function scheduleBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0',
    timeZone: 'Europe/Paris',
    startAt: '2027-03-15T00:00',
    catchUp: 'all',
    email: { from: 'news@a.example', to: 'ann@example.com', subject: 'Weekly', text: 'Hi' },
    ...overrides,
  };
}

async function senderKey(tenantId: string, domain: string): Promise<string> {
  const domains = await api.call('PUT', `/v1/admin/tenants/${tenantId}/sender-domains`, {
    body: { domains: [domain] },
  });
  expect(domains.status).toBe(200);
  const minted = await api.call('POST', '/v1/admin/api-keys', {
    body: { role: 'sender', tenantId },
  });
  expect(minted.status).toBe(201);
  return minted.body.key;
}

beforeAll(async () => {
  api = await startApi<Body>({ name: 'schedules', env: { REDIS_URL } });
  keyA = await senderKey('sched-a', 'a.example');
  keyB = await senderKey('sched-b', 'b.example');
});

afterAll(async () => {
  await api?.close();
});

describe('/v1/schedules', () => {
  it('creates a schedule answering its next occurrences at 09:00 Paris time across the DST change', async () => {
    const created = await api.call('POST', '/v1/schedules', { key: keyA, body: scheduleBody() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'active',
      timeZone: 'Europe/Paris',
      rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0',
      startAt: '2027-03-14T23:00:00.000Z',
      localStartAt: '2027-03-15T00:00',
      until: null,
      catchUp: 'all',
      nextOccurrences: [
        '2027-03-15T08:00:00.000Z',
        '2027-03-22T08:00:00.000Z',
        '2027-03-29T07:00:00.000Z',
        '2027-04-05T07:00:00.000Z',
        '2027-04-12T07:00:00.000Z',
      ],
      revision: 0,
    });
    const read = await api.call('GET', `/v1/schedules/${created.body.id}`, { key: keyA });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      id: created.body.id,
      lastOccurrenceAt: null,
      occurrencesCreated: 0,
    });
    // Another tenant's schedule is as unknown as a missing one.
    expect((await api.call('GET', `/v1/schedules/${created.body.id}`, { key: keyB })).status).toBe(
      404,
    );
    expect(
      (await api.call('POST', `/v1/schedules/${created.body.id}/pause`, { key: keyB })).status,
    ).toBe(404);
  });

  it.each([
    [{ rrule: 'FREQ=NEVER' }, 'rrule'],
    [{ rrule: undefined, cron: '0 9 * *' }, 'cron'],
    [{ rrule: undefined }, 'rrule'],
    [{ timeZone: 'Europe/Nowhere' }, 'timeZone'],
    [{ startAt: '2027-13-01T09:00' }, 'startAt'],
    [{ until: '2020-01-01T00:00:00Z' }, 'until'],
    [{ catchUp: 'some' }, 'catchUp'],
    [{ rrule: undefined, cron: '* * * * *', startAt: '2027-01-01T00:00' }, 'cron'], // every minute is fine…
  ])('refuses %j naming %s', async (overrides, field) => {
    const reply = await api.call('POST', '/v1/schedules', {
      key: keyA,
      body: scheduleBody(overrides),
    });
    if ('cron' in overrides && overrides.cron === '* * * * *') {
      expect(reply.status).toBe(201); // …once a minute is the default minimum
      return;
    }
    expect(reply.status).toBe(400);
    expect(reply.body.details?.map((issue) => issue.field)).toContain(field);
  });

  it('names the email fields under email., and refuses a from outside the tenant’s domains (403)', async () => {
    const bad = await api.call('POST', '/v1/schedules', {
      key: keyA,
      body: scheduleBody({ email: { from: 'nope', to: [], subject: 'x', expiresAfter: 'soon' } }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details?.map((issue) => issue.field)).toEqual(
      expect.arrayContaining(['email.from', 'email.to', 'email.expiresAfter']),
    );
    const foreign = await api.call('POST', '/v1/schedules', {
      key: keyA,
      body: scheduleBody({
        email: { from: 'x@b.example', to: 'ann@example.com', subject: 'x', text: 'y' },
      }),
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.details).toEqual([expect.objectContaining({ field: 'email.from' })]);
  });

  it('pauses, resumes and deletes, each a 409 when the status does not allow it, all in the history', async () => {
    const { body } = await api.call('POST', '/v1/schedules', {
      key: keyB,
      body: scheduleBody({
        email: { from: 'x@b.example', to: 'ann@example.com', subject: 'x', text: 'y' },
      }),
    });
    const path = `/v1/schedules/${body.id}`;
    expect((await api.call('POST', `${path}/resume`, { key: keyB })).status).toBe(409);
    const paused = await api.call('POST', `${path}/pause`, { key: keyB });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ status: 'paused', revision: 1 });
    expect((await api.call('POST', `${path}/pause`, { key: keyB })).status).toBe(409);
    expect((await api.call('POST', `${path}/resume`, { key: keyB })).body).toMatchObject({
      status: 'active',
      revision: 2,
    });
    const deleted = await api.call('DELETE', path, { key: keyB });
    expect(deleted.body).toMatchObject({ status: 'deleted', nextOccurrences: [] });
    expect((await api.call('DELETE', path, { key: keyB })).status).toBe(409);
    const history = await api.call('GET', `${path}/history`, { key: keyB });
    expect(history.body.events.map((event) => event.type)).toEqual([
      'ScheduleCreated',
      'SchedulePaused',
      'ScheduleResumed',
      'ScheduleDeleted',
    ]);
    expect((await api.call('GET', '/v1/schedules/not-a-uuid', { key: keyB })).body.details).toEqual(
      [{ field: 'id', reason: 'must be a UUID' }],
    );
  });

  it("lists the tenant's own schedules, newest first, page by page", async () => {
    const tenantKey = await senderKey('sched-c', 'c.example');
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const created = await api.call('POST', '/v1/schedules', {
        key: tenantKey,
        body: scheduleBody({
          email: { from: 'x@c.example', to: 'a@example.com', subject: `s${i}`, text: 't' },
        }),
      });
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const first = await api.call('GET', '/v1/schedules?limit=2', { key: tenantKey });
    expect(first.body.items.map((item) => item.id)).toEqual([ids[2], ids[1]]);
    const second = await api.call(
      'GET',
      `/v1/schedules?limit=2&cursor=${first.body.nextCursor ?? ''}`,
      { key: tenantKey },
    );
    expect(second.body.items.map((item) => item.id)).toEqual([ids[0]]);
    expect(second.body.nextCursor).toBeNull();
    expect((await api.call('GET', '/v1/schedules?cursor=zzz', { key: tenantKey })).status).toBe(
      400,
    );
  });
});
