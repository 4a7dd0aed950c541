import { join } from 'node:path';
import { Batcher } from '@app/async';
import { migrateSchema, readMigrationFiles } from '@app/schema-migrations';
import { Pool, type PoolConfig } from 'pg';
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
import { categoryOf } from '../position';
import { AppendListener } from './append-listener';
import { AppendNotifier } from './append-notifier';
import { PostgresSubscription } from './postgres-subscription';

export interface PostgresEventStoreOptions {
  readonly connectionString: string;
  /** The schema holding the store's tables; tests give each run its own. */
  readonly schema?: string;
  readonly poolSize?: number;
}

interface EventRow {
  event_id: string;
  stream_name: string;
  revision: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  recorded_at: Date;
  txid: string;
  global_position: string;
}

// The transaction id leaves as text under another name: an output column named transaction_id
// would make `ORDER BY transaction_id` sort as text (…9999 after 10000).
const EVENT_COLUMNS =
  'event_id, stream_name, revision, type, data, metadata, recorded_at, transaction_id::text AS txid, global_position';
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** The numbered SQL files of the store's schema (copied beside the build by nest-cli.json's assets). */
const MIGRATIONS_DIR = join(__dirname, 'migrations');

/** The embedded event store: EventStoreDB's semantics on PostgreSQL (docs/adr/0001). */
export class PostgresEventStore implements EventStore {
  private readonly subscriptions = new Set<PostgresSubscription>();

  private constructor(
    private readonly pool: Pool,
    private readonly schema: string,
    private readonly listener: AppendListener,
    private readonly notifier: AppendNotifier,
  ) {}

  /** Appends, a thousand per transaction at most, one transaction at a time (batcher.ts, ADR 0005). */
  private readonly appends = new Batcher<StreamAppend, StreamAppendResult>(
    (appends) => this.appendInRounds(appends),
    1_000,
    1,
  );

