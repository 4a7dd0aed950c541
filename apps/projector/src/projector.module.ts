import { type DynamicModule, Module } from '@nestjs/common';
import {
  type AppConfig,
  EventStoreModule,
  ProcessModule,
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
        ProcessModule.forRoot(config, 'projector'),
        EventStoreModule,
        PostgresModule,
        MetricsEndpointModule,
      ],
      providers: [ProjectorService, ProjectorMetrics],
    };
  }
}
