import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import {
  EventStoreModule,
  MetricsRegistryModule,
  PostgresModule,
  RedisModule,
  SEND_QUEUE,
} from '@app/platform';
import { RedisClockModule } from '../clock/redis-clock.module';
import { SchedulerMetrics } from './scheduler.metrics';
import { SchedulerService } from './scheduler.service';

@Module({
  imports: [
    EventStoreModule,
    MetricsRegistryModule,
    RedisModule,
    PostgresModule,
    RedisClockModule,
    BullModule.registerQueue({ name: SEND_QUEUE }),
  ],
  providers: [SchedulerService, SchedulerMetrics],
  exports: [SchedulerService],
})
export class SchedulerModule {}
