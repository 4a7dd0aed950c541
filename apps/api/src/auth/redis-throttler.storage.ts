import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorageService, type ThrottlerStorage } from '@nestjs/throttler';
import { Cluster } from 'ioredis';
import {
  APP_CONFIG,
  closeRedisClient,
  createRedisClient,
  type AppConfig,
  type RedisClient,
} from '@app/platform';

type ThrottlerRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How long a rate-limit count may wait for Redis before the request is counted locally. */
const REDIS_TIMEOUT_MS = 500;

/**
 * The api's rate-limit counters in Redis, so any number of api processes share one limit per key.
 * Redis is not allowed to take the api down with it: on its own connection, which fails at once
 * while Redis is away (no offline queue) or slow (a command timeout), and meanwhile each process
 * counts in its own memory — the limit holds per process until Redis answers again.
 */
@Injectable()
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly redis: RedisClient;
  private readonly shared: ThrottlerStorageRedisService;
  private readonly local = new ThrottlerStorageService();
  private degraded = false;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.redis = createRedisClient(config.redisUrl, this.logger, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: REDIS_TIMEOUT_MS,
    });
    // Its constructor takes either kind, by separate overloads.
    this.shared =
      this.redis instanceof Cluster
        ? new ThrottlerStorageRedisService(this.redis)
        : new ThrottlerStorageRedisService(this.redis);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerRecord> {
    try {
      const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
      if (this.degraded) this.logger.log('rate limits counted in Redis again');
      this.degraded = false;
      return record;
    } catch (error) {
      if (!this.degraded) {
        this.logger.warn(
          `rate limits counted in this process until Redis answers: ${String(error)}`,
        );
      }
      this.degraded = true;
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }
  }

  /** Called twice (as this module's provider and as ThrottlerModule's storage): idempotent. */
  async onApplicationShutdown(): Promise<void> {
    this.local.onApplicationShutdown();
    await closeRedisClient(this.redis);
  }
}

/** Provides the storage to ThrottlerModule.forRootAsync, which cannot see AuthModule's providers. */
@Module({ providers: [RedisThrottlerStorage], exports: [RedisThrottlerStorage] })
export class ThrottlerStorageModule {}
