import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  EventStoreHealthIndicator,
  EventStoreModule,
  PostgresHealthIndicator,
  PostgresModule,
  RedisHealthIndicator,
  RedisModule,
} from '@app/platform';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule, PostgresModule, RedisModule, EventStoreModule],
  controllers: [HealthController],
  providers: [PostgresHealthIndicator, RedisHealthIndicator, EventStoreHealthIndicator],
})
export class HealthModule {}
