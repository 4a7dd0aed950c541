import { type DynamicModule, Module } from '@nestjs/common';
import {
  type AppConfig,
  ConfigModule,
  EventStoreModule,
  LoggingModule,
  MetricsEndpointModule,
  PostgresModule,
} from '@app/platform';
import { ProjectorMetrics } from './projector.metrics';
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
        MetricsEndpointModule,
      ],
      providers: [ProjectorService, ProjectorMetrics],
    };
  }
}
