import { type DynamicModule, Module } from '@nestjs/common';
import {
  type AppConfig,
  ConfigModule,
  EventStoreModule,
  LoggingModule,
  RedisModule,
} from '@app/platform';

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
      ],
    };
  }
}
