import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/read-model';
import { waitFor } from '@app/testing';
import { useSecurityHeaders } from '../common/security-headers';
import { useDashboard } from '../dashboard/serve-dashboard';
import { emailBody, startApi, type ApiHarness } from '../testing/api-harness';
import { SessionsRepository } from './sessions.repository';

interface Body {
  readonly [key: string]: unknown;
  readonly key: string;
  readonly id: string;
  readonly csrfToken: string;
  readonly items: readonly { readonly id: string; readonly tenant: string }[];
  readonly nextCursor: string | null;
  readonly countsByStatus: Record<string, number>;
  readonly tenant: string | null;
}

let api: ApiHarness<Body>;
let dashboard: string;
let pool: Pool;
let store: PostgresEventStore;
let runner: ProjectionRunner;

/** OpenID Connect configured (never reached: sessions are made as its callback would make them). */
const ISSUER = 'http://127.0.0.1:9';
const OIDC_ENV = {
  OIDC_ISSUER: ISSUER,
  OIDC_CLIENT_ID: 'client',
  OIDC_CLIENT_SECRET: 'secret',
  OIDC_REDIRECT_URL: 'http://127.0.0.1:3000/v1/auth/oidc/callback',
  OIDC_ADMIN_EMAILS: 'ops@example.com',
  OIDC_TENANT_DOMAINS: 'acme.example=acme',
};

/** A session as the OIDC callback makes it for `email` (subject `sub`), and its cookie. */
async function oidcSession(
  sub: string,
  email: string,
  role: 'admin' | 'sender',
  tenantId: string,
): Promise<{ cookie: string; id: string }> {
  const { token, session } = await api.app.get(SessionsRepository).create({
    role,
    tenantId,
    method: 'oidc',
    identity: { issuer: ISSUER, subject: sub, email, hostedDomain: null },
    ttlMs: 3_600_000,
  });
  return { cookie: `es_session=${token}`, id: session.id };
}

interface Signed {
  readonly cookie: string;
  readonly csrf: string;
  readonly setCookie: string;
}

async function signIn(apiKey: string, headers: Record<string, string> = {}): Promise<Signed> {
  const reply = await api.call('POST', '/v1/session', { key: null, body: { apiKey }, headers });
  expect(reply.status).toBe(200);
  const setCookie = reply.headers.get('set-cookie') ?? '';
  return { setCookie, cookie: setCookie.split(';')[0] ?? '', csrf: reply.body.csrfToken };
}

/** A sender key of the tenant, which may send from example.com (emailBody's sender). */
async function senderKey(tenantId: string): Promise<{ id: string; key: string }> {
  const minted = await api.call('POST', '/v1/admin/api-keys', {
    body: { role: 'sender', tenantId },
  });
  expect(minted.status).toBe(201);
  const domains = await api.call('PUT', `/v1/admin/tenants/${tenantId}/sender-domains`, {
    body: { domains: ['example.com'] },
  });
  expect(domains.status).toBe(200);
  return { id: minted.body.id, key: minted.body.key };
}

beforeAll(async () => {
  // A stand-in for `npm run build`'s dashboard: what matters here is how the api serves it.
  dashboard = mkdtempSync(join(tmpdir(), 'dashboard-'));
  mkdirSync(join(dashboard, 'assets'));
  writeFileSync(join(dashboard, 'index.html'), '<!doctype html><title>dashboard</title>');
  writeFileSync(join(dashboard, 'assets', 'app-1234.js'), 'console.log("app")');
  api = await startApi<Body>({
    name: 'sessions',
    env: OIDC_ENV,
    configure: (app) => {
      useSecurityHeaders(app);
      useDashboard(app, dashboard);
    },
  });
  pool = new Pool({ connectionString: api.database.url, max: 4 });
  pool.on('error', () => undefined);
  store = await PostgresEventStore.open({ connectionString: api.database.url });
  runner = new ProjectionRunner(pool, store, { batchSize: 50, rebuildPollMs: 100 });
  runner.start();
});

