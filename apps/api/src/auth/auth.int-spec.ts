import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { Pool } from 'pg';
import type { Environment } from '@app/platform';
import { createTestDatabase, freePort, type TestDatabase } from '@app/testing';
import { startApi, type ApiHarness } from '../testing/api-harness';
import { generateApiKey, hashApiKey } from './api-key';
import { ApiKeysRepository } from './api-keys.repository';
import { AUTH_MIGRATIONS } from './auth.migrations';
import { migrateAuthSchema } from './auth.migrator';

const ADMIN_API_KEY = 'bootstrap-admin-key-for-tests-0123456789';
// The rate-limit counters live in Redis: this suite's own database, emptied before and after, so
// no other suite's requests from 127.0.0.1 count against its limits.
const REDIS_DB = 15;
const REDIS_URL = ((): string => {
  const url = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379/0');
  url.pathname = `/${REDIS_DB}`;
  return url.toString();
})();

type Running = ApiHarness<unknown>;

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

let database: TestDatabase;
let pool: Pool;
let redis: Redis;

/** The real AppModule on the suite's database, as a bare Nest app on the default rate limit. */
function boot(env: Environment = {}): Promise<Running> {
  return startApi<unknown>({
    database,
    adminKey: ADMIN_API_KEY,
    http: false,
    env: { API_RATE_LIMIT: undefined, REDIS_URL, ...env },
  });
}

/** Sends no key unless given one; `authorization` sets the header verbatim. */
async function call(
  running: Running,
  method: string,
  path: string,
  options: { key?: string; authorization?: string; body?: unknown } = {},
): Promise<Reply> {
  const reply = await running.call(method, path, {
    key: options.key ?? null,
    headers: options.authorization === undefined ? {} : { authorization: options.authorization },
    body: options.body,
    timeoutMs: 10_000,
  });
  return {
    status: reply.status,
    headers: reply.headers,
    body: reply.text === '' ? undefined : reply.body,
  };
}

interface MintedKey {
  id: string;
  key: string;
  role: string;
  tenantId: string;
  name: string | null;
  createdAt: string;
}

async function mint(running: Running, body: unknown, key = ADMIN_API_KEY): Promise<MintedKey> {
  const reply = await call(running, 'POST', '/v1/admin/api-keys', { key, body });
  expect(reply.status).toBe(201);
  return reply.body as MintedKey;
}

function errorBody(statusCode: number, error: string): unknown {
  return { statusCode, error, message: expect.any(String) as unknown };
}

beforeAll(async () => {
  database = await createTestDatabase('auth');
  pool = new Pool({ connectionString: database.url });
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  await redis.flushdb();
});

afterAll(async () => {
  await redis?.flushdb();
  redis?.disconnect();
  await pool?.end();
  await database?.drop();
});

