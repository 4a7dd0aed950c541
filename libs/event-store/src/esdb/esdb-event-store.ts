import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  isCommandError,
  jsonEvent,
  type AppendExpectedRevision,
  type CurrentRevision,
  type ReadPosition,
  type ReadRevision,
  type StreamingRead,
} from '@eventstore/db-client';
import { ConcurrencyError, StreamNotFoundError } from '../event-store.errors';
import type {
  AppendResult,
  BatchHandler,
  EventStore,
  EventToAppend,
  ExpectedRevision,
  Position,
  ReadCategoryOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamAppend,
  StreamAppendResult,
  SubscribeOptions,
  Subscription,
} from '../event-store.port';
import { comparePositions } from '../position';
import { EsdbCategorySubscription } from './esdb-category-subscription';
import { toEsdbConnectionString } from './esdb-connection-string';
import { isCategoryEvent, isKnownPosition, toEsdbPosition, toRecordedEvent } from './esdb-mapping';

/** Appends of one appendMany in flight at once. */
const APPEND_MANY_CONCURRENCY = 16;

/** Events per `readAll` request when scanning `$all` for a category (see readCategory). */
const ALL_PAGE_SIZE = 1_000;

/**
 * The production event store: EventStoreDB through `@eventstore/db-client` 6.2.1 (gRPC).
 *
 * Revisions, expected revisions, idempotent re-append (same event ids at the same expected
 * revision) and positions (`{commit, prepare}` of the transaction log) are EventStoreDB's own.
 * Needs EventStoreDB 22.6 or later (stream reads carry positions from then on) and, on a secure
 * cluster, credentials in the connection string that may read `$all`.
 */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<EsdbCategorySubscription>();
  private closed = false;

  private constructor(private readonly client: EventStoreDBClient) {}

  /**
   * `esdb://host:2113?tls=false`, `esdb+discover://…` (or their `kurrentdb` names): the client
   * connects lazily, on first use.
   */
  static connect(connectionString: string): EsdbEventStore {
    return new EsdbEventStore(
      EventStoreDBClient.connectionString(toEsdbConnectionString(connectionString)),
    );
  }

  async append(
    streamName: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError('append needs at least one event');
    let result;
    try {
      result = await this.client.appendToStream(
        streamName,
        events.map((event) =>
          jsonEvent({
            id: event.id,
            type: event.type,
            data: event.data,
            ...(event.metadata === undefined ? {} : { metadata: event.metadata }),
          }),
        ),
        { expectedRevision: toEsdbExpectedRevision(expectedRevision) },
      );
    } catch (error) {
      if (
        error instanceof Error &&
        isCommandError(error) &&
        error.type === ErrorType.WRONG_EXPECTED_VERSION
      ) {
        throw new ConcurrencyError(
          streamName,
          expectedRevision,
          fromCurrentRevision(error.actualVersion),
        );
      }
      throw error;
    }
    const nextRevision = Number(result.nextExpectedRevision);
    // A single-event append answers with that event's position. For several events the server
    // answers with the position of the write as a whole (not the last event's), and an idempotent
    // re-append answers with no position (older servers) or the last event's log position alone:
    // in those cases read the last event back, which always has its true position.
    if (events.length === 1 && isKnownPosition(result.position)) {
      return {
        nextRevision,
        position: { commit: result.position.commit, prepare: result.position.prepare },
      };
    }
    const [last] = await this.readStream(streamName, { fromRevision: nextRevision, maxCount: 1 });
    if (!last || last.revision !== nextRevision) {
      throw new Error(`Could not read back ${streamName}@${nextRevision} after appending it`);
    }
    return { nextRevision, position: last.position };
  }

  /**
   * The server has no multi-stream append here: the appends go out APPEND_MANY_CONCURRENCY at a time, and
   * each is answered on its own: a lane that fails (not leader, deadline, a payload over the size limit)
   * fails its own append, never the others' or the whole call.
   */
  async appendMany(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    const results = new Array<StreamAppendResult>(appends.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let index = next++; index < appends.length; index = next++) {
        const { streamName, events, expectedRevision } = appends[index] as StreamAppend;
        try {
          results[index] = await this.append(streamName, events, expectedRevision);
        } catch (error) {
          results[index] = error instanceof Error ? error : new Error(String(error));
        }
      }
    };
    await Promise.all(Array.from({ length: APPEND_MANY_CONCURRENCY }, lane));
    return results;
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    const fromRevision: ReadRevision =
      from === 'start' ? START : from === 'end' ? END : BigInt(from);
    // A count of 0 still has to tell a missing stream apart: read one event and return none.
    const maxCount = options.maxCount === 0 ? 1 : (options.maxCount ?? Number.MAX_SAFE_INTEGER);
    try {
      const resolved = await collect(
        this.client.readStream(streamName, {
          fromRevision,
          direction: backwards ? BACKWARDS : FORWARDS,
          maxCount,
        }),
      );
      if (options.maxCount === 0) return [];
      const events: RecordedEvent[] = [];
      for (const { event } of resolved) {
        if (event) events.push(toRecordedEvent(event, event.position));
      }
      return events;
    } catch (error) {
      if (
        error instanceof Error &&
        isCommandError(error) &&
        (error.type === ErrorType.STREAM_NOT_FOUND || error.type === ErrorType.STREAM_DELETED)
      ) {
        throw new StreamNotFoundError(streamName);
      }
      throw error;
    }
  }

  /**
   * Client 6.2.1's `readAll` takes no filter (it always sends `no_filter`; only `subscribeToAll`
   * filters server-side), so this reads `$all` forwards in pages and keeps the category's events.
   * Cost: every event of the log after `after` is transferred until `maxCount` matches are found
   * (or the end of the log), i.e. proportional to all traffic, not to the category's. Subscribers
   * use `subscribeToCategory`, which filters on the server; this suits bounded catch-up reads.
   *
   * `readAll({fromPosition})` is inclusive (the event at that position is returned first), so
   * events at or before the cursor are skipped to make `after` exclusive.
   */
  async readCategory(category: string, options: ReadCategoryOptions): Promise<RecordedEvent[]> {
    const matches: RecordedEvent[] = [];
    if (options.maxCount <= 0) return matches;
    let cursor: Position | 'start' = options.after;
    for (;;) {
      const page = await collect(
        this.client.readAll({
          fromPosition: cursor === 'start' ? START : toEsdbPosition(cursor),
          direction: FORWARDS,
          maxCount: ALL_PAGE_SIZE,
        }),
      );
      let lastPosition: Position | undefined;
      for (const { event } of page) {
        if (!event) continue;
        if (cursor !== 'start' && comparePositions(event.position, cursor) <= 0) continue;
        lastPosition = event.position;
        if (!isCategoryEvent(event, category)) continue;
        matches.push(toRecordedEvent(event, event.position));
        if (matches.length >= options.maxCount) return matches;
      }
      if (page.length < ALL_PAGE_SIZE || !lastPosition) return matches;
      cursor = lastPosition;
    }
  }

  subscribeToCategory(
    category: string,
    handler: BatchHandler,
    options: SubscribeOptions,
  ): Subscription {
    if (this.closed) throw new Error('EsdbEventStore is closed');
    const subscription = new EsdbCategorySubscription(this.client, category, handler, options);
    this.subscriptions.add(subscription);
    // Removes it once finished; also keeps an ignored `done` rejection from being "unhandled":
    // the caller learns of a failing handler through `done`.
    subscription.done.then(
      () => this.subscriptions.delete(subscription),
      () => this.subscriptions.delete(subscription),
    );
    return subscription;
  }

  /**
   * Reads `$all` backwards from its end and returns the position of the first event of the category met (no
   * filter on reads in client 6.2.1, see readCategory). The first read is of one event: in this service the
   * store holds email streams, so the newest event is nearly always the answer and a readiness probe costs
   * one small read. Only when system events came last does it page on, in pages growing to ALL_PAGE_SIZE;
   * a category with no events at all reads the whole log to answer 'start'.
   */
  async headPosition(category: string): Promise<Position | 'start'> {
    let cursor: ReadPosition = END;
    for (let pageSize = 1; ; pageSize = Math.min(ALL_PAGE_SIZE, pageSize * 10)) {
      const page = await collect(
        this.client.readAll({ fromPosition: cursor, direction: BACKWARDS, maxCount: pageSize }),
      );
      let lastPosition: Position | undefined;
      for (const { event } of page) {
        if (!event) continue;
        // Whether a backwards read includes the event at its start position or not, skip it.
        if (cursor !== END && comparePositions(event.position, cursor) >= 0) continue;
        lastPosition = event.position;
        if (isCategoryEvent(event, category)) {
          return { commit: event.position.commit, prepare: event.position.prepare };
        }
      }
      if (page.length < pageSize || !lastPosition) return 'start';
      cursor = toEsdbPosition(lastPosition);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    await this.client.dispose();
  }

  /**
   * Test hook, for the contract suite's `dropConnections` only: fails every live subscription's
   * server stream as a lost connection does, so that each must call `onDrop` and resubscribe.
   */
  simulateConnectionLossForTesting(): Promise<void> {
    for (const subscription of this.subscriptions) subscription.simulateConnectionLoss();
    return Promise.resolve();
  }
}

function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  switch (expected) {
    case 'no-stream':
      return NO_STREAM;
    case 'any':
      return ANY;
    case 'stream-exists':
      return STREAM_EXISTS;
    default:
      if (!Number.isSafeInteger(expected) || expected < 0) {
        throw new RangeError(`Expected revision must be a non-negative integer, got ${expected}`);
      }
      return BigInt(expected);
  }
}

/**
 * The client reports a missing stream as `'no_stream'` (from the append response's
 * `current_no_stream`) or, when the error comes as gRPC metadata, as the server's `-1`.
 */
function fromCurrentRevision(actual: CurrentRevision): number | 'no-stream' {
  if (actual === NO_STREAM || actual < 0n) return 'no-stream';
  return Number(actual);
}

/** Reads a bounded client stream to its end (never breaking off, which would leave the call open). */
async function collect<T>(stream: StreamingRead<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of stream) items.push(item);
  return items;
}
