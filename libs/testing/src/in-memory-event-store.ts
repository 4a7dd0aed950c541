// The EventStore port in memory, for unit specs only: no I/O, the same answers as the Postgres and
// EventStoreDB adapters (the contract suite runs on it too, libs/event-store/src/testing). A unit spec gives
// it to the code under test as its EVENT_STORE and reads back what was appended.
import {
  categoryOf,
  comparePositions,
  ConcurrencyError,
  StreamNotFoundError,
  type AppendResult,
  type BatchHandler,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
  type Position,
  type ReadCategoryOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type StreamAppendResult,
  type SubscribeOptions,
  type Subscription,
} from '@app/event-store';

const DEFAULT_BATCH = 500;

/** An event as kept: its payload as JSON text, so every read hands out fresh objects, as a database does. */
interface StoredEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly data: string;
  readonly metadata: string;
  readonly recordedAt: Date;
  readonly position: Position;
}

function recorded(event: StoredEvent): RecordedEvent {
  return {
    ...event,
    data: JSON.parse(event.data) as Record<string, unknown>,
    metadata: JSON.parse(event.metadata) as Record<string, unknown>,
    recordedAt: new Date(event.recordedAt),
  };
}

function expectationHolds(expected: ExpectedRevision, current: number | undefined): boolean {
  if (expected === 'any') return true;
  if (expected === 'no-stream') return current === undefined;
  if (expected === 'stream-exists') return current !== undefined;
  return current === expected;
}

export class InMemoryEventStore implements EventStore {
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly categories = new Map<string, StoredEvent[]>();
  private readonly byId = new Map<string, StoredEvent>();
  private readonly subscriptions = new Set<InMemorySubscription>();
  /** One commit per stream append; events within it are told apart by `prepare`. */
  private commits = 0n;
  private prepares = 0n;

  // Written (or refused) in the promise's executor, which runs at once: nothing comes between an append's
  // check and its write, and what it throws is the rejection.
  append(
    streamName: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    return new Promise((resolve, reject) => {
      const [answer] = this.write([{ streamName, events, expectedRevision }]);
      if (answer === undefined || answer instanceof Error) reject(answer ?? new Error('no answer'));
      else resolve(answer);
    });
  }

  appendMany(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    return new Promise((resolve) => resolve(this.write(appends)));
  }

  /** Each append in turn, at once: appends never interleave, as in one transaction. */
  private write(appends: readonly StreamAppend[]): StreamAppendResult[] {
    if (appends.some(({ events }) => events.length === 0)) {
      throw new RangeError('append needs at least one event');
    }
    const results = appends.map((append) => this.appendOne(append));
    for (const subscription of this.subscriptions) subscription.wake();
    return results;
  }

  private appendOne({ streamName, events, expectedRevision }: StreamAppend): StreamAppendResult {
    const stream = this.streams.get(streamName) ?? [];
    const current = stream.length > 0 ? stream.length - 1 : undefined;
    const found = events.flatMap((event) => this.byId.get(event.id) ?? []);
    if (found.length === 0 && expectationHolds(expectedRevision, current)) {
      let serialised: { event: EventToAppend; data: string; metadata: string }[];
      try {
        serialised = events.map((event) => ({
          event,
          data: JSON.stringify(event.data),
          metadata: JSON.stringify(event.metadata ?? {}),
        }));
      } catch (error) {
        // Not JSON (a BigInt, a cycle): refused, as a database refuses what it cannot store.
        return error instanceof Error ? error : new Error(String(error));
      }
      this.commits += 1n;
      const recordedAt = new Date();
      const stored = serialised.map(({ event, data, metadata }, i): StoredEvent => {
        this.prepares += 1n;
        return {
          id: event.id,
          streamName,
          revision: stream.length + i,
          type: event.type,
          data,
          metadata,
          recordedAt,
          position: { commit: this.commits, prepare: this.prepares },
        };
      });
      if (stream.length === 0) this.streams.set(streamName, stream);
      stream.push(...stored);
      const category = categoryOf(streamName);
      const inCategory = this.categories.get(category) ?? [];
      if (inCategory.length === 0) this.categories.set(category, inCategory);
      inCategory.push(...stored);
      for (const event of stored) this.byId.set(event.id, event);
      const last = stored[stored.length - 1] as StoredEvent;
      return { nextRevision: last.revision, position: last.position };
    }
    // These very events stored where this append would have put them: a retry of one that succeeded.
    const here = found.filter((event) => event.streamName === streamName);
    const last =
      here.length > 0 ? here.reduce((a, b) => (b.revision > a.revision ? b : a)) : undefined;
    const startsAt = typeof expectedRevision === 'number' ? expectedRevision + 1 : 0;
    const retried =
      last !== undefined &&
      here.length === events.length &&
      (expectedRevision === 'any' ||
        expectedRevision === 'stream-exists' ||
        last.revision === startsAt + events.length - 1);
    if (retried) return { nextRevision: last.revision, position: last.position };
    return new ConcurrencyError(streamName, expectedRevision, current ?? 'no-stream');
  }

  readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const stream = this.streams.get(streamName);
    if (!stream) return Promise.reject(new StreamNotFoundError(streamName));
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    // Forwards from 'end' reads nothing, as EventStoreDB does; backwards from 'end' has no bound.
    const bound = from === 'start' ? 0 : from === 'end' ? Number.POSITIVE_INFINITY : from;
    const selected = backwards
      ? stream.filter((event) => event.revision <= bound).reverse()
      : stream.filter((event) => event.revision >= bound);
    return Promise.resolve(selected.slice(0, options.maxCount).map(recorded));
  }

  readCategory(category: string, options: ReadCategoryOptions): Promise<RecordedEvent[]> {
    return Promise.resolve(this.eventsAfter(category, options.after, options.maxCount));
  }

  /** The category's events strictly after `after`, at most `maxCount`, at once (no await in between). */
  eventsAfter(category: string, after: Position | 'start', maxCount: number): RecordedEvent[] {
    const events = this.categories.get(category) ?? [];
    const firstAfter =
      after === 'start'
        ? 0
        : events.findIndex((event) => comparePositions(event.position, after) > 0);
    if (firstAfter < 0) return [];
    return events.slice(firstAfter, firstAfter + maxCount).map(recorded);
  }

  subscribeToCategory(
    category: string,
    handler: BatchHandler,
    options: SubscribeOptions,
  ): Subscription {
    const subscription = new InMemorySubscription(this, category, handler, options);
    this.subscriptions.add(subscription);
    void subscription.done
      .finally(() => this.subscriptions.delete(subscription))
      .catch(() => undefined);
    return subscription;
  }

  headPosition(category: string): Promise<Position | 'start'> {
    const events = this.categories.get(category) ?? [];
    return Promise.resolve(events[events.length - 1]?.position ?? 'start');
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
  }
}

/** Catch-up and live in one loop: read what is after the last delivered event, or wait for an append. */
class InMemorySubscription implements Subscription {
  readonly done: Promise<void>;
  private stopped = false;
  private woken: (() => void) | undefined;

  constructor(
    private readonly store: InMemoryEventStore,
    private readonly category: string,
    private readonly handler: BatchHandler,
    private readonly options: SubscribeOptions,
  ) {
    this.done = this.run();
  }

  /** Something was appended: a waiting loop reads again. */
  wake(): void {
    const woken = this.woken;
    this.woken = undefined;
    woken?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake();
    await this.done.catch(() => undefined);
  }

  private async run(): Promise<void> {
    let after = this.options.after;
    const maxCount = this.options.maxBatchSize ?? DEFAULT_BATCH;
    while (!this.stopped) {
      const batch = this.store.eventsAfter(this.category, after, maxCount);
      const last = batch[batch.length - 1];
      if (!last) {
        // Read and wait with no await in between: an append cannot slip past unnoticed.
        await new Promise<void>((resolve) => (this.woken = resolve));
        continue;
      }
      await this.handler(batch);
      after = last.position;
    }
  }
}
