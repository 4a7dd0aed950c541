import type { ConcurrencyError } from './event-store.errors';

/**
 * The event store port, with EventStoreDB's semantics so that both adapters can honour it:
 * streams of JSON events, 0-based revisions, optimistic concurrency by expected revision,
 * and a global position order over a category that subscribers checkpoint.
 */

/** What an append expects of the stream it writes to. */
export type ExpectedRevision = 'no-stream' | 'any' | 'stream-exists' | number;

/**
 * A point in the total order of all events. Two numbers, as EventStoreDB's `{commit, prepare}`,
 * ordered by `commit` then `prepare`. Opaque to callers beyond comparison and serialisation.
 */
export interface Position {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/**
 * An event about to be appended. `id` must be a UUID naming this event of one decision: re-appending the
 * same ids at the same expected revision is a no-op (a retry of that decision); any other ids where the
 * expectation no longer holds are a ConcurrencyError.
 */
export interface EventToAppend {
  readonly id: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata?: Record<string, unknown>;
}

export interface RecordedEvent {
  readonly id: string;
  readonly streamName: string;
  readonly revision: number;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly recordedAt: Date;
  readonly position: Position;
}

export interface AppendResult {
  /** The revision of the last event now in the stream. */
  readonly nextRevision: number;
  /** The position of the last event appended. */
  readonly position: Position;
}

/** One stream's part of an appendMany. */
export interface StreamAppend {
  readonly streamName: string;
  readonly events: readonly EventToAppend[];
  readonly expectedRevision: ExpectedRevision;
}

/**
 * What one stream's append came to: written (or found written by an earlier try of the same ids), refused
 * (ConcurrencyError), or failed on its own (its payload refused, a lane timed out): an Error for it alone.
 */
export type StreamAppendResult = AppendResult | ConcurrencyError | Error;

export interface ReadStreamOptions {
  readonly fromRevision?: number | 'start' | 'end';
  readonly direction?: 'forwards' | 'backwards';
  readonly maxCount?: number;
}

export interface ReadCategoryOptions {
  /** Exclusive: events strictly after this position. `'start'` reads from the beginning. */
  readonly after: Position | 'start';
  readonly maxCount: number;
}

/**
 * Receives events in position order, a batch at a time. The subscription waits for the returned
 * promise before delivering more, so a handler that stores `batch[batch.length - 1].position`
 * as its checkpoint never runs ahead of what it has processed.
 */
export type BatchHandler = (batch: readonly RecordedEvent[]) => Promise<void>;

export interface SubscribeOptions {
  readonly after: Position | 'start';
  readonly maxBatchSize?: number;
  /** Called when the subscription loses its connection and is about to resubscribe. */
  readonly onDrop?: (error: unknown) => void;
}

export interface Subscription {
  /** Stops delivery; resolves once no handler call is running. */
  stop(): Promise<void>;
  /** Rejects if the handler throws: a subscription never skips an event its handler refused. */
  readonly done: Promise<void>;
}

export interface EventStore {
  append(
    streamName: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult>;

  /**
   * Appends to many streams at once, each under its own expected revision as `append` would, and answers
   * each in order: a refused expectation (ConcurrencyError) or an append that failed on its own (an Error)
   * is that stream's answer and does not stop the others.
   * Not atomic across streams (EventStoreDB has no such thing); the Postgres store writes them in one
   * round trip.
   */
  appendMany(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]>;

  /** Throws StreamNotFoundError when the stream has no events. */
  readStream(streamName: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Events of streams named `<category>-…`, strictly after `options.after`, in position order. */
  readCategory(category: string, options: ReadCategoryOptions): Promise<RecordedEvent[]>;

  /**
   * Catch-up then live delivery of a category's events after a checkpoint. A dropped connection
   * resubscribes from the last delivered position by itself.
   */
  subscribeToCategory(
    category: string,
    handler: BatchHandler,
    options: SubscribeOptions,
  ): Subscription;

  /** The position of the newest event of the category, or `'start'` when it has none. */
  headPosition(category: string): Promise<Position | 'start'>;

  close(): Promise<void>;
}
