// Who may send as whom, through HTTP on real Postgres and Redis: a sender key's `from` must be at one of its
// tenant's sender domains (set by an admin at /v1/admin/tenants/:tenantId/sender-domains) on every way in
// (one email, a batch, a CSV import); admin keys may send from any address; what is already scheduled stays.

import { emailBody, startApi, type ApiHarness } from '../testing/api-harness';

let api: ApiHarness;
let acme: string;
let newco: string;

const call: ApiHarness['call'] = (...args) => api.call(...args);

async function senderKey(tenantId: string): Promise<string> {
  const minted = await call('POST', '/v1/admin/api-keys', { body: { role: 'sender', tenantId } });
  expect(minted.status).toBe(201);
  return String(minted.body.key);
}

function setDomains(tenantId: string, domains: unknown, key?: string): ReturnType<typeof call> {
  return call('PUT', `/v1/admin/tenants/${tenantId}/sender-domains`, { body: { domains }, key });
}

const forbiddenFrom = (reason: unknown): Record<string, unknown> => ({
  statusCode: 403,
  error: 'Forbidden',
  message: expect.any(String),
  details: [{ field: 'from', reason }],
});

const NOT_ACME = "domain globex.com is not one of tenant acme's sender domains";

beforeAll(async () => {
  api = await startApi({ name: 'sender_identity' });
  acme = await senderKey('acme');
  newco = await senderKey('newco');
  expect((await setDomains('acme', ['acme.com', 'mail.acme.com'])).status).toBe(200);
});

afterAll(async () => {
  await api?.close();
});

describe('PUT and GET /v1/admin/tenants/:tenantId/sender-domains', () => {
  it('stores the domains lower-cased without duplicates, and reads them back', async () => {
    const put = await setDomains('roundtrip', [
      'Shop.Example',
      'shop.example',
      'news.shop.example',
    ]);
    expect(put).toMatchObject({
      status: 200,
      body: {
        tenantId: 'roundtrip',
        senderDomains: ['shop.example', 'news.shop.example'],
        limits: {},
        updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      },
    });
    const get = await call('GET', '/v1/admin/tenants/roundtrip/sender-domains');
    expect(get).toMatchObject({ status: 200, body: put.body });
    const list = await call('GET', '/v1/admin/tenants');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual(expect.arrayContaining([put.body]));
  });

  it('answers a tenant nobody configured with no domains', async () => {
    expect(await call('GET', '/v1/admin/tenants/nobody/sender-domains')).toMatchObject({
      status: 200,
      body: { tenantId: 'nobody', senderDomains: [], limits: {}, updatedAt: null },
    });
  });

  it.each<[string, string, unknown, string]>([
    ['a malformed tenant id', 'has%20space', ['a.example'], 'tenantId'],
    ['a reserved tenant id', 'admin', ['a.example'], 'tenantId'],
    ['no list', 'acme', undefined, 'domains'],
    ['too many domains', 'acme', Array.from({ length: 101 }, (_, i) => `d${i}.example`), 'domains'],
    ['a wildcard', 'acme', ['acme.com', '*.acme.com'], 'domains[1]'],
    ['a name without a dot', 'acme', ['localhost'], 'domains[0]'],
    ['an address instead of a domain', 'acme', ['ceo@acme.com'], 'domains[0]'],
    ['an IP literal', 'acme', ['[10.0.0.1]'], 'domains[0]'],
    ['a number', 'acme', [42], 'domains[0]'],
  ])(
    'answers 400 naming the field for %s, and changes nothing',
    async (_, tenantId, domains, field) => {
      const reply = await setDomains(tenantId, domains);
      expect(reply.status).toBe(400);
      expect(reply.body.details).toEqual(
        expect.arrayContaining([{ field, reason: expect.any(String) as unknown }]),
      );
      const acmeNow = await call('GET', '/v1/admin/tenants/acme/sender-domains');
      expect(acmeNow.body.senderDomains).toEqual(['acme.com', 'mail.acme.com']);
    },
  );

  it('is for admins: a sender key gets 403 reading or writing', async () => {
    expect((await setDomains('acme', ['globex.com'], acme)).status).toBe(403);
    expect((await call('GET', '/v1/admin/tenants/acme/sender-domains', { key: acme })).status).toBe(
      403,
    );
    expect((await call('GET', '/v1/admin/tenants', { key: acme })).status).toBe(403);
  });
});

