import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import {
  type AppConfig,
  ConfigModule,
  EventStoreModule,
  LoggingModule,
  MetricsEndpointModule,
  RedisModule,
  redisConnectionOptions,
} from '@app/platform';
import { SchedulerModule } from './scheduler/scheduler.module';
import { SenderModule } from './sender/sender.module';

@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot({ name: 'worker' }),
        EventStoreModule,
        RedisModule,
        MetricsEndpointModule,
        // BullMQ's own connections, on the same Redis database as REDIS_CLIENT (the scheduler's checkpoint).
        BullModule.forRoot({ connection: redisConnectionOptions(config.redisUrl) }),
        SchedulerModule,
        SenderModule,
      ],
    };
  }
}