describe('API-key authentication', () => {
  let running: Running;

  beforeAll(async () => {
    running = await boot();
  });

  afterAll(async () => {
    await running?.close();
  });

  it('leaves /health public', async () => {
    expect((await call(running, 'GET', '/health/live')).status).toBe(200);
  });

  it('answers 401 without a key', async () => {
    const reply = await call(running, 'GET', '/v1/admin/api-keys');
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(errorBody(401, 'Unauthorized'));
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    ['an unknown key', 'Bearer esk_notakeythatexists'],
    ['another scheme', `Basic ${Buffer.from(`x:${ADMIN_API_KEY}`).toString('base64')}`],
    ['the admin key unprefixed', ADMIN_API_KEY],
    ['an empty bearer', 'Bearer '],
  ])('answers 401 for %s', async (_what, authorization) => {
    const reply = await call(running, 'GET', '/v1/admin/api-keys', { authorization });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(errorBody(401, 'Unauthorized'));
  });

  it('admits the ADMIN_API_KEY bootstrap key on admin routes', async () => {
    const reply = await call(running, 'GET', '/v1/admin/api-keys', { key: ADMIN_API_KEY });
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      items: [
        {
          id: expect.any(String) as unknown,
          role: 'admin',
          tenantId: 'admin',
          name: 'ADMIN_API_KEY',
          createdAt: expect.any(String) as unknown,
          revokedAt: null,
        },
      ],
    });
  });

  it('mints a sender key, shown once, that authenticates but is refused admin routes (403)', async () => {
    const minted = await mint(running, { role: 'sender', tenantId: 'acme', name: 'acme prod' });
    expect(minted).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      key: expect.stringMatching(/^esk_[A-Za-z0-9_-]{43}$/) as unknown,
      role: 'sender',
      tenantId: 'acme',
      name: 'acme prod',
      createdAt: expect.any(String) as unknown,
    });

    // 403, not 401: the key was recognised, the role is what is refused.
    for (const [method, body] of [['GET'], ['POST', { role: 'sender', tenantId: 'x' }]] as const) {
      const reply = await call(running, method, '/v1/admin/api-keys', { key: minted.key, body });
      expect(reply.status).toBe(403);
      expect(reply.body).toEqual(errorBody(403, 'Forbidden'));
    }
    const revoke = await call(running, 'DELETE', `/v1/admin/api-keys/${minted.id}`, {
      key: minted.key,
    });
    expect(revoke.status).toBe(403);

    const listed = await call(running, 'GET', '/v1/admin/api-keys', { key: ADMIN_API_KEY });
    const text = JSON.stringify(listed.body);
    expect(text).toContain(minted.id);
    expect(text).not.toContain(minted.key);
    expect(text).not.toMatch(/hash/i);
  });

  it('mints admin keys that work on admin routes', async () => {
    const admin = await mint(running, { role: 'admin' });
    expect(admin).toMatchObject({ role: 'admin', tenantId: 'admin', name: null });
    const reply = await call(running, 'GET', '/v1/admin/api-keys', { key: admin.key });
    expect(reply.status).toBe(200);
  });

  it('stores only the SHA-256 of each key', async () => {
    const minted = await mint(running, { role: 'sender', tenantId: 'hashed' });
    const { rows } = await pool.query<{ key_hash: Buffer; whole: string }>(
      `SELECT key_hash, row_to_json(k)::text AS whole FROM auth.api_keys k WHERE id = $1`,
      [minted.id],
    );
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.key_hash.equals(createHash('sha256').update(minted.key).digest())).toBe(true);
    expect(row.whole).not.toContain(minted.key);
    expect(row.whole).not.toContain(minted.key.slice(4));

    const all = await pool.query<{ whole: string }>(
      `SELECT string_agg(row_to_json(k)::text, '') AS whole FROM auth.api_keys k`,
    );
    expect(all.rows[0]?.whole).not.toContain(ADMIN_API_KEY);
  });

  it('refuses a revoked key from the next request on (401)', async () => {
    const minted = await mint(running, { role: 'admin', name: 'to revoke' });
    expect((await call(running, 'GET', '/v1/admin/api-keys', { key: minted.key })).status).toBe(
      200,
    );

    const revoke = await call(running, 'DELETE', `/v1/admin/api-keys/${minted.id}`, {
      key: ADMIN_API_KEY,
    });
    expect(revoke).toMatchObject({ status: 204, body: undefined });

    const reply = await call(running, 'GET', '/v1/admin/api-keys', { key: minted.key });
    expect(reply.status).toBe(401);
    expect(reply.body).toEqual(errorBody(401, 'Unauthorized'));

    const listed = await call(running, 'GET', '/v1/admin/api-keys', { key: ADMIN_API_KEY });
    const items = (listed.body as { items: { id: string; revokedAt: string | null }[] }).items;
    expect(items.find((item) => item.id === minted.id)?.revokedAt).toEqual(expect.any(String));

    // Revoking again is harmless.
    const again = await call(running, 'DELETE', `/v1/admin/api-keys/${minted.id}`, {
      key: ADMIN_API_KEY,
    });
    expect(again.status).toBe(204);
  });

  it.each(['00000000-0000-4000-8000-000000000000', 'not-a-uuid'])(
    'answers 404 when revoking unknown id %s',
    async (id) => {
      const reply = await call(running, 'DELETE', `/v1/admin/api-keys/${id}`, {
        key: ADMIN_API_KEY,
      });
      expect(reply.status).toBe(404);
      expect(reply.body).toEqual(errorBody(404, 'Not Found'));
    },
  );

  it.each<[string, unknown]>([
    ['a sender without a tenant', { role: 'sender' }],
    ['a bad tenant id', { role: 'sender', tenantId: 'has space' }],
    ['a tenant id over 64 characters', { role: 'sender', tenantId: 'a'.repeat(65) }],
    ['an unknown role', { role: 'root', tenantId: 'acme' }],
    ['an unknown field', { role: 'sender', tenantId: 'acme', scopes: ['*'] }],
    ['no body', undefined],
  ])('answers 400 to minting with %s', async (_what, body) => {
    const reply = await call(running, 'POST', '/v1/admin/api-keys', { key: ADMIN_API_KEY, body });
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
  });

  it.each(['admin', 'Admin', 'system', 'root', 'internal', 'service'])(
    'refuses a sender key for the reserved tenant %s: 400 naming tenantId',
    async (tenantId) => {
      const reply = await call(running, 'POST', '/v1/admin/api-keys', {
        key: ADMIN_API_KEY,
        body: { role: 'sender', tenantId },
      });
      expect(reply.status).toBe(400);
      expect(reply.body).toMatchObject({
        details: [{ field: 'tenantId', reason: expect.stringContaining('reserved') as unknown }],
      });
    },
  );

  it('refuses a sender key of a reserved tenant minted before the rule: it would read and cancel every admin email', async () => {
    // As a row written before reserved tenants were refused at minting: straight into the table.
    const key = generateApiKey();
    await new ApiKeysRepository(pool).insert({
      keyHash: hashApiKey(key),
      role: 'sender',
      tenantId: 'admin',
      name: 'from before the rule',
    });
    const listed = await call(running, 'GET', '/v1/emails', { key });
    expect(listed.status).toBe(401);
    const session = await call(running, 'POST', '/v1/session', { body: { apiKey: key } });
    expect(session.status).toBe(401);
  });

  it('still mints admin keys in the tenant admin', async () => {
    const minted = await mint(running, { role: 'admin', tenantId: 'admin' });
    expect(minted).toMatchObject({ role: 'admin', tenantId: 'admin' });
  });
});

