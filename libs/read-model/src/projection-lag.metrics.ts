import type { EventStore } from '@app/event-store';
import type { Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';
import { listProjectionStatuses } from './projection-status';

/**
 * Registers `projection_lag_events`, `projection_lag_seconds` and `projection_rebuilding`, per
 * projection, on `registry`: read from the read model and the event store on each scrape (one read
 * shared by the three gauges). When they cannot be read the gauges have no samples; the scrape
 * still succeeds.
 */
export function registerProjectionLagMetrics(
  registry: Registry,
  pool: Pool,
  store: EventStore,
): void {
  let pending: Promise<void> | undefined;
  // The registry asks each gauge in turn, synchronously: the first starts the read, all await it.
  const collect = (): Promise<void> => {
    pending ??= read().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  const gauge = (name: string, help: string): Gauge<'projection'> =>
    new Gauge({ name, help, labelNames: ['projection'] as const, registers: [registry], collect });
  const lagEvents = gauge(
    'projection_lag_events',
    'Events of the category the projection has not applied yet (a lower bound past 10,000).',
  );
  const lagSeconds = gauge(
    'projection_lag_seconds',
    'Age in seconds of the oldest event the projection has not applied yet; 0 when caught up.',
  );
  const rebuilding = gauge(
    'projection_rebuilding',
    '1 while a rebuild of the projection runs, else 0.',
  );

  async function read(): Promise<void> {
    let statuses: Awaited<ReturnType<typeof listProjectionStatuses>> = [];
    try {
      statuses = await listProjectionStatuses(pool, store);
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
