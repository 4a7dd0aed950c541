import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import {
  type AppConfig,
  BULLMQ_PREFIX,
  EventStoreModule,
  ProcessModule,
  MetricsEndpointModule,
  REDIS_CLIENT,
  RedisModule,
  type RedisClient,
  bullMqConnection,
} from '@app/platform';
import { AttachmentPurgeModule } from './attachments/attachment-purge.module';
import { RecurrenceModule } from './recurrence/recurrence.module';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SenderModule } from './sender/sender.module';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ProcessModule.forRoot(config, 'worker'),
        EventStoreModule,
        RedisModule,
        MetricsEndpointModule,
        // BullMQ's own connections, on the same Redis database as REDIS_CLIENT (the scheduler's marker, the
        // job locks the lease check reads).
        BullModule.forRootAsync({
          imports: [RedisModule],
          inject: [REDIS_CLIENT],
          useFactory: (redis: RedisClient) => ({
            connection: bullMqConnection(config.redisUrl, redis),
            prefix: BULLMQ_PREFIX,
          }),
        }),
        SchedulerModule,
        SenderModule,
        RecurrenceModule,
        AttachmentPurgeModule,
      ],
    };
  }
}
