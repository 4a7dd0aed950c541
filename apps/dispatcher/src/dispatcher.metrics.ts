import { Inject, Injectable } from '@nestjs/common';
import { MetricsRegistry, PG_POOL, sampleGauge } from '@app/platform';
import type { Pool } from 'pg';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { ClaimedDelivery, RecordedOutcome } from './deliveries';
import type { AttemptObserver } from './delivery.service';
import { FanOutService } from './fan-out.service';

async function count(pool: Pool, sql: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(sql);
  return rows[0]?.n ?? 0;
}

/**
 * The dispatcher on `/metrics`: attempts by outcome and the lag to a first success (counted by this
 * process), the retries waiting and the disabled endpoints (read from Postgres, the same for every
 * dispatcher), and how far behind the fan-out is.
 */
@Injectable()
export class DispatcherMetrics implements AttemptObserver {
  private readonly deliveries: Counter<'outcome'>;
  private readonly lag: Histogram;

  constructor(metrics: MetricsRegistry, @Inject(PG_POOL) pool: Pool, fanOut: FanOutService) {
    const registers = [metrics.registry];
    this.deliveries = new Counter({
      name: 'webhook_deliveries_total',
      help:
        'Webhook attempts this dispatcher recorded, by outcome: delivered (2xx), retry (failed, another ' +
        'attempt is due later), failed (failed, no attempt left).',
      labelNames: ['outcome'] as const,
      registers,
    });
    this.lag = new Histogram({
      name: 'webhook_delivery_lag_seconds',
      help: 'From the source event being recorded to its first successful delivery to an endpoint.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 86_400],
      registers,
    });
    const pending: Gauge = new Gauge({
      name: 'webhook_retries_pending',
      help:
        'Deliveries pending after at least one failed attempt (all endpoints, all dispatchers). ' +
        'No sample when Postgres does not answer.',
      registers,
      collect: () =>
        sampleGauge(pending, 'Postgres', () =>
          count(
            pool,
            `SELECT count(*)::int AS n FROM webhooks.deliveries WHERE status = 'pending' AND attempts > 0`,
          ),
        ),
    });
    const disabled: Gauge = new Gauge({
      name: 'webhook_endpoints_disabled',
      help: 'Webhook endpoints disabled (by failing too long, or by hand). No sample when Postgres does not answer.',
      registers,
      collect: () =>
        sampleGauge(disabled, 'Postgres', () =>
          count(pool, `SELECT count(*)::int AS n FROM webhooks.endpoints WHERE NOT enabled`),
        ),
    });
    const fanOutLag: Gauge = new Gauge({
      name: 'webhook_fanout_lag_seconds',
      help: "Age of the last email event this dispatcher's fan-out step read while behind; 0 once caught up.",
      registers,
      collect: () => fanOutLag.set(fanOut.lag),
    });
  }

  attempted(delivery: ClaimedDelivery, outcome: RecordedOutcome, finishedAt: Date): void {
    if (outcome.kind === 'lease-lost') return;
    this.deliveries.inc({ outcome: outcome.kind });
    if (outcome.kind === 'delivered' && outcome.firstSuccess) {
      this.lag.observe(Math.max(0, (finishedAt.getTime() - delivery.eventAt.getTime()) / 1000));
    }
  }
}
