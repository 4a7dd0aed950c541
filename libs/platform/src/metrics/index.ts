export { MetricsEndpointModule } from './metrics-endpoint.module';
export { MetricsRegistryModule } from './metrics.module';
export { MetricsRegistry } from './metrics-registry';
export { MetricsServer } from './metrics-server';
export { SCRAPE_TIMEOUT_MS, flagGauge, sampleGauge } from './scrape';
