import { Module } from '@nestjs/common';
import type { Pool } from 'pg';
import {
  APP_CONFIG,
  PG_POOL,
  PostgresModule,
  REDIS_CLIENT,
  RedisModule,
  type AppConfig,
  type RedisClient,
} from '@app/platform';
import { TenantsRepository } from '@app/tenants';
import { SendRateLimiter } from './send-rate-limiter';
import { TenantSendRates } from './tenant-send-rates';

/**
 * SENDER_RATE_LIMIT_PER_HOUR (per tenant and sender), TENANT_RATE_LIMIT_PER_HOUR (with a tenant's overrides
 * from `tenants.settings`), GLOBAL_RATE_LIMIT_PER_HOUR and MIN_SEND_GAP_MS, per RATE_LIMIT_WINDOW_MS.
 */
@Module({
  imports: [RedisModule, PostgresModule],
  providers: [
    {
      provide: SendRateLimiter,
      inject: [REDIS_CLIENT, PG_POOL, APP_CONFIG],
      useFactory: (redis: RedisClient, pool: Pool, config: AppConfig) => {
        const rates = new TenantSendRates(new TenantsRepository(pool), config.tenantLimits);
        return new SendRateLimiter(
          redis,
          {
            perSender: config.tenantLimits.sendsPerWindowPerSender,
            perTenant: config.tenantLimits.sendsPerWindow,
            global: config.globalRateLimitPerHour,
            windowMs: config.rateLimitWindowMs,
            minGapMs: config.minSendGapMs,
          },
          (tenantId) => rates.get(tenantId),
        );
      },
    },
  ],
  exports: [SendRateLimiter],
})
export class RateLimitModule {}
