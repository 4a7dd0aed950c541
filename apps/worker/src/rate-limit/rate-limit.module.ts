import { Module } from '@nestjs/common';
import {
  APP_CONFIG,
  REDIS_CLIENT,
  RedisModule,
  type AppConfig,
  type RedisClient,
} from '@app/platform';
import { SendRateLimiter } from './send-rate-limiter';

/** SENDER_RATE_LIMIT_PER_HOUR, GLOBAL_RATE_LIMIT_PER_HOUR and MIN_SEND_GAP_MS, per RATE_LIMIT_WINDOW_MS. */
@Module({
  imports: [RedisModule],
  providers: [
    {
      provide: SendRateLimiter,
      inject: [REDIS_CLIENT, APP_CONFIG],
      useFactory: (redis: RedisClient, config: AppConfig) =>
        new SendRateLimiter(redis, {
          perSender: config.senderRateLimitPerHour,
          global: config.globalRateLimitPerHour,
          windowMs: config.rateLimitWindowMs,
          minGapMs: config.minSendGapMs,
        }),
    },
  ],
  exports: [SendRateLimiter],
})
export class RateLimitModule {}
