import { type DynamicModule, Module } from '@nestjs/common';
import {
  type AppConfig,
  EventStoreModule,
  MetricsEndpointModule,
  PostgresModule,
  ProcessModule,
} from '@app/platform';
import { DeliveryService } from './delivery.service';
import { DispatcherMetrics } from './dispatcher.metrics';
import { FanOutService } from './fan-out.service';

@Module({})
export class DispatcherModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: DispatcherModule,
      imports: [
        ProcessModule.forRoot(config, 'dispatcher'),
        EventStoreModule,
        PostgresModule,
        MetricsEndpointModule,
      ],
      providers: [FanOutService, DeliveryService, DispatcherMetrics],
    };
  }
}
