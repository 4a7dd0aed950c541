import type { Pool } from 'pg';
import { parseConfig, type RedisClient } from '@app/platform';
import { unconfiguredTenant, type TenantsRepository } from '@app/tenants';
import { EmailQuotas, QUOTA_REDIS_WAIT_MS } from './email-quotas';

describe('EmailQuotas while Redis does not answer', () => {
  // The shared client queues commands while Redis is away and never fails them: a command that never answers.
  const silent = new Promise<never>(() => undefined);
  const redis = { eval: () => silent, mget: () => silent } as unknown as RedisClient;
  const pool = {
    query: () => Promise.resolve({ rows: [{ emails: '0', bytes: '0' }] }),
  } as unknown as Pool;
  const tenants = {
    get: (id: string) => Promise.resolve(unconfiguredTenant(id)),
  } as unknown as TenantsRepository;
  const quotas = new EmailQuotas(redis, pool, parseConfig({}), tenants);

  it('a write goes on without the window quotas after a bounded wait; usage shows them unknown', async () => {
    const started = Date.now();
    expect(await quotas.reserve('acme', [{ subject: 's', text: 't' }])).toBeUndefined();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(QUOTA_REDIS_WAIT_MS - 5);
    expect(waited).toBeLessThan(QUOTA_REDIS_WAIT_MS + 500);
    const usage = await quotas.usage('acme');
    expect(usage.find((l) => l.name === 'emailsPerMinute')).toMatchObject({
      used: null,
      remaining: null,
    });
    expect(usage.find((l) => l.name === 'pendingEmails')).toMatchObject({ used: 0 });
  });

  it('a refund after the append neither holds the write past the bounded wait nor fails it', async () => {
    const reservation = { keys: ['k1', 'k2', 'k3'], count: 3 };
    const started = Date.now();
    await expect(quotas.release(reservation, 1)).resolves.toBeUndefined();
    expect(Date.now() - started).toBeLessThan(QUOTA_REDIS_WAIT_MS + 500);

    const failing = { eval: () => Promise.reject(new Error('READONLY')) } as unknown as RedisClient;
    const refusing = new EmailQuotas(failing, pool, parseConfig({}), tenants);
    await expect(refusing.release(reservation, 0)).resolves.toBeUndefined();
  });
});
