import type { EventStore } from '@app/event-store';
import { errorMessage } from '../logging/error-message';
import type { RedisClient } from '../redis/redis.module';
import type { Pool } from 'pg';

export const DEFAULT_PROBE_TIMEOUT_MS = 3000;

/** Rejects with `<what> did not answer within <ms> ms` unless `work` settles first. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function probePostgres(pool: Pool, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS) {
  await withTimeout(pool.query('SELECT 1'), timeoutMs, 'Postgres');
}

const REDIS_ALIVE = new Set(['connecting', 'connect', 'ready']);

/**
 * PING, failing at once while the client is between reconnects or closed: with
 * `maxRetriesPerRequest: null` a command sent then would wait for as long as Redis is away.
 */
export async function probeRedis(client: RedisClient, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS) {
  if (!REDIS_ALIVE.has(client.status)) {
    throw new Error(`Redis is not connected (${client.status})`);
  }
  const reply = await withTimeout(client.ping(), timeoutMs, 'Redis');
  if (reply !== 'PONG') throw new Error(`Redis answered PING with ${JSON.stringify(reply)}`);
}

/**
 * For boot: resolves once the client is connected, waiting through reconnects for up to
 * `timeoutMs`, then fails naming the last connection error.
 */
export async function waitForRedis(client: RedisClient, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS) {
  if (client.status === 'ready') return;
  let lastError: unknown;
  const onError = (error: unknown) => (lastError = error);
  let onReady = (): void => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  client.on('error', onError);
  client.once('ready', onReady);
  try {
    await withTimeout(ready, timeoutMs, 'Redis');
  } catch (error) {
    throw lastError === undefined
      ? error
      : new Error(`${errorMessage(error)}: ${errorMessage(lastError)}`);
  } finally {
    client.off('error', onError);
    client.off('ready', onReady);
  }
}

export async function probeEventStore(store: EventStore, timeoutMs = DEFAULT_PROBE_TIMEOUT_MS) {
  await withTimeout(store.headPosition('email'), timeoutMs, 'The event store');
}