describe('live key lookups of concurrent requests, answered together', () => {
  it('answers each lookup for its own key: live, revoked or unknown', async () => {
    await migrateAuthSchema(pool);
    const repository = new ApiKeysRepository(pool);
    const live = await Promise.all(
      ['lookup-a', 'lookup-b', 'lookup-c'].map(async (key) => {
        const record = await repository.insert({
          keyHash: hashApiKey(key),
          role: 'sender',
          tenantId: key,
          name: null,
        });
        return { key, id: record.id };
      }),
    );
    const revoked = await repository.insert({
      keyHash: hashApiKey('lookup-revoked'),
      role: 'admin',
      tenantId: 'admin',
      name: null,
    });
    await repository.revoke(revoked.id);
    const cases = [
      ...live,
      { key: 'lookup-revoked', id: undefined },
      { key: 'lookup-unknown', id: undefined },
    ];
    // Submitted in one tick: the first lookups go at once, the rest wait and go in mixed batches.
    const lookups = Array.from({ length: 20 }, (_, n) => cases[n % cases.length]!);

    const found = await Promise.all(
      lookups.map(({ key }) => repository.findLiveByHash(hashApiKey(key))),
    );

    expect(found.map((match) => match?.id)).toEqual(lookups.map(({ id }) => id));
  });
});

