import { Client } from 'pg';
import { Redis } from 'ioredis';
import { toErrorBody } from './error-body';
import { isServiceUnavailable } from './service-unavailable';

// Real errors from real clients pointed at a loopback port where nothing listens.
async function rejectionOf(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

describe('a backing service out of reach answers 503, never 500', () => {
  it('maps a refused Postgres connection to 503', async () => {
    const error = await rejectionOf(() =>
      new Client({ connectionString: 'postgres://postgres@127.0.0.1:1/test' }).connect(),
    );
    expect(isServiceUnavailable(error)).toBe(true);
    expect(toErrorBody(error).statusCode).toBe(503);
  });

  it('maps a Redis command that cannot be delivered to 503', async () => {
    const redis = new Redis('redis://127.0.0.1:1/0', {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      lazyConnect: true,
    });
    redis.on('error', () => undefined);
    try {
      const error = await rejectionOf(() => redis.get('k'));
      expect(isServiceUnavailable(error)).toBe(true);
      expect(toErrorBody(error).statusCode).toBe(503);
    } finally {
      redis.disconnect();
    }
  });

  it('maps Postgres shutting down (57P01) and a dropped connection to 503', () => {
    const shutdown = Object.assign(
      new Error('terminating connection due to administrator command'),
      {
        code: '57P01',
      },
    );
    expect(toErrorBody(shutdown).statusCode).toBe(503);
    expect(toErrorBody(new Error('Connection terminated unexpectedly')).statusCode).toBe(503);
  });

  it('leaves a genuine bug a 500', () => {
    expect(toErrorBody(new TypeError('undefined is not a function')).statusCode).toBe(500);
  });
});
