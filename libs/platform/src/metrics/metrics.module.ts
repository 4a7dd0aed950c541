import { Module } from '@nestjs/common';
import { MetricsRegistry } from './metrics-registry';

/** The app's Prometheus registry, one per app. The api serves it on its own `GET /metrics`. */
@Module({
  providers: [MetricsRegistry],
  exports: [MetricsRegistry],
})
export class MetricsRegistryModule {}
