import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { sleep } from '@app/async';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, PG_POOL, errorMessage } from '@app/platform';
import type { Pool } from 'pg';
import { FAN_OUT_BATCH, fanOutOnce } from './fan-out';

/** Caught up: how soon to look again for new events. */
const CAUGHT_UP_POLL_MS = 100;
const RETRY_MIN_MS = 200;
const RETRY_MAX_MS = 5_000;

/**
 * The fan-out loop: the email category's events become deliveries, one checkpointed transaction at a time.
 * Every dispatcher runs it; they take turns on the checkpoint's row lock, so their number changes nothing
 * but who does the work. A lost Postgres is waited out with backoff, never a crash.
 */
@Injectable()
export class FanOutService implements BeforeApplicationShutdown {
  private readonly logger = new Logger('FanOut');
  private readonly abort = new AbortController();
  private loop: Promise<void> | undefined;
  private lagSeconds = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** How far behind the fan-out was at its last step: 0 once caught up. */
  get lag(): number {
    return this.lagSeconds;
  }

  /** `enqueued` is told when a step enqueued deliveries (the delivery loop then looks at once). */
  start(enqueued: () => void): void {
    this.loop = this.run(enqueued);
  }

  /** SIGTERM: the step in hand commits (or rolls back), then the pools close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(enqueued: () => void): Promise<void> {
    const signal = this.abort.signal;
    let retryMs = RETRY_MIN_MS;
    while (!signal.aborted) {
      try {
        const step = await fanOutOnce(this.pool, this.store);
        retryMs = RETRY_MIN_MS;
        if (step.enqueued > 0) enqueued();
        const full = step.events === FAN_OUT_BATCH;
        this.lagSeconds =
          full && step.lastEventAt
            ? Math.max(0, (Date.now() - step.lastEventAt.getTime()) / 1000)
            : 0;
        if (!full) await sleep(CAUGHT_UP_POLL_MS, signal);
      } catch (error) {
        this.logger.warn(`fan-out failed, retrying in ${retryMs} ms: ${errorMessage(error)}`);
        await sleep(retryMs, signal);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
      }
    }
  }
}
