// The tenants' email quotas through HTTP, on the real AppModule, Postgres and Redis: counted in emails,
// refused whole with a 429 that names the limit and says when to retry; visible at GET /v1/stats.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { TenantsRepository } from '@app/tenants';
import { emailBody, startApi, type ApiHarness } from '../testing/api-harness';
import { EmailQuotas } from './email-quotas';

let api: ApiHarness;
let pool: Pool;

beforeAll(async () => {
  api = await startApi({ name: 'quotas' });
  pool = new Pool({ connectionString: api.database.url, max: 2 });
});

afterAll(async () => {
  await pool?.end();
  await api?.close();
});

/** A fresh tenant (the Redis counters outlive a suite), its sender key, its domain allowed, and limits. */
async function tenant(limits: Record<string, number>): Promise<{ id: string; key: string }> {
  const id = `quota-${randomUUID().slice(0, 8)}`;
  const minted = await api.call('POST', '/v1/admin/api-keys', {
    body: { role: 'sender', tenantId: id },
  });
  expect(minted.status).toBe(201);
  await new TenantsRepository(pool).putSenderDomains(id, ['example.com']);
  const put = await api.call('PUT', `/v1/admin/tenants/${id}/limits`, { body: limits });
  expect(put.status).toBe(200);
  return { id, key: String(minted.body.key) };
}

const batch = (key: string, count: number) =>
  api.call('POST', '/v1/emails/batch', {
    key,
    body: { emails: Array.from({ length: count }, () => emailBody()) },
  });

interface LimitRow {
  readonly name: string;
  readonly value: number;
  readonly used: number | null;
  readonly remaining: number | null;
  readonly resetsAt: string | null;
}

describe('email quotas', () => {
  it('a batch over emailsPerMinute: 429 naming the limit, with Retry-After, and nothing appended', async () => {
    const { key } = await tenant({ emailsPerMinute: 5 });
    const before = await api.eventCount();
    const reply = await batch(key, 6);
    expect(reply.status).toBe(429);
    expect(reply.body).toMatchObject({
      statusCode: 429,
      error: 'Too Many Requests',
      details: { limit: 'emailsPerMinute', limitValue: 5, used: 0, requested: 6 },
    });
    const retryAfter = Number(reply.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((reply.body.details as { retryAfterSeconds: number }).retryAfterSeconds).toBe(
      retryAfter,
    );
    expect(await api.eventCount()).toBe(before);
  });

  it('counts emails, not requests: what fits is taken, the next batch over the rest is refused whole; GET /v1/stats shows it', async () => {
    const { key } = await tenant({ emailsPerDay: 4, emailsPerHour: 0 });
    expect((await batch(key, 3)).status).toBe(200);
    const before = await api.eventCount();
    const refused = await batch(key, 2);
    expect(refused.status).toBe(429);
    expect(refused.body.details).toMatchObject({ limit: 'emailsPerDay', used: 3, requested: 2 });
    expect(await api.eventCount()).toBe(before);
    // A single email still fits.
    expect((await api.call('POST', '/v1/emails', { key, body: emailBody() })).status).toBe(201);

    const stats = await api.call('GET', '/v1/stats', { key });
    expect(stats.status).toBe(200);
    const limits = stats.body.limits as LimitRow[];
    const byName = new Map(limits.map((l) => [l.name, l]));
    const midnight = new Date();
    midnight.setUTCHours(24, 0, 0, 0);
    expect(byName.get('emailsPerDay')).toEqual({
      name: 'emailsPerDay',
      value: 4,
      overridden: true,
      used: 4,
      remaining: 0,
      resetsAt: midnight.toISOString(),
    });
    // Unlimited (0) by override: counted, no remaining.
    expect(byName.get('emailsPerHour')).toMatchObject({ value: 0, used: 4, remaining: null });
    // The default, not overridden.
    expect(byName.get('emailsPerMinute')).toMatchObject({
      value: 10_000,
      overridden: false,
      used: 4,
      remaining: 9_996,
    });
    expect([...byName.keys()]).toEqual([
      'emailsPerMinute',
      'emailsPerHour',
      'emailsPerDay',
      'pendingEmails',
      'pendingBytes',
      'sendsPerWindow',
      'sendsPerWindowPerSender',
    ]);
  });

  it('idempotent repeats and refused items take nothing', async () => {
    const { key } = await tenant({ emailsPerDay: 3 });
    const headers = { 'idempotency-key': 'once' };
    const once = emailBody();
    expect((await api.call('POST', '/v1/emails', { key, headers, body: once })).status).toBe(201);
    // The repeat appends nothing and takes nothing; a refused item (no recipient) neither.
    expect((await api.call('POST', '/v1/emails', { key, headers, body: once })).status).toBe(200);
    const mixed = await api.call('POST', '/v1/emails/batch', {
      key,
      body: { emails: [emailBody(), emailBody({ to: [] })] },
    });
    expect(mixed.status).toBe(200);
    expect((await batch(key, 1)).status).toBe(200);
    expect((await batch(key, 1)).status).toBe(429);
  });

  it('a reservation not all appended (an append that failed) is given back', async () => {
    const { id } = await tenant({ emailsPerDay: 5 });
    const quotas = api.app.get(EmailQuotas);
    const content = { subject: 's', text: 't' };
    const reservation = await quotas.reserve(id, [content, content, content, content]);
    await quotas.release(reservation, 1);
    const usage = await quotas.usage(id);
    expect(usage.find((l) => l.name === 'emailsPerDay')).toMatchObject({ used: 1, remaining: 4 });
  });

  it('pending emails and pending bytes (from the read model): 429 with Retry-After', async () => {
    const { id, key } = await tenant({ pendingEmails: 10, pendingBytes: 1_000 });
    // What the projector would have counted for this tenant.
    await pool.query(
      `INSERT INTO read_model.tenant_pending (tenant_id, emails, bytes) VALUES ($1, 9, 900)`,
      [id],
    );
    const emails = await batch(key, 2);
    expect(emails.status).toBe(429);
    expect(emails.body.details).toMatchObject({ limit: 'pendingEmails', used: 9, requested: 2 });
    expect(emails.headers.get('retry-after')).toBe('60');
    const bytes = await api.call('POST', '/v1/emails', {
      key,
      body: emailBody({ subject: 's', text: 'x'.repeat(100) }),
    });
    expect(bytes.status).toBe(429);
    expect(bytes.body.details).toMatchObject({ limit: 'pendingBytes', used: 900, requested: 101 });
    expect(
      (await api.call('POST', '/v1/emails', { key, body: emailBody({ subject: 's', text: 'x' }) }))
        .status,
    ).toBe(201);
    const stats = await api.call('GET', '/v1/stats', { key });
    expect(stats.body.limits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'pendingEmails', value: 10, used: 9, remaining: 1 }),
      ]),
    );
  });

  it('a CSV import over a quota stops with a 429 naming the limit, keeping the rows before it', async () => {
    const { key } = await tenant({ emailsPerDay: 3 });
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const lines = ['from,to,subject,text,sendAt'];
    for (let i = 1; i <= 5; i += 1)
      lines.push(`s@example.com,u${i}@example.com,Hi ${i},Body,${sendAt}`);
    const form = new FormData();
    form.append('file', new Blob([`${lines.join('\n')}\n`], { type: 'text/csv' }), 'e.csv');
    const reply = await api.call('POST', '/v1/emails/import', { key, form });
    expect(reply.status).toBe(429);
    expect(reply.headers.get('retry-after')).toMatch(/^\d+$/);
    const details = reply.body.details as Record<string, unknown>;
    expect(details).toMatchObject({ limit: 'emailsPerDay', limitValue: 3, accepted: 3 });
    expect(details.ids).toHaveLength(3);
    expect(String(reply.body.message)).toMatch(
      /^CSV import stopped at row \d: tenant quota emailsPerDay/,
    );
  });

  it('admin keys write in tenant admin, which no quota binds', async () => {
    await api.call('PUT', '/v1/admin/tenants/admin/limits', { body: { emailsPerMinute: 1 } });
    expect((await batch(api.adminKey ?? '', 3)).status).toBe(200);
  });
});

