import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis, type RedisOptions } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config';
import { errorMessage, withTimeout } from '../health/probes';
import { parseRedisUrl, type RedisConnectionOptions } from './redis-url';

/** Injection token of the shared ioredis client. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * ioredis options for REDIS_URL (a server or a Sentinel group, its db index honoured), as the
 * shared client and BullMQ's own connections use them: `maxRetriesPerRequest: null` is what
 * BullMQ requires, and makes a command wait out a reconnect or a failover instead of failing.
 */
export function redisConnectionOptions(url: string): RedisClientOptions {
  const options = parseRedisUrl(url);
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
  | Exclude<RedisConnectionOptions, { sentinels: unknown }>
  | (Omit<Extract<RedisConnectionOptions, { sentinels: unknown }>, 'sentinels'> & {
      sentinels: { host: string; port: number }[];
    })
) & { maxRetriesPerRequest: null };

export function createRedisClient(
  url: string,
  logger: Logger,
  overrides: RedisOptions = {},
): Redis {
  const client = new Redis({ ...redisConnectionOptions(url), ...overrides });
  client.on('error', (error: unknown) => logger.warn(`Redis: ${errorMessage(error)}`));
  return client;
}

/** Quits politely when connected, else drops the connection; never waits on a dead server. */
export async function closeRedisClient(client: Redis): Promise<void> {
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
  constructor(@Inject(REDIS_CLIENT) private readonly client: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await closeRedisClient(this.client);
  }
}
