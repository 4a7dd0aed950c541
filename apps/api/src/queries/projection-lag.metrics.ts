import { Inject, Injectable } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, PG_POOL } from '@app/platform';
import { listProjectionStatuses } from '@app/read-model';
import type { Pool } from 'pg';
import { Gauge } from 'prom-client';
import { MetricsService } from '../metrics/metrics.service';

/**
 * `projection_lag_events`, `projection_lag_seconds` and `projection_rebuilding` on `/metrics`, per
 * projection, read from the read model and the event store on each scrape (one read shared by the
 * three gauges). When they cannot be read the gauges have no samples; the scrape still succeeds.
 */
@Injectable()
export class ProjectionLagMetrics {
  private pending: Promise<void> | undefined;
  private readonly gauges: {
    readonly lagEvents: Gauge<'projection'>;
    readonly lagSeconds: Gauge<'projection'>;
    readonly rebuilding: Gauge<'projection'>;
  };

  constructor(
    metrics: MetricsService,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {
    const collect = (): Promise<void> => this.refresh();
    const gauge = (name: string, help: string): Gauge<'projection'> =>
      new Gauge({
        name,
        help,
        labelNames: ['projection'] as const,
        registers: [metrics.registry],
        collect,
      });
    this.gauges = {
      lagEvents: gauge(
        'projection_lag_events',
        'Events of the category the projection has not applied yet (a lower bound past 10,000).',
      ),
      lagSeconds: gauge(
        'projection_lag_seconds',
        'Age in seconds of the oldest event the projection has not applied yet; 0 when caught up.',
      ),
      rebuilding: gauge(
        'projection_rebuilding',
        '1 while a rebuild of the projection runs, else 0.',
      ),
    };
  }

  /** The registry asks each gauge in turn, synchronously: the first starts the read, all await it. */
  private refresh(): Promise<void> {
    this.pending ??= this.read().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async read(): Promise<void> {
    const { lagEvents, lagSeconds, rebuilding } = this.gauges;
    let statuses: Awaited<ReturnType<typeof listProjectionStatuses>> = [];
    try {
      statuses = await listProjectionStatuses(this.pool, this.store);
    } catch {
      statuses = [];
    }
    for (const g of [lagEvents, lagSeconds, rebuilding]) g.reset();
    for (const status of statuses) {
      const labels = { projection: status.name };
      lagEvents.set(labels, status.lagEvents);
      lagSeconds.set(labels, status.lagSeconds);
      rebuilding.set(labels, status.state === 'rebuilding' ? 1 : 0);
    }
  }
}