describe('PUT /v1/admin/tenants/:tenantId/limits', () => {
  it.each([
    [{ emailsPerMinute: -1 }, 'emailsPerMinute'],
    [{ pendingBytes: 1.5 }, 'pendingBytes'],
    [{ sendsPerWindow: '10' }, 'sendsPerWindow'],
    [{ perFortnight: 3 }, 'perFortnight'],
  ])('refuses %j with a 400 naming the field', async (body, field) => {
    const reply = await api.call('PUT', '/v1/admin/tenants/acme/limits', { body });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body.details)).toContain(field);
  });

  it('refuses a bad tenant id (400), and a sender key (403)', async () => {
    expect((await api.call('PUT', '/v1/admin/tenants/a%20b/limits', { body: {} })).status).toBe(
      400,
    );
    const { id, key } = await tenant({});
    expect(
      (
        await api.call('PUT', `/v1/admin/tenants/${id}/limits`, {
          key,
          body: { emailsPerDay: 1e6 },
        })
      ).status,
    ).toBe(403);
  });

  it('replaces the overrides; GET reads them back with the limits in effect', async () => {
    const { id } = await tenant({ emailsPerHour: 7, sendsPerWindow: 2 });
    const put = await api.call('PUT', `/v1/admin/tenants/${id}/limits`, {
      body: { emailsPerDay: 9 },
    });
    expect(put.body.overrides).toEqual({ emailsPerDay: 9 });
    const got = await api.call('GET', `/v1/admin/tenants/${id}/limits`);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ tenantId: id, overrides: { emailsPerDay: 9 } });
    expect(got.body.limits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'emailsPerHour', value: 100_000, overridden: false }),
        expect.objectContaining({ name: 'emailsPerDay', value: 9, overridden: true }),
      ]),
    );
  });
});
