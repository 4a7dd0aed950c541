import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, MetricsRegistry, PG_POOL, withTimeout } from '@app/platform';
import { countEmailsInDoubt, registerProjectionLagMetrics } from '@app/read-model';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { ProjectorService } from './projector.service';

const SCRAPE_TIMEOUT_MS = 2_000;

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
    const registers = [metrics.registry];
    registerProjectionLagMetrics(metrics.registry, pool, store);
    const active: Gauge = new Gauge({
      name: 'projector_active',
      help: '1 while this projector holds the projector lock and projects; 0 while it stands by.',
      registers,
      collect: () => active.set(projector.isActive ? 1 : 0),
    });
    const inDoubt: Gauge = new Gauge({
      name: 'emails_in_doubt',
      help:
        'Emails whose send attempt outlived its lease with no outcome recorded, waiting for a lease ' +
        'check to resolve them by IN_DOUBT_POLICY. No sample when Postgres does not answer.',
      registers,
      collect: async () => {
        inDoubt.reset();
        try {
          inDoubt.set(await withTimeout(countEmailsInDoubt(pool), SCRAPE_TIMEOUT_MS, 'Postgres'));
        } catch {
          // no sample
        }
      },
    });
  }
}
