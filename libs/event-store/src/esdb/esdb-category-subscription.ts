import {
  START,
  UnavailableError,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type {
  BatchHandler,
  Position,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { comparePositions } from '../position';
import { isCategoryEvent, toEsdbPosition, toRecordedEvent } from './esdb-mapping';

const DEFAULT_MAX_BATCH_SIZE = 100;
const INITIAL_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/**
 * A catch-up subscription to one category over `subscribeToAll` with a server-side stream-name
 * prefix filter (`<category>-`).
 *
 * - Order and exclusivity: `subscribeToAll({fromPosition})` starts strictly after `fromPosition`
 *   (the client's own tests: subscribing from an append's position does not deliver that event).
 *   Every event is still checked against the highest position accepted so far and dropped if not
 *   beyond it, so a server that treated the position inclusively could not cause a duplicate.
 * - Batching and back-pressure: events are buffered and handed to the handler one batch at a time
 *   (flushed on `setImmediate`, or at once when `maxBatchSize` are buffered). While the handler
 *   runs the client stream is paused; the pause propagates through the client's Transform to the
 *   gRPC call (HTTP/2 flow control), so memory stays bounded by the stream buffers.
 * - Checkpoints: a filtered subscription also receives checkpoint messages; the client only
 *   surfaces them through `filter.checkpointReached`, which is not set, so they never reach us.
 *   The subscriber's checkpoint is the position of the last event of the last delivered batch.
 * - Drops: an 'error' or 'end' that `stop()` did not cause calls `onDrop`, lets the events already
 *   received reach the handler, then resubscribes after the last delivered position with
 *   exponential backoff (100 ms doubling up to 5 s; reset once the server confirms a subscription).
 * - A handler that throws stops the subscription and rejects `done` with its error.
 */
export class EsdbCategorySubscription implements Subscription {
  readonly done: Promise<void>;

  private readonly maxBatchSize: number;
  private resolveDone!: () => void;
  private rejectDone!: (error: unknown) => void;

  private current: AllStreamSubscription | undefined;
  private readonly buffer: RecordedEvent[] = [];
  /** The last position handed to the handler and acknowledged by it. */
  private lastDelivered: Position | 'start';
  /** The last position accepted into the buffer (or delivered): nothing at or before it is taken again. */
  private highWater: Position | 'start';
  private stopped = false;
  private draining = false;
  private running: Promise<void> = Promise.resolve();
  private flushScheduled = false;
  private backoffMs = INITIAL_BACKOFF_MS;
  private wakeSleeper: (() => void) | undefined;
  private sleepTimer: NodeJS.Timeout | undefined;
  private recovery: Promise<void> = Promise.resolve();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly category: string,
    private readonly handler: BatchHandler,
    private readonly options: SubscribeOptions,
  ) {
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    if (!Number.isInteger(maxBatchSize) || maxBatchSize < 1) {
      throw new RangeError(`maxBatchSize must be a positive integer, got ${maxBatchSize}`);
    }
    this.maxBatchSize = maxBatchSize;
    this.lastDelivered = options.after;
    this.highWater = options.after;
    this.done = new Promise<void>((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    this.connect();
  }

  async stop(): Promise<void> {
    this.halt();
    await this.running;
    await this.recovery;
    this.resolveDone();
  }

  /**
   * Test hook: make the live server stream fail as a lost connection does (an UNAVAILABLE error
   * on the client's subscription stream), so that the drop → onDrop → resubscribe path runs.
   */
  simulateConnectionLoss(): void {
    this.current?.destroy(new UnavailableError(undefined, 'connection dropped by test hook'));
  }

  private connect(): void {
    if (this.stopped) return;
    const from = this.lastDelivered;
    const subscription = this.client.subscribeToAll({
      fromPosition: from === 'start' ? START : toEsdbPosition(from),
      filter: streamNameFilter({ prefixes: [`${this.category}-`] }),
    });
    this.current = subscription;
    subscription
      .on('data', (resolved: AllStreamResolvedEvent) => this.onEvent(subscription, resolved))
      .on('confirmation', () => {
        if (subscription === this.current) this.backoffMs = INITIAL_BACKOFF_MS;
      })
      .on('error', (error: Error) => this.onEnded(subscription, error))
      .on('end', () => this.onEnded(subscription, new Error('EventStoreDB subscription ended')))
      .on('close', () => this.onEnded(subscription, new Error('EventStoreDB subscription closed')));
  }

  private onEvent(subscription: AllStreamSubscription, resolved: AllStreamResolvedEvent): void {
    if (subscription !== this.current || this.stopped) return;
    const event = resolved.event;
    if (!event || !isCategoryEvent(event, this.category)) return;
    if (this.highWater !== 'start' && comparePositions(event.position, this.highWater) <= 0) return;
    let recorded: RecordedEvent;
    try {
      recorded = toRecordedEvent(event, event.position);
    } catch (error) {
      // Never skip an event silently: one we cannot represent ends the subscription.
      this.fail(error);
      return;
    }
    this.highWater = recorded.position;
    this.buffer.push(recorded);
    if (this.buffer.length >= this.maxBatchSize) {
      subscription.pause();
      this.kick();
    } else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.kick();
      });
    }
  }

  /** Starts draining the buffer unless a drain is already running (it will pick new events up). */
  private kick(): void {
    if (this.draining || this.stopped || this.buffer.length === 0) return;
    this.draining = true;
    this.running = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const batch = this.buffer.splice(0, this.maxBatchSize);
        const last = batch[batch.length - 1];
        if (!last) return;
        this.current?.pause();
        await this.handler(batch);
        this.lastDelivered = last.position;
      }
    } catch (error) {
      this.fail(error);
    } finally {
      // Synchronous with the loop's last check: an event arriving later starts a new drain.
      this.draining = false;
      if (!this.stopped) this.current?.resume();
    }
  }

  private onEnded(subscription: AllStreamSubscription, error: Error): void {
    if (subscription !== this.current) return;
    this.current = undefined;
    this.release(subscription);
    if (this.stopped) return;
    this.recovery = this.recover(error);
  }

  private async recover(error: Error): Promise<void> {
    try {
      this.options.onDrop?.(error);
    } catch {
      // A failing observer must not stop the resubscription.
    }
    // The events received before the drop are contiguous and in order: deliver them first.
    while (this.draining) await this.running;
    this.kick();
    await this.running;
    if (this.stopped) return;
    this.highWater = this.lastDelivered;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    await this.sleep(delay);
    this.connect();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeSleeper = resolve;
      this.sleepTimer = setTimeout(resolve, ms);
    }).finally(() => {
      this.wakeSleeper = undefined;
      this.sleepTimer = undefined;
    });
  }

  private fail(error: unknown): void {
    this.halt();
    this.rejectDone(error);
  }

  /** Stops taking events: no further delivery, no resubscription. */
  private halt(): void {
    this.stopped = true;
    this.buffer.length = 0;
    if (this.sleepTimer) clearTimeout(this.sleepTimer);
    this.wakeSleeper?.();
    const subscription = this.current;
    this.current = undefined;
    if (subscription) this.release(subscription);
  }

  /** Cancels the gRPC call behind a subscription we no longer read from. */
  private release(subscription: AllStreamSubscription): void {
    // Late 'error' events of an abandoned stream must not become unhandled errors.
    subscription.on('error', () => undefined);
    void subscription.unsubscribe().catch(() => undefined);
  }
}
