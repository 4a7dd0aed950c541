import type {
  BatchHandler,
  Position,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import type { AppendListener } from './append-listener';
import type { PostgresEventStore } from './postgres-event-store';

/** Resolves after `ms`, or at once when `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

const DEFAULT_BATCH = 500;
/** The safety net for a lost notification; live delivery normally comes from LISTEN/NOTIFY. */
const SAFETY_POLL_MS = 250;
/** How soon to look again while a still-running older transaction holds committed events back. */
const HELD_BACK_RETRY_MS = 20;
/**
 * After a batch that did not fill up (the subscription is live, not catching up), the least time before
 * the next read: under a steady flow of appends every read would otherwise carry an event or two, and
 * the reads, not the events, were what a subscriber spent its time on (bench/RESULTS.md).
 */
const LIVE_READ_INTERVAL_MS = 20;
const RETRY_MIN_MS = 50;
const RETRY_MAX_MS = 5_000;

/**
 * Catch-up then live delivery over the store's category reads. Failures of the store (a killed
 * connection, a restarting server) are retried from the last delivered position with backoff;
 * a failure of the handler ends the subscription, because skipping the batch would lose it.
 */
export class PostgresSubscription implements Subscription {
  readonly done: Promise<void>;
  private readonly abort = new AbortController();

  constructor(
    private readonly store: PostgresEventStore,
    private readonly listener: AppendListener,
    private readonly category: string,
    private readonly handler: BatchHandler,
    private readonly options: SubscribeOptions,
  ) {
    this.done = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    const signal = this.abort.signal;
    const maxCount = this.options.maxBatchSize ?? DEFAULT_BATCH;
    let after: Position | 'start' = this.options.after;
    let retryMs = RETRY_MIN_MS;
    while (!signal.aborted) {
      let batch: RecordedEvent[];
      let heldBack = false;
      try {
        batch = await this.store.readCategory(this.category, { after, maxCount });
        if (batch.length === 0) heldBack = await this.store.hasHeldBackEvents(this.category, after);
        retryMs = RETRY_MIN_MS;
      } catch (error) {
        this.options.onDrop?.(error);
        await this.listener.wait(retryMs, signal);
        retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        continue;
      }
      const last = batch[batch.length - 1];
      if (last) {
        if (signal.aborted) return;
        await this.handler(batch);
        after = last.position;
        if (batch.length < maxCount) await delay(LIVE_READ_INTERVAL_MS, signal);
        continue;
      }
      await this.listener.wait(heldBack ? HELD_BACK_RETRY_MS : SAFETY_POLL_MS, signal);
    }
  }
}
