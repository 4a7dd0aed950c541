import { Inject, Injectable } from '@nestjs/common';
import { EMAIL_CATEGORY } from '@app/email-streams';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, MetricsRegistry, REDIS_CLIENT, withTimeout } from '@app/platform';
import type { Redis } from 'ioredis';
import { Counter, Gauge } from 'prom-client';
import { SchedulerService } from './scheduler.service';
import { SchedulerState } from './scheduler-state';

/** Lag counts stop here; past it the gauge is a lower bound. */
export const SCHEDULER_LAG_CAP = 10_000;
const SCRAPE_TIMEOUT_MS = 2_000;

/**
 * The scheduler on `/metrics`: how far its checkpoint (in Redis) trails the email category, and
 * how often it had to replay from the start because Redis lost its state.
 */
@Injectable()
export class SchedulerMetrics {
  constructor(
    metrics: MetricsRegistry,
    scheduler: SchedulerService,
    @Inject(EVENT_STORE) store: EventStore,
    @Inject(REDIS_CLIENT) redis: Redis,
  ) {
    const registers = [metrics.registry];
    const state = new SchedulerState(redis);
    const lag: Gauge = new Gauge({
      name: 'worker_scheduler_lag_events',
      help:
        'Email events after the scheduler checkpoint in Redis: not yet turned into jobs (a lower bound ' +
        `past ${SCHEDULER_LAG_CAP.toLocaleString('en-US')}). No sample when Redis or the event store does not answer.`,
      registers,
      collect: async () => {
        lag.reset();
        try {
          const behind = await withTimeout(
            state
              .checkpoint()
              .then((after) =>
                store.readCategory(EMAIL_CATEGORY, { after, maxCount: SCHEDULER_LAG_CAP }),
              ),
            SCRAPE_TIMEOUT_MS,
            'the scheduler lag',
          );
          lag.set(behind.length);
        } catch {
          // no sample
        }
      },
    });
    let reported = 0;
    const replays: Counter = new Counter({
      name: 'worker_scheduler_replays_total',
      help:
        'Times this worker replayed the email category from the start: at its first start on an empty ' +
        'Redis, and whenever Redis lost the scheduler state (and the jobs with it).',
      registers,
      collect: () => {
        replays.inc(scheduler.replays - reported);
        reported = scheduler.replays;
      },
    });
    let reportedRollbacks = 0;
    const rollbacks: Counter = new Counter({
      name: 'worker_scheduler_rollbacks_total',
      help:
        'Times this worker found Redis holding the scheduler behind the position it had saved (Redis came ' +
        'back older: a snapshot restore, a failover to a lagging replica) and replayed from there.',
      registers,
      collect: () => {
        rollbacks.inc(scheduler.rollbacks - reportedRollbacks);
        reportedRollbacks = scheduler.rollbacks;
      },
    });
  }
}
