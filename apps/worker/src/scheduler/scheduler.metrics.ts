import { Inject, Injectable } from '@nestjs/common';
import { EMAIL_CATEGORY } from '@app/email-streams';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, MetricsRegistry, flagGauge, sampleGauge } from '@app/platform';
import { Counter, Gauge } from 'prom-client';
import { RedisClock } from '../clock/redis-clock';
import { SchedulerService } from './scheduler.service';

/** Lag counts stop here; past it the gauge is a lower bound. */
export const SCHEDULER_LAG_CAP = 10_000;
/** A due time this far past is overdue: a send or lease check that should have run by now. */
export const OVERDUE_AFTER_MS = 30_000;

/** A counter that reports how far a number kept by the service has moved since the last scrape. */
function follow(
  counter: Counter,
  read: () => number,
  labels: Record<string, string> = {},
): () => void {
  let reported = 0;
  return () => {
    const now = read();
    counter.inc(labels, now - reported);
    reported = now;
  };
}

/**
 * The scheduler on `/metrics`. The gauges about the schedule are sampled only by the process that holds
 * the lease (the others are standbys: no sample), so `max` over the workers is the schedule's figure.
 */
@Injectable()
export class SchedulerMetrics {
  constructor(
    metrics: MetricsRegistry,
    scheduler: SchedulerService,
    clock: RedisClock,
    @Inject(EVENT_STORE) store: EventStore,
  ) {
    const registers = [metrics.registry];
    // A standby reports no sample: only the lease holder's figures are the schedule's.
    const sampled = async (gauge: Gauge, what: string, read: () => Promise<number>) => {
      if (scheduler.leading) await sampleGauge(gauge, what, read);
      else gauge.reset();
    };
    flagGauge(
      metrics.registry,
      'worker_scheduler_leader',
      '1 while this worker holds the scheduler lease (exactly one should), else 0.',
      () => scheduler.leading,
    );
    const lag: Gauge = new Gauge({
      name: 'worker_scheduler_lag_events',
      help:
        'Email events after the due index checkpoint: not yet indexed nor turned into jobs (a lower bound ' +
        `past ${SCHEDULER_LAG_CAP.toLocaleString('en-US')}). Sampled by the lease holder only.`,
      registers,
      collect: () =>
        sampled(lag, 'the scheduler lag', async () => {
          const after = await scheduler.dueIndex.position();
          const behind = await store.readCategory(EMAIL_CATEGORY, {
            after,
            maxCount: SCHEDULER_LAG_CAP,
          });
          return behind.length;
        }),
    });
    const overdue: Gauge = new Gauge({
      name: 'worker_scheduler_overdue_emails',
      help: `Emails whose send or lease check was due over ${OVERDUE_AFTER_MS / 1000} s ago and has not run. Sampled by the lease holder only.`,
      registers,
      collect: () =>
        sampled(overdue, 'the overdue emails', async () => {
          const now = await clock.nowMs();
          return (await scheduler.dueIndex.overdue(now - OVERDUE_AFTER_MS)).count;
        }),
    });
    const oldest: Gauge = new Gauge({
      name: 'worker_scheduler_oldest_overdue_seconds',
      help: 'How long ago the oldest overdue email was due (0 when none is). Sampled by the lease holder only.',
      registers,
      collect: () =>
        sampled(oldest, 'the oldest overdue email', async () => {
          const now = await clock.nowMs();
          const { oldestMs } = await scheduler.dueIndex.overdue(now - OVERDUE_AFTER_MS);
          return oldestMs === undefined ? 0 : (now - oldestMs) / 1000;
        }),
    });
    const horizon: Gauge = new Gauge({
      name: 'worker_scheduler_window_horizon_seconds',
      help: 'How far ahead of now the jobs in Redis reach (SCHEDULER_WINDOW_MS when healthy). Sampled by the lease holder only.',
      registers,
      collect: () =>
        sampled(horizon, 'the window horizon', async () => {
          const reach = scheduler.horizon;
          return reach === undefined || !Number.isFinite(reach)
            ? 0
            : (reach - (await clock.nowMs())) / 1000;
        }),
    });
    const reconciled: Counter = new Counter({
      name: 'worker_scheduler_reconcile_jobs_total',
      help: 'Jobs a reconcile of Redis against the due index added (missing) or removed (superseded).',
      labelNames: ['action'],
      registers,
      collect: () => {
        addedSince();
        removedSince();
      },
    });
    const addedSince = follow(reconciled, () => scheduler.reconciled.added, { action: 'added' });
    const removedSince = follow(reconciled, () => scheduler.reconciled.removed, {
      action: 'removed',
    });
    const troubles: Counter = new Counter({
      name: 'worker_scheduler_redis_troubles_total',
      help:
        'Signs that Redis no longer held what the scheduler wrote, each answered by a reconcile: lost (flushed, ' +
        'emptied), older (a snapshot restore, a failover to a lagging replica), restarted (a new run_id).',
      labelNames: ['kind'],
      registers,
      collect: () => troubleSince.forEach((since) => since()),
    });
    const troubleSince = (['lost', 'older', 'restarted'] as const).map((kind) =>
      follow(troubles, () => scheduler.troubles[kind], { kind }),
    );
    const fencing: Counter = new Counter({
      name: 'worker_scheduler_fencing_rejections_total',
      help: 'Due index batches refused because another worker had taken the scheduler lease (this one stepped down).',
      registers,
      collect: () => fencingSince(),
    });
    const fencingSince = follow(fencing, () => scheduler.fencingRejections);
    const replays: Counter = new Counter({
      name: 'worker_scheduler_replays_total',
      help: 'Times this worker built the due index from the first event (a new database, or a requested rebuild).',
      registers,
      collect: () => replaysSince(),
    });
    const replaysSince = follow(replays, () => scheduler.replays);
  }
}
