import { Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { APP_CONFIG, type AppConfig } from '../config';
import { errorMessage, withTimeout } from '../health/probes';

/** Injection token of the shared ioredis client. */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

export function createRedisClient(url: string, logger: Logger): Redis {
  // `maxRetriesPerRequest: null` is what BullMQ requires of the connections it is given.
  const client = new Redis(url, { maxRetriesPerRequest: null });
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
