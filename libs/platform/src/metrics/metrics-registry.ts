import { Injectable } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * This app instance's Prometheus registry, with prom-client's process and Node.js metrics. Nothing
 * touches prom-client's global default registry, so several apps booted in one process (the tests)
 * each expose only their own metrics. Each app registers its own metrics on `registry`.
 */
@Injectable()
export class MetricsRegistry {
  readonly registry = new Registry();

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