  /** Whole-stream reads, the way every writer loads an email before deciding: many per query. */
  private readonly streamReads = new Batcher<string, RecordedEvent[]>(
    (streams) => this.readWholeStreams(streams),
    200,
    1,
  );

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'event_store';
    if (!SCHEMA_NAME.test(schema)) throw new RangeError(`Invalid schema name: ${schema}`);
    const config: PoolConfig = {
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      application_name: `es:${schema}`,
    };
    const pool = new Pool(config);
    // A terminated idle connection is simply discarded by the pool; without a listener the
    // 'error' event would crash the process.
    pool.on('error', () => undefined);
    try {
      await migrateSchema(pool, schema, await readMigrationFiles(MIGRATIONS_DIR));
      await refusePositionsAhead(pool, schema);
    } catch (error) {
      await pool.end();
      throw error;
    }
    const channel = `${schema}_appended`;
    const listener = new AppendListener(
      { connectionString: options.connectionString, application_name: `es-listen:${schema}` },
      channel,
    );
    listener.start();
    return new PostgresEventStore(pool, schema, listener, new AppendNotifier(pool, channel));
  }

  /** As one of a batch when other appends are waiting (batcher.ts). */
  async append(
    streamName: string,
    events: readonly EventToAppend[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const [result] = await this.appendMany([{ streamName, events, expectedRevision }]);
    if (result === undefined) throw new Error('no result for the append');
    if (result instanceof Error) throw result;
    return result;
  }

  appendMany(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    for (const { events } of appends) {
      if (events.length === 0) throw new RangeError('append needs at least one event');
    }
    return this.appends.submit(appends);
  }

  /**
   * One append_many call per round, where a round holds each stream at most once: a stream named twice
   * goes in a second round, after its first append has committed.
   */
  private async appendInRounds(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    const results = new Array<StreamAppendResult>(appends.length);
    const rounds: number[][] = [];
    const seen = new Map<string, number>();
    appends.forEach(({ streamName }, index) => {
      const round = (seen.get(streamName) ?? -1) + 1;
      seen.set(streamName, round);
      (rounds[round] ??= []).push(index);
    });
    for (const round of rounds) {
      const answers = await this.appendToDistinctStreams(
        round.map((index) => appends[index] as StreamAppend),
      );
      round.forEach((index, i) => {
        results[index] = answers[i] as StreamAppendResult;
      });
    }
    return results;
  }

  /**
   * One append_many call; when Postgres refuses the batch's data (a NUL or a lone surrogate in a payload, a
   * value too large), each append is tried on its own, so that only the one at fault fails.
   */
  private async appendToDistinctStreams(
    appends: readonly StreamAppend[],
  ): Promise<StreamAppendResult[]> {
    try {
      return await this.appendTogether(appends);
    } catch (error) {
      if (!isRefusedData(error)) throw error;
      if (appends.length === 1) return [error];
      const results: StreamAppendResult[] = [];
      for (const append of appends) {
        results.push(...(await this.appendToDistinctStreams([append])));
      }
      return results;
    }
  }

  private async appendTogether(appends: readonly StreamAppend[]): Promise<StreamAppendResult[]> {
    const payload = JSON.stringify(
      appends.map(({ streamName, events, expectedRevision }) => {
        return {
          stream: streamName,
          category: categoryOf(streamName),
          kind: typeof expectedRevision === 'number' ? 'exact' : expectedRevision,
          expected: typeof expectedRevision === 'number' ? expectedRevision : null,
          events: events.map((e) => ({
            id: e.id,
            type: e.type,
            data: e.data,
            metadata: e.metadata ?? {},
          })),
        };
      }),
    );
    const { rows } = await this.pool.query<{
      ord: string;
      next_revision: string | null;
      transaction_id: string | null;
      global_position: string | null;
      actual_revision: string | null;
    }>(`SELECT * FROM ${this.schema}.append_many($1)`, [payload]);
    this.notifier.notify();
    return rows.map((row, index) => {
      const append = appends[index];
      if (!append || Number(row.ord) !== index + 1)
        throw new Error(`append_many answered out of order at ${row.ord}`);
      return row.next_revision === null ||
        row.transaction_id === null ||
        row.global_position === null
        ? new ConcurrencyError(
            append.streamName,
            append.expectedRevision,
            row.actual_revision === null ? 'no-stream' : Number(row.actual_revision),
          )
        : {
            nextRevision: Number(row.next_revision),
            position: { commit: BigInt(row.transaction_id), prepare: BigInt(row.global_position) },
          };
    });
  }

  async readStream(streamName: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const whole =
      options.direction !== 'backwards' &&
      (options.fromRevision ?? 'start') === 'start' &&
      options.maxCount === undefined;
    if (whole) {
      const [events = []] = await this.streamReads.submit([streamName]);
      if (events.length === 0) throw new StreamNotFoundError(streamName);
      return events;
    }
    const backwards = options.direction === 'backwards';
    const from = options.fromRevision ?? (backwards ? 'end' : 'start');
    // Forwards from 'end' reads nothing, as EventStoreDB does; backwards from 'end' has no bound.
    const bound =
      from === 'start' ? 0 : from === 'end' ? (backwards ? null : Number.MAX_SAFE_INTEGER) : from;
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events
        WHERE stream_name = $1 AND ($2::bigint IS NULL OR revision ${backwards ? '<=' : '>='} $2)
        ORDER BY revision ${backwards ? 'DESC' : 'ASC'} LIMIT $3`,
      [streamName, bound, options.maxCount ?? null],
    );
    if (rows.length === 0 && (await this.revisionOf(streamName)) === 'no-stream') {
      throw new StreamNotFoundError(streamName);
    }
    return rows.map(toRecordedEvent);
  }

  /** Every event of each stream, by stream, in revision order; none for a stream that does not exist. */
  private async readWholeStreams(streams: readonly string[]): Promise<RecordedEvent[][]> {
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events
        WHERE stream_name = ANY($1::text[]) ORDER BY stream_name, revision`,
      [streams],
    );
    const byStream = new Map<string, RecordedEvent[]>();
    for (const row of rows) {
      const events = byStream.get(row.stream_name);
      if (events) events.push(toRecordedEvent(row));
      else byStream.set(row.stream_name, [toRecordedEvent(row)]);
    }
    return streams.map((stream) => byStream.get(stream) ?? []);
  }

  async readCategory(category: string, options: ReadCategoryOptions): Promise<RecordedEvent[]> {
    const [commit, prepare] = afterBounds(options.after);
    // Only transactions older than every running one are certain to be complete: see migration 001.
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM ${this.schema}.events
        WHERE category = $1
          AND (transaction_id, global_position) > ($2::text::xid8, $3::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id, global_position
        LIMIT $4`,
      [category, commit, prepare, options.maxCount],
    );
    return rows.map(toRecordedEvent);
  }

  /**
   * Whether committed events after `after` are being held back because an older transaction is
   * still running: the subscription then retries soon rather than waiting for a notification.
   */
  async hasHeldBackEvents(category: string, after: Position | 'start'): Promise<boolean> {
    const [commit, prepare] = afterBounds(after);
    const { rows } = await this.pool.query<{ held: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM ${this.schema}.events
          WHERE category = $1
            AND (transaction_id, global_position) > ($2::text::xid8, $3::bigint)
            AND transaction_id >= pg_snapshot_xmin(pg_current_snapshot())) AS held`,
      [category, commit, prepare],
    );
    return rows[0]?.held ?? false;
  }

  subscribeToCategory(
    category: string,
    handler: BatchHandler,
    options: SubscribeOptions,
  ): Subscription {
    const subscription = new PostgresSubscription(this, this.listener, category, handler, options);
    this.subscriptions.add(subscription);
    void subscription.done
      .finally(() => this.subscriptions.delete(subscription))
      .catch(() => undefined);
    return subscription;
  }

  async headPosition(category: string): Promise<Position | 'start'> {
    const { rows } = await this.pool.query<{ txid: string; global_position: string }>(
      `SELECT transaction_id::text AS txid, global_position FROM ${this.schema}.events
        WHERE category = $1 AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
      [category],
    );
    const row = rows[0];
    return row ? { commit: BigInt(row.txid), prepare: BigInt(row.global_position) } : 'start';
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    await this.listener.close();
    await this.pool.end();
  }

  private async revisionOf(streamName: string): Promise<number | 'no-stream'> {
    const { rows } = await this.pool.query<{ revision: string | null }>(
      `SELECT max(revision) AS revision FROM ${this.schema}.events WHERE stream_name = $1`,
      [streamName],
    );
    const revision = rows[0]?.revision;
    return revision === null || revision === undefined ? 'no-stream' : Number(revision);
  }
}

/**
 * Errors that a statement's data caused, not the connection or the server: SQLSTATE classes 22 (data
 * exception: untranslatable or invalid characters in JSON), 23 (integrity) and 54 (program limit exceeded).
 */
function isRefusedData(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    error instanceof Error &&
    typeof code === 'string' &&
    /^(22|23|54)/.test(code) &&
    code.length === 5
  );
}

function afterBounds(after: Position | 'start'): [string, string] {
  return after === 'start' ? ['0', '0'] : [after.commit.toString(), after.prepare.toString()];
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.event_id,
    streamName: row.stream_name,
    revision: Number(row.revision),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    recordedAt: row.recorded_at,
    position: { commit: BigInt(row.txid), prepare: BigInt(row.global_position) },
  };
}

/** The store cannot start on a cluster whose transaction counter is behind the positions it holds. */
export class PositionsAheadError extends Error {
  override readonly name = 'PositionsAheadError';
}

/**
 * Positions are (transaction id, sequence). A `pg_dump` restored into a new cluster keeps the old
 * transaction ids while the new cluster counts from its own, lower, counter: every event appended
 * there would sort before events subscribers have already passed, and they would never see it. So
 * the store refuses to start until the counter is past the newest stored id. The newest id per
 * category comes from the category-order index, one short descent per category.
 */
async function refusePositionsAhead(pool: Pool, schema: string): Promise<void> {
  const { rows } = await pool.query<{ newest: string | null; next: string }>(
    `WITH RECURSIVE categories(category) AS (
       SELECT min(category) FROM ${schema}.events
       UNION ALL
       SELECT (SELECT min(category) FROM ${schema}.events WHERE category > c.category)
         FROM categories c WHERE c.category IS NOT NULL
     )
     SELECT max((SELECT transaction_id FROM ${schema}.events e WHERE e.category = c.category
                  ORDER BY transaction_id DESC LIMIT 1)::text::numeric)::text AS newest,
            pg_snapshot_xmax(pg_current_snapshot())::text AS next
       FROM categories c WHERE c.category IS NOT NULL`,
  );
  const newest = rows[0]?.newest;
  const next = rows[0]?.next;
  if (!newest || !next || BigInt(newest) < BigInt(next)) return;
  const epoch = BigInt(newest) >> 32n;
  const xid = (BigInt(newest) & 0xffffffffn) + 1n;
  // The commit-log segment that will hold the new counter's first transaction (1,048,576 ids per file).
  const segment = (xid >> 20n).toString(16).toUpperCase().padStart(4, '0');
  throw new PositionsAheadError(
    `The event store in schema ${schema} holds events appended by transaction ${newest}, but this ` +
      `PostgreSQL cluster's next transaction id is ${next}: it was restored from a dump (pg_dump) into ` +
      `another cluster. New events would sort before stored ones and every subscriber would miss them, ` +
      `so the store does not start. Stop PostgreSQL, run \`pg_resetwal -e ${epoch} -x ${xid} <data directory>\` ` +
      `and, unless <data directory>/pg_xact/${segment} exists, \`dd if=/dev/zero of=<data directory>/pg_xact/${segment} ` +
      `bs=8192 count=32\` (as the postgres user), start it again, then start the services ` +
      `(docs/OPERATIONS.md, "Restoring PostgreSQL from a dump").`,
  );
}
