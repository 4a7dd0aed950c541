import { Logger } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import type { Environment } from '@app/platform';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { startApi, type ApiHarness } from '../testing/api-harness';

type Running = ApiHarness;

/** The real AppModule on real Postgres and Redis, as a bare Nest app with no admin key. */
function boot(
  env: Environment = {},
  wrapStore?: (store: EventStore) => EventStore,
): Promise<Running> {
  return startApi({
    database,
    adminKey: null,
    http: false,
    env: { API_RATE_LIMIT: undefined, ...env },
    wrapStore,
  });
}

async function get(
  url: string,
): Promise<{ status: number; body: unknown; requestId: string | null }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  return {
    status: response.status,
    body: await response.json(),
    requestId: response.headers.get('x-request-id'),
  };
}

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase('health');
});

afterAll(async () => {
  await database.drop();
});

describe('health endpoints', () => {
  describe('with Postgres, Redis and the event store up', () => {
    let running: Running;

    beforeAll(async () => {
      running = await boot();
    });

    afterAll(async () => {
      await running?.close();
    });

    it('GET /health/live answers 200', async () => {
      const live = await get(`${running.baseUrl}/health/live`);
      expect(live).toMatchObject({ status: 200, body: { status: 'ok' } });
    });

    it('GET /health/ready answers 200 with every dependency up', async () => {
      const ready = await get(`${running.baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.body).toMatchObject({
        status: 'ok',
        info: {
          postgres: { status: 'up' },
          redis: { status: 'up' },
          eventStore: { status: 'up' },
        },
      });
    });

    it('echoes a request id, or makes one', async () => {
      const response = await fetch(`${running.baseUrl}/health/live`, {
        headers: { 'x-request-id': 'probe-42' },
      });
      expect(response.headers.get('x-request-id')).toBe('probe-42');
      const generated = await get(`${running.baseUrl}/health/live`);
      expect(generated.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('with Redis unreachable', () => {
    let running: Running;

    beforeAll(async () => {
      running = await boot({ REDIS_URL: 'redis://127.0.0.1:1/0' });
    });

    afterAll(async () => {
      await running?.close();
    });

    it('GET /health/live still answers 200', async () => {
      expect((await get(`${running.baseUrl}/health/live`)).status).toBe(200);
    });

    it('GET /health/ready answers 503 naming redis', async () => {
      const ready = await get(`${running.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        error: { redis: { status: 'down' } },
        info: { postgres: { status: 'up' }, eventStore: { status: 'up' } },
      });
    });
  });

  describe('with the event store failing as a driver does, naming its address', () => {
    const DRIVER_ERROR = 'connect ECONNREFUSED 10.20.30.40:2113 (kurrentdb.internal)';
    let running: Running;
    let failing = false;

    beforeAll(async () => {
      running = await boot({}, (store) =>
        Object.assign(Object.create(store) as EventStore, {
          headPosition: (category: string) =>
            failing ? Promise.reject(new Error(DRIVER_ERROR)) : store.headPosition(category),
        }),
      );
    });

    afterAll(async () => {
      await running?.close();
    });

    it('GET /health/ready answers 503 naming the dependency only; the log has the error', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      failing = true;
      try {
        const ready = await get(`${running.baseUrl}/health/ready`);
        expect(ready.status).toBe(503);
        expect(ready.body).toEqual({
          status: 'error',
          info: { postgres: { status: 'up' }, redis: { status: 'up' } },
          error: { eventStore: { status: 'down' } },
          details: {
            postgres: { status: 'up' },
            redis: { status: 'up' },
            eventStore: { status: 'down' },
          },
        });
        expect(warn).toHaveBeenCalledWith(`eventStore is down: ${DRIVER_ERROR}`);
      } finally {
        failing = false;
        warn.mockRestore();
      }
    });
  });
});
