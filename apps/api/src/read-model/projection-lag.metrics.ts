import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, MetricsRegistry, PG_POOL } from '@app/platform';
import { registerProjectionLagMetrics } from '@app/read-model';
import type { Pool } from 'pg';

/** The projection lag gauges on the api's `/metrics` too, beside the projector's. */
@Injectable()
export class ProjectionLagMetrics {
  constructor(
    metrics: MetricsRegistry,
    @Inject(PG_POOL) pool: Pool,
    @Inject(EVENT_STORE) store: EventStore,
  ) {
    registerProjectionLagMetrics(metrics.registry, pool, store);
  }
}