describe('a sender key scheduling', () => {
  it('schedules from its own domains (exactly, in any case)', async () => {
    for (const from of ['billing@acme.com', 'News <news@Mail.Acme.com>']) {
      const reply = await call('POST', '/v1/emails', { key: acme, body: emailBody({ from }) });
      expect(reply.status).toBe(201);
    }
  });

  it("is refused another tenant's domain: 403 naming from, and nothing written", async () => {
    const before = await api.eventCount();
    for (const from of ['ceo@globex.com', 'CEO <ceo@GLOBEX.com>']) {
      const reply = await call('POST', '/v1/emails', { key: acme, body: emailBody({ from }) });
      expect(reply).toMatchObject({ status: 403, body: forbiddenFrom(NOT_ACME) });
    }
    // A subdomain is another domain, which may belong to someone else.
    const sub = await call('POST', '/v1/emails', {
      key: acme,
      body: emailBody({ from: 'x@eu.mail.acme.com' }),
    });
    expect(sub.status).toBe(403);
    expect(await api.eventCount()).toBe(before);
  });

  it('is refused every address while its tenant has no sender domains, told an admin must set them', async () => {
    const reply = await call('POST', '/v1/emails', {
      key: newco,
      body: emailBody({ from: 'hello@newco.com' }),
    });
    expect(reply).toMatchObject({
      status: 403,
      body: forbiddenFrom(
        expect.stringContaining(
          'tenant newco has no sender domains configured: an admin must configure them first (PUT /v1/admin/tenants/<tenantId>/sender-domains)',
        ),
      ),
    });
  });

  it('gets a per-item 403 in a batch, the other items scheduled', async () => {
    const before = await api.eventCount();
    const reply = await call('POST', '/v1/emails/batch', {
      key: acme,
      body: {
        emails: [
          emailBody({ from: 'a@acme.com' }),
          emailBody({ from: 'ceo@globex.com' }),
          emailBody({ from: 'b@acme.com' }),
        ],
      },
    });
    expect(reply.status).toBe(200);
    const results = reply.body.results as { index: number; status: number; error?: unknown }[];
    expect(results.map((r) => r.status)).toEqual([201, 403, 201]);
    expect(results[1]?.error).toEqual(forbiddenFrom(NOT_ACME));
    expect(await api.eventCount()).toBe(before + 2);
  });

  it('gets a per-row 403 in a CSV import, the other rows scheduled', async () => {
    const sendAt = new Date(Date.now() + 3_600_000).toISOString();
    const csv = [
      'from,to,subject,text,sendAt',
      `a@acme.com,one@example.com,One,Hi,${sendAt}`,
      `ceo@globex.com,two@example.com,Two,Hi,${sendAt}`,
      `b@acme.com,three@example.com,Three,Hi,${sendAt}`,
    ].join('\n');
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'emails.csv');
    const reply = await call('POST', '/v1/emails/import', { key: acme, form });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      accepted: 2,
      rejected: 1,
      rows: [{ row: 2, status: 403, errors: [{ field: 'from', reason: NOT_ACME }] }],
    });
  });

  it('keeps what it scheduled when its domains are taken away: reschedule and cancel still work', async () => {
    const tenant = 'shrinking';
    const key = await senderKey(tenant);
    expect((await setDomains(tenant, ['shrink.example'])).status).toBe(200);
    const scheduled = await call('POST', '/v1/emails', {
      key,
      body: emailBody({ from: 'x@shrink.example' }),
    });
    expect(scheduled.status).toBe(201);
    const id = String(scheduled.body.id);
    expect((await setDomains(tenant, [])).status).toBe(200);

    // Edits do not change `from`, so they are not the identity's business.
    const moved = await call('PATCH', `/v1/emails/${id}`, {
      key,
      body: { sendAt: new Date(Date.now() + 7_200_000).toISOString() },
      headers: { 'if-match': '"0"' },
    });
    expect(moved.status).toBe(200);
    expect((await call('DELETE', `/v1/emails/${id}`, { key })).status).toBe(200);
    // New emails, though, wait for an admin.
    const refused = await call('POST', '/v1/emails', {
      key,
      body: emailBody({ from: 'x@shrink.example' }),
    });
    expect(refused.status).toBe(403);
  });
});

describe('an admin key scheduling', () => {
  it('may send from any address', async () => {
    const reply = await call('POST', '/v1/emails', { body: emailBody({ from: 'ceo@globex.com' }) });
    expect(reply.status).toBe(201);
  });
});
