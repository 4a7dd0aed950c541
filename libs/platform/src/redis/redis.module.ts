import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config';
import { withTimeout } from '../health/probes';
import { errorMessage } from '../logging/error-message';
import { parseRedisUrl, type RedisConnectionOptions } from './redis-url';

/** Injection token of the shared ioredis client. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** A connection to one Redis server (directly or through Sentinel) or to a Redis Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * The prefix of every BullMQ key. Its braces are a hash tag: a queue's keys all hash to one slot, as
 * BullMQ's multi-key scripts need on a Redis Cluster. The same layout everywhere, clustered or not.
 */
export const BULLMQ_PREFIX = '{bull}';

/**
 * ioredis options for REDIS_URL (a server or a Sentinel group, its db index honoured), as the
 * shared client and BullMQ's own connections use them: `maxRetriesPerRequest: null` is what
 * BullMQ requires, and makes a command wait out a reconnect or a failover instead of failing.
 */
export function redisConnectionOptions(url: string): RedisClientOptions {
  const options = parseRedisUrl(url);
  if ('cluster' in options) {
    throw new Error('a Redis Cluster takes a client, not options: use createRedisClient');
  }
  return 'sentinels' in options
    ? {
        ...options,
        sentinels: options.sentinels.map((s) => ({ ...s })),
        maxRetriesPerRequest: null,
      }
    : { ...options, maxRetriesPerRequest: null };
}

/** What `redisConnectionOptions` returns: both ioredis and BullMQ take it as it is. */
export type RedisClientOptions = (
  | Exclude<RedisConnectionOptions, { sentinels: unknown } | { cluster: unknown }>
  | (Omit<Extract<RedisConnectionOptions, { sentinels: unknown }>, 'sentinels'> & {
      sentinels: { host: string; port: number }[];
    })
) & { maxRetriesPerRequest: null };

export function createRedisClient(
  url: string,
  logger: Logger,
  overrides: RedisOptions = {},
): RedisClient {
  const options = parseRedisUrl(url);
  const client =
    'cluster' in options
      ? new Cluster(
          options.cluster.map((node) => ({ ...node })),
          {
            redisOptions: {
              ...(options.username ? { username: options.username } : {}),
              ...(options.password ? { password: options.password } : {}),
              maxRetriesPerRequest: null,
              ...overrides,
            },
            ...(overrides.enableOfflineQueue === false ? { enableOfflineQueue: false } : {}),
          },
        )
      : new Redis({ ...redisConnectionOptions(url), ...overrides });
  client.on('error', (error: unknown) => logger.warn(`Redis: ${errorMessage(error)}`));
  return client;
}

/**
 * BullMQ's connection for REDIS_URL: options it connects with itself, or for a Redis Cluster (which BullMQ
 * cannot build from options) the shared client, whose owner closes it.
 */
export function bullMqConnection(url: string, shared: RedisClient): RedisClientOptions | Cluster {
  return shared instanceof Cluster ? shared : redisConnectionOptions(url);
}

/** The servers behind a client: the masters of a cluster, or the one server. */
export function redisServers(client: RedisClient): Redis[] {
  return client instanceof Cluster ? client.nodes('master') : [client];
}

/** The server that holds `key`: on a cluster, the master of its slot (as the cluster says now). */
export async function redisServerFor(client: RedisClient, key: string): Promise<Redis> {
  if (!(client instanceof Cluster)) return client;
  const slot = Number(await client.cluster('KEYSLOT', key));
  const address = client.slots[slot]?.[0];
  const server = client
    .nodes('master')
    .find((node) => `${node.options.host ?? ''}:${node.options.port ?? ''}` === address);
  if (!server) throw new Error(`no master holds the slot of ${key} (${address ?? 'unknown'})`);
  return server;
}

/** Quits politely when connected, else drops the connection; never waits on a dead server. */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (client.status === 'ready') {
    try {
      await withTimeout(client.quit(), 2000, 'Redis QUIT');
      return;
    } catch {
      // fall through to a hard disconnect
    }
  }
  client.disconnect();
}

/** One ioredis client from REDIS_URL (its db index honoured), closed on shutdown. */
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createRedisClient(config.redisUrl, new Logger('Redis')),
    },
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly client: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.client);
  }
}
