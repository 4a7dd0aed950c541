import { type DynamicModule, Module } from '@nestjs/common';
import {
  type AppConfig,
  ConfigModule,
  EventStoreModule,
  LoggingModule,
  PostgresModule,
} from '@app/platform';
import { ProjectorService } from './projector.service';

@Module({})
export class ProjectorModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot({ name: 'projector' }),
        EventStoreModule,
        PostgresModule,
      ],
      providers: [ProjectorService],
    };
  }
}
