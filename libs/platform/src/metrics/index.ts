export { MetricsEndpointModule } from './metrics-endpoint.module';
export { MetricsRegistryModule } from './metrics.module';
export { MetricsRegistry } from './metrics-registry';
export { MetricsServer } from './metrics-server';