afterAll(async () => {
  await runner?.stop();
  await store?.close();
  await pool?.end();
  await api?.close();
  rmSync(dashboard, { recursive: true, force: true });
});

describe('signing in to the dashboard with an API key', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and says who is signed in', async () => {
    const reply = await api.call('POST', '/v1/session', {
      key: null,
      body: { apiKey: api.adminKey },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('set-cookie')).toMatch(
      /^es_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/,
    );
    expect(reply.body).toEqual({
      role: 'admin',
      tenantId: 'admin',
      subject: 'ADMIN_API_KEY',
      method: 'api-key',
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
      expiresAt: expect.any(String) as unknown,
    });
    const cookie = reply.headers.get('set-cookie')?.split(';')[0] ?? '';
    const me = await api.call('GET', '/v1/session', { key: null, headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(reply.body);
  });

  it('believes no X-Forwarded-Proto without TRUSTED_PROXIES: plain cookie, no Secure', async () => {
    const signed = await signIn(api.adminKey ?? '', { 'x-forwarded-proto': 'https' });
    expect(signed.setCookie).toMatch(
      /^es_session=[^;]+; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax$/,
    );
  });

  it('names the cookie __Host-es_session and marks it Secure behind a trusted https proxy', async () => {
    const behind = await startApi<Body>({
      database: api.database,
      env: { ...OIDC_ENV, TRUSTED_PROXIES: 'loopback' },
    });
    try {
      const https = { 'x-forwarded-proto': 'https' };
      const reply = await behind.call('POST', '/v1/session', {
        key: null,
        body: { apiKey: api.adminKey },
        headers: https,
      });
      const setCookie = reply.headers.get('set-cookie') ?? '';
      expect(setCookie).toMatch(
        /^__Host-es_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=28800; HttpOnly; SameSite=Lax; Secure$/,
      );
      const token = setCookie.split(';')[0]?.slice('__Host-es_session='.length) ?? '';
      const read = (cookie: string): Promise<number> =>
        behind
          .call('GET', '/v1/session', { key: null, headers: { ...https, cookie } })
          .then((me) => me.status);
      expect(await read(`__Host-es_session=${token}`)).toBe(200);
      // Over https only the prefixed cookie counts: a plain one may have been planted.
      expect(await read(`es_session=${token}`)).toBe(401);
    } finally {
      await behind.close();
    }
  });

  it('stores only the SHA-256 of the cookie token', async () => {
    const signed = await signIn(api.adminKey ?? '');
    const token = signed.cookie.slice('es_session='.length);
    const { rows } = await api.sql.query<{ whole: string }>(
      `SELECT string_agg(row_to_json(s)::text, '') AS whole FROM auth.sessions s`,
    );
    expect(rows[0]?.whole).not.toContain(token);
  });

  it.each<[string, unknown, Record<string, string>, number]>([
    ['a wrong key', { apiKey: 'esk_wrong' }, {}, 401],
    ['no key', {}, {}, 400],
    ['a sign-in posted by another site', { apiKey: 'x' }, { origin: 'https://evil.example' }, 403],
  ])('answers %s with %i and no cookie', async (_what, body, headers, status) => {
    const reply = await api.call('POST', '/v1/session', { key: null, body, headers });
    expect(reply.status).toBe(status);
    expect(reply.headers.get('set-cookie')).toBeNull();
  });
});

