import { Module } from '@nestjs/common';
import { MetricsRegistryModule } from './metrics.module';
import { MetricsServer } from './metrics-server';

/** The registry served on METRICS_PORT, for the apps that have no HTTP server of their own. */
@Module({
  imports: [MetricsRegistryModule],
  providers: [MetricsServer],
  exports: [MetricsRegistryModule, MetricsServer],
})
export class MetricsEndpointModule {}
