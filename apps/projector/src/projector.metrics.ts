import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, MetricsRegistry, PG_POOL, flagGauge, sampleGauge } from '@app/platform';
import { countEmailsInDoubt, registerProjectionLagMetrics } from '@app/read-model';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { ProjectorService } from './projector.service';

/**
 * The projector on `/metrics`: whether this process is the active one, the projection's lag, and
 * the emails whose attempt is in doubt (read from the read model it keeps).
 */
@Injectable()
export class ProjectorMetrics {
  constructor(
    metrics: MetricsRegistry,
    projector: ProjectorService,
    @Inject(PG_POOL) pool: Pool,
    @Inject(EVENT_STORE) store: EventStore,
  ) {
    registerProjectionLagMetrics(metrics.registry, pool, store);
    flagGauge(
      metrics.registry,
      'projector_active',
      '1 while this projector holds the projector lock and projects; 0 while it stands by.',
      () => projector.isActive,
    );
    const inDoubt: Gauge = new Gauge({
      name: 'emails_in_doubt',
      help:
        'Emails whose send attempt outlived its lease with no outcome recorded, waiting for a lease ' +
        'check to resolve them by IN_DOUBT_POLICY. No sample when Postgres does not answer.',
      registers: [metrics.registry],
      collect: () => sampleGauge(inDoubt, 'Postgres', () => countEmailsInDoubt(pool)),
    });
  }
}