describe('a cookie-authenticated session', () => {
  it('reads without the CSRF token, but writes only with it', async () => {
    const { cookie, csrf } = await signIn(api.adminKey ?? '');
    expect((await api.call('GET', '/v1/emails', { key: null, headers: { cookie } })).status).toBe(
      200,
    );
    const before = await api.eventCount();
    const attempts: Record<string, string>[] = [
      { cookie },
      { cookie, 'x-csrf-token': `${csrf.slice(1)}x` },
    ];
    for (const headers of attempts) {
      const refused = await api.call('POST', '/v1/emails', {
        key: null,
        body: emailBody(),
        headers,
      });
      expect(refused.status).toBe(403);
      expect(refused.body.message).toMatch(/x-csrf-token/);
    }
    expect(await api.eventCount()).toBe(before);
    const accepted = await api.call('POST', '/v1/emails', {
      key: null,
      body: emailBody(),
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(accepted.status).toBe(201);
  });

  it('refuses a write from another origin even with the token', async () => {
    const { cookie, csrf } = await signIn(api.adminKey ?? '');
    const headers = { cookie, 'x-csrf-token': csrf };
    const crossSite = await api.call('POST', '/v1/emails', {
      key: null,
      body: emailBody(),
      headers: { ...headers, origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    // Same host and port, another scheme: another origin.
    const otherScheme = await api.call('POST', '/v1/emails', {
      key: null,
      body: emailBody(),
      headers: { ...headers, origin: api.baseUrl.replace('http://', 'https://') },
    });
    expect(otherScheme.status).toBe(403);
    const sameSite = await api.call('POST', '/v1/emails', {
      key: null,
      body: emailBody(),
      headers: { ...headers, origin: api.baseUrl },
    });
    expect(sameSite.status).toBe(201);
  });

  it('ends at sign-out: the cookie is cleared and no longer admitted', async () => {
    const { cookie, csrf } = await signIn(api.adminKey ?? '');
    expect(
      (await api.call('DELETE', '/v1/session', { key: null, headers: { cookie } })).status,
    ).toBe(403);
    const out = await api.call('DELETE', '/v1/session', {
      key: null,
      headers: { cookie, 'x-csrf-token': csrf },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/^es_session=; Path=\/; Max-Age=0; HttpOnly/);
    expect((await api.call('GET', '/v1/session', { key: null, headers: { cookie } })).status).toBe(
      401,
    );
  });

  it('ends when the API key it was signed in with is revoked', async () => {
    const sender = await senderKey('revoked-tenant');
    const { cookie } = await signIn(sender.key);
    expect((await api.call('GET', '/v1/session', { key: null, headers: { cookie } })).status).toBe(
      200,
    );
    expect((await api.call('DELETE', `/v1/admin/api-keys/${sender.id}`)).status).toBe(204);
    expect((await api.call('GET', '/v1/session', { key: null, headers: { cookie } })).status).toBe(
      401,
    );
  });

  it("keeps a sender's session out of /v1/admin (403)", async () => {
    const { cookie } = await signIn((await senderKey('plain-sender')).key);
    const reply = await api.call('GET', '/v1/admin/emails', { key: null, headers: { cookie } });
    expect(reply.status).toBe(403);
  });

  it('is refused (401) once the cookie is not a live session', async () => {
    const reply = await api.call('GET', '/v1/emails', {
      key: null,
      headers: { cookie: 'es_session=not-a-session' },
    });
    expect(reply.status).toBe(401);
  });
});

describe('an OpenID Connect session', () => {
  it('is re-mapped through the configuration on every request: a removed admin is refused and ended', async () => {
    const { cookie } = await oidcSession('google-sub-1', 'ops@example.com', 'admin', 'admin');
    const me = await api.call('GET', '/v1/session', { key: null, headers: { cookie } });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ role: 'admin', subject: 'ops@example.com', method: 'oidc' });

    // The same database, restarted with ops@example.com gone from OIDC_ADMIN_EMAILS.
    const later = await startApi<Body>({
      database: api.database,
      env: { ...OIDC_ENV, OIDC_ADMIN_EMAILS: 'root@example.com' },
    });
    try {
      const refused = await later.call('GET', '/v1/admin/emails', {
        key: null,
        headers: { cookie },
      });
      expect(refused.status).toBe(401);
    } finally {
      await later.close();
    }
    // Ended, not just refused: the old configuration does not bring it back.
    expect((await api.call('GET', '/v1/session', { key: null, headers: { cookie } })).status).toBe(
      401,
    );
  });

  it('ends when its person now maps to another role or tenant', async () => {
    const { cookie } = await oidcSession('google-sub-2', 'ada@acme.example', 'sender', 'globex');
    expect((await api.call('GET', '/v1/session', { key: null, headers: { cookie } })).status).toBe(
      401,
    );
  });

  it('shows the email, and is throttled per issuer and subject', async () => {
    const { cookie } = await oidcSession('google-sub-3', 'bob@acme.example', 'sender', 'acme');
    const reply = await api.call('GET', '/v1/session', { key: null, headers: { cookie } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ subject: 'bob@acme.example', tenantId: 'acme' });
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
    try {
      const counters = await redis.keys(`*api-rate-limit:default:key:oidc:${ISSUER}#google-sub-3*`);
      expect(counters).not.toHaveLength(0);
    } finally {
      redis.disconnect();
    }
  });
});

describe('GET and DELETE /v1/admin/sessions', () => {
  it('lists live sessions without their tokens, and ends them by key, by person or by id', async () => {
    const sender = await senderKey('listed');
    const byKey = await signIn(sender.key);
    const person = await oidcSession('google-sub-9', 'eve@acme.example', 'sender', 'acme');
    const again = await oidcSession('google-sub-9', 'eve@acme.example', 'sender', 'acme');
    const single = await signIn(sender.key);

    const listed = await api.call('GET', '/v1/admin/sessions');
    expect(listed.status).toBe(200);
    const items = listed.body.items as unknown as Record<string, unknown>[];
    expect(items).toContainEqual({
      id: person.id,
      method: 'oidc',
      subject: 'google-sub-9',
      issuer: ISSUER,
      email: 'eve@acme.example',
      apiKeyId: null,
      role: 'sender',
      tenantId: 'acme',
      createdAt: expect.any(String) as unknown,
      expiresAt: expect.any(String) as unknown,
    });
    expect(items.filter((item) => item.apiKeyId === sender.id)).toHaveLength(2);
    for (const cookie of [byKey.cookie, person.cookie, single.cookie]) {
      expect(listed.text).not.toContain(cookie.split('=')[1]);
    }
    const { rows } = await api.sql.query<{ hash: string }>(
      `SELECT encode(token_hash, 'hex') AS hash FROM auth.sessions`,
    );
    for (const row of rows) expect(listed.text).not.toContain(row.hash);

    const status = (cookie: string): Promise<number> =>
      api.call('GET', '/v1/session', { key: null, headers: { cookie } }).then((me) => me.status);
    const singleId = items.find((item) => item.apiKeyId === sender.id && item.id !== undefined);
    expect(singleId).toBeDefined();

    const bySubject = await api.call(
      'DELETE',
      `/v1/admin/sessions?subject=google-sub-9&issuer=${encodeURIComponent(ISSUER)}`,
    );
    expect(bySubject.body).toEqual({ ended: 2 });
    expect([await status(person.cookie), await status(again.cookie)]).toEqual([401, 401]);
    expect(await status(byKey.cookie)).toBe(200);

    const oneId = items.filter((item) => item.apiKeyId === sender.id)[0]?.id as string;
    expect((await api.call('DELETE', `/v1/admin/sessions?id=${oneId}`)).body).toEqual({ ended: 1 });
    const byKeyId = await api.call('DELETE', `/v1/admin/sessions?apiKeyId=${sender.id}`);
    expect(byKeyId.body).toEqual({ ended: 1 });
    expect([await status(byKey.cookie), await status(single.cookie)]).toEqual([401, 401]);
    // The key itself stays live: ending sessions is not revoking.
    expect((await api.call('GET', '/v1/stats', { key: sender.key })).status).toBe(200);
  });

  it.each<[string, string]>([
    ['', 'id'],
    ['?subject=google-sub-9', 'issuer'],
    [`?issuer=x&apiKeyId=00000000-0000-4000-8000-000000000000`, 'issuer'],
    [
      '?id=00000000-0000-4000-8000-000000000000&apiKeyId=00000000-0000-4000-8000-000000000000',
      'apiKeyId',
    ],
    ['?id=not-a-uuid', 'id'],
  ])('answers 400 naming the field for DELETE %s', async (query, field) => {
    const reply = await api.call('DELETE', `/v1/admin/sessions${query}`);
    expect(reply.status).toBe(400);
    expect(reply.body.details).toContainEqual(expect.objectContaining({ field }));
  });

  it('is for admins only', async () => {
    const sender = await senderKey('nosy');
    expect((await api.call('GET', '/v1/admin/sessions', { key: sender.key })).status).toBe(403);
  });
});

describe('the tenant-scoped list and stats', () => {
  it('GET /v1/emails lists only the caller’s tenant, with the admin list’s filters and paging', async () => {
    const acme = await senderKey('acme');
    const globex = await senderKey('globex');
    const acmeIds: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const reply = await api.call('POST', '/v1/emails', {
        key: acme.key,
        body: emailBody({ tags: i === 0 ? ['promo'] : [] }),
      });
      acmeIds.push(reply.body.id);
    }
    await api.call('POST', '/v1/emails', { key: globex.key, body: emailBody() });
    const listed = async (query: string): Promise<Body> =>
      (await api.call('GET', `/v1/emails${query}`, { key: acme.key })).body;
    await waitFor('the projection of acme’s emails', async () => {
      return (await listed('?limit=500')).items.length === 3;
    });
    expect((await listed('?limit=500')).items.map((item) => item.tenant)).toEqual([
      'acme',
      'acme',
      'acme',
    ]);
    expect((await listed('?tag=promo')).items.map((item) => item.id)).toEqual([acmeIds[0]]);
    const first = await listed('?limit=2');
    expect(first.items).toHaveLength(2);
    const second = await listed(`?limit=2&cursor=${first.nextCursor}`);
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();

    const bad = await api.call('GET', '/v1/emails?tenant=globex&sendAfter=yesterday', {
      key: acme.key,
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toMatch(/tenant.*is not an accepted field|sendAfter/);
  });

  it('GET /v1/stats counts only the caller’s tenant', async () => {
    const solo = await senderKey('solo');
    await api.call('POST', '/v1/emails', { key: solo.key, body: emailBody() });
    await waitFor('the projection of solo’s email', async () => {
      const stats = await api.call('GET', '/v1/stats', { key: solo.key });
      return stats.body.countsByStatus?.scheduled === 1;
    });
    const stats = await api.call('GET', '/v1/stats', { key: solo.key });
    expect(stats.body.tenant).toBe('solo');
    expect(stats.body.countsByStatus).toEqual({
      scheduled: 1,
      paused: 0,
      attempting: 0,
      sent: 0,
      failed: 0,
      cancelled: 0,
      expired: 0,
    });
  });
});

describe('serving the dashboard', () => {
  it.each(['/', '/emails', '/emails/5b0c6a2e-0000-4000-8000-000000000000?created=1'])(
    'answers a browser asking for %s with the app, under the dashboard’s strict CSP',
    async (path) => {
      const reply = await api.call('GET', path, { key: null, headers: { accept: 'text/html' } });
      expect(reply.status).toBe(200);
      expect(reply.text).toContain('<title>dashboard</title>');
      const csp = reply.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    },
  );

  it('serves the hashed assets for a year', async () => {
    const reply = await api.call('GET', '/assets/app-1234.js', { key: null });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
  });

  it.each(['/v1/emails', '/health/live', '/metrics', '/docs-json', '/v1/nothing-here'])(
    'leaves %s to the api',
    async (path) => {
      const reply = await api.call('GET', path, { key: null, headers: { accept: 'text/html' } });
      expect(reply.text).not.toContain('<title>dashboard</title>');
    },
  );
});