describe('ADMIN_API_KEY bootstrap', () => {
  it('is idempotent across restarts and concurrent starts', async () => {
    const first = await boot();
    await first.close();
    const [second, third] = await Promise.all([boot(), boot()]);
    try {
      for (const running of [second, third]) {
        const reply = await call(running, 'GET', '/v1/admin/api-keys', { key: ADMIN_API_KEY });
        expect(reply.status).toBe(200);
      }
      const { rows } = await pool.query<{ count: string }>(
        `SELECT count(*) FROM auth.api_keys WHERE name = 'ADMIN_API_KEY'`,
      );
      expect(rows[0]?.count).toBe('1');
    } finally {
      await Promise.all([second.close(), third.close()]);
    }
  });

  it('revokes the previous bootstrap key when the value changes, a .dev-admin-key too', async () => {
    // A database of its own: the rest of the suite keeps authenticating with ADMIN_API_KEY.
    const own = await createTestDatabase('auth_rotation');
    const start = (adminKey: string): Promise<Running> =>
      startApi<unknown>({ database: own, adminKey, http: false, env: { REDIS_URL } });
    // What scripts/start-all.mjs writes to .dev-admin-key and hands the api as ADMIN_API_KEY.
    const devKey = generateApiKey();
    const chosen = 'operator-chosen-admin-key-Qm8vT2xR5nW1';
    try {
      const first = await start(devKey);
      const minted = await mint(first, { role: 'sender', tenantId: 'kept' }, devKey);
      const session = await first.call('POST', '/v1/session', {
        key: null,
        body: { apiKey: devKey },
      });
      expect(session.status).toBe(200);
      const cookie = session.headers.get('set-cookie')?.split(';')[0] ?? '';
      await first.close();

      // Two processes start together with the new value.
      const [a, b] = await Promise.all([start(chosen), start(chosen)]);
      try {
        for (const running of [a, b]) {
          const old = await call(running, 'GET', '/v1/admin/api-keys', { key: devKey });
          expect(old.status).toBe(401);
          const now = await call(running, 'GET', '/v1/admin/api-keys', { key: chosen });
          expect(now.status).toBe(200);
        }
        // The old key's dashboard session ended with it; keys it minted are not bootstrap keys.
        const me = await a.call('GET', '/v1/session', { key: null, headers: { cookie } });
        expect(me.status).toBe(401);
        const sender = await call(a, 'GET', '/v1/stats', { key: minted.key });
        expect(sender.status).toBe(200);
        const { rows } = await a.sql.query<{ live: string; revoked: string }>(
          `SELECT count(*) FILTER (WHERE revoked_at IS NULL) AS live,
                  count(*) FILTER (WHERE revoked_at IS NOT NULL) AS revoked
             FROM auth.api_keys WHERE bootstrap`,
        );
        expect(rows[0]).toEqual({ live: '1', revoked: '1' });
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    } finally {
      await own.drop();
    }
  });

  it('also revokes a bootstrap key recorded before bootstrap keys were marked (003)', async () => {
    const own = await createTestDatabase('auth_upgrade');
    const ownPool = new Pool({ connectionString: own.url });
    const before = 'bootstrap-key-from-before-003-Zx81Kq';
    try {
      await migrateAuthSchema(ownPool, AUTH_MIGRATIONS.slice(0, 2));
      await ownPool.query(
        `INSERT INTO auth.api_keys (id, key_hash, role, tenant_id, name)
         VALUES (gen_random_uuid(), $1, 'admin', 'admin', 'ADMIN_API_KEY')`,
        [hashApiKey(before)],
      );
      const running = await startApi<unknown>({
        database: own,
        adminKey: 'bootstrap-key-after-003-Hq2Vn7Lw0Pz4',
        http: false,
        env: { REDIS_URL },
      });
      try {
        expect((await call(running, 'GET', '/v1/admin/api-keys', { key: before })).status).toBe(
          401,
        );
      } finally {
        await running.close();
      }
    } finally {
      await ownPool.end();
      await own.drop();
    }
  });

  it('bootstraps nothing when ADMIN_API_KEY is unset, and earlier keys keep working', async () => {
    const running = await boot({ ADMIN_API_KEY: '' });
    try {
      const reply = await call(running, 'GET', '/v1/admin/api-keys', { key: ADMIN_API_KEY });
      expect(reply.status).toBe(200);
    } finally {
      await running.close();
    }
  });
});

describe('rate limiting', () => {
  let running: Running;

  beforeAll(async () => {
    await redis.flushdb(); // the earlier suites' counts (of the same admin key, the same IP)
    running = await boot({ API_RATE_LIMIT: '3', API_RATE_LIMIT_WINDOW_MS: '60000' });
  });

  afterAll(async () => {
    await running?.close();
  });

  it('counts per key across routes and answers 429 in JSON once over the limit', async () => {
    const admin = await mint(running, { role: 'admin', name: 'throttled' });
    const sender = await mint(running, { role: 'sender', tenantId: 'throttled' });

    const statuses: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      statuses.push((await call(running, 'GET', '/v1/admin/api-keys', { key: admin.key })).status);
    }
    expect(statuses).toEqual([200, 200, 200]);
    const over = await call(running, 'POST', '/v1/admin/api-keys', {
      key: admin.key,
      body: { role: 'sender', tenantId: 'x' },
    });
    expect(over.status).toBe(429);
    expect(over.body).toEqual(errorBody(429, 'Too Many Requests'));
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);

    // Another key has its own budget.
    expect((await call(running, 'GET', '/v1/admin/api-keys', { key: sender.key })).status).toBe(
      403,
    );
  });

  it('counts requests without a valid key per client IP', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push(
        (await call(running, 'GET', '/v1/admin/api-keys', { key: `esk_wrong${i}` })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });
});

describe('rate limiting across api processes', () => {
  it('shares one limit per key between two api processes', async () => {
    await redis.flushdb();
    const env = { API_RATE_LIMIT: '3', API_RATE_LIMIT_WINDOW_MS: '60000' };
    const a = await boot(env);
    const b = await boot(env);
    try {
      const key = (await mint(a, { role: 'sender', tenantId: 'shared' })).key;
      const list = (running: Running): Promise<number> =>
        call(running, 'GET', '/v1/emails/00000000-0000-4000-8000-000000000000', { key }).then(
          (reply) => reply.status,
        );
      expect([await list(a), await list(b), await list(a)]).toEqual([404, 404, 404]);
      // Each process has seen at most two requests of this key: only a shared count says 429.
      expect(await list(b)).toBe(429);
      expect(await list(a)).toBe(429);
      expect(await redis.keys('*api-rate-limit:default:key:*')).not.toHaveLength(0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('keeps answering while Redis is out of reach, counting each process on its own', async () => {
    const running = await boot({
      API_RATE_LIMIT: '3',
      API_RATE_LIMIT_WINDOW_MS: '60000',
      REDIS_URL: `redis://127.0.0.1:${await freePort()}/0`,
    });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const reply = await call(running, 'GET', '/v1/admin/api-keys', { key: ADMIN_API_KEY });
        statuses.push(reply.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      await running.close();
    }
  });
});

describe('client addresses behind proxies', () => {
  /** Unauthenticated requests from `forwardedFor`, as a proxy would forward them. */
  async function statuses(running: Running, forwardedFor: readonly string[]): Promise<number[]> {
    const seen: number[] = [];
    for (const address of forwardedFor) {
      const reply = await running.call('GET', '/v1/admin/api-keys', {
        key: null,
        headers: { 'x-forwarded-for': address },
      });
      seen.push(reply.status);
    }
    return seen;
  }

  /** With configureHttp (trust proxy), unlike boot(). */
  function bootBehind(env: Environment): Promise<Running> {
    return startApi<unknown>({
      database,
      adminKey: ADMIN_API_KEY,
      env: { REDIS_URL, API_RATE_LIMIT: '2', API_RATE_LIMIT_WINDOW_MS: '60000', ...env },
    });
  }

  it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
    await redis.flushdb();
    const running = await bootBehind({});
    try {
      // Three "clients" that are one peer: one bucket of two.
      expect(await statuses(running, ['203.0.113.1', '203.0.113.2', '203.0.113.3'])).toEqual([
        401, 401, 429,
      ]);
    } finally {
      await running.close();
    }
  });

  it('counts per forwarded client behind a trusted proxy, IPv6 per /64', async () => {
    await redis.flushdb();
    const running = await bootBehind({ TRUSTED_PROXIES: 'loopback' });
    try {
      expect(await statuses(running, ['203.0.113.1', '203.0.113.2', '203.0.113.1'])).toEqual([
        401, 401, 401,
      ]);
      expect(await statuses(running, ['::ffff:203.0.113.1'])).toEqual([429]);
      // Two addresses of one /64 share a bucket; the next /64 has its own.
      expect(await statuses(running, ['2001:db8:0:1::1', '2001:db8:0:1:ffff::2'])).toEqual([
        401, 401,
      ]);
      expect(await statuses(running, ['2001:db8:0:1::3', '2001:db8:0:2::1'])).toEqual([429, 401]);
    } finally {
      await running.close();
    }
  });
});

describe('the sign-in limit', () => {
  it('answers 429 with Retry-After once one address tried SIGN_IN_RATE_LIMIT times', async () => {
    await redis.flushdb();
    const running = await boot({
      API_RATE_LIMIT: '1000',
      SIGN_IN_RATE_LIMIT: '3',
      SIGN_IN_RATE_LIMIT_WINDOW_MS: '60000',
    });
    try {
      const attempts: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        const reply = await call(running, 'POST', '/v1/session', { body: { apiKey: `esk_${i}` } });
        attempts.push(reply.status);
      }
      expect(attempts).toEqual([401, 401, 401]);
      const over = await call(running, 'POST', '/v1/session', { body: { apiKey: ADMIN_API_KEY } });
      expect(over.status).toBe(429);
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(over.body).toMatchObject({ message: expect.stringMatching(/sign-in/) as unknown });
      // The OIDC routes count against the same limit; other routes do not.
      expect((await call(running, 'GET', '/v1/auth/oidc/login')).status).toBe(429);
      expect((await call(running, 'GET', '/v1/auth/methods')).status).toBe(200);
      const keyed = await call(running, 'GET', '/v1/admin/api-keys', { key: ADMIN_API_KEY });
      expect(keyed.status).toBe(200);
    } finally {
      await running.close();
    }
  });
});
