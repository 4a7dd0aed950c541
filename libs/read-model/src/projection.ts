// Checkpointed application of batches: the live generation's and the rebuild's. Each batch's rows and
// its checkpoint commit in one transaction, guarded by a compare-and-set on the previous checkpoint.
import { EMAIL_CATEGORY } from '@app/email-streams';
import {
  comparePositions,
  formatPosition,
  parsePosition,
  type EventStore,
  type Position,
  type RecordedEvent,
} from '@app/event-store';
import { inTransaction } from '@app/platform';
import type { Pool, PoolClient } from 'pg';
import { applyEmailEvents } from './email-rows';
import {
  EMAIL_PROJECTION,
  GENERATION_VERSION,
  createGeneration,
  createGenerationIndexes,
  generationSchema,
  pointViewsAt,
} from './generations';

/** The checkpoint moved under us: another projector applied a batch. Re-read it and carry on. */
export class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';

  constructor(projection: string, expected: string | null) {
    super(`The checkpoint of ${projection} is no longer ${expected ?? 'the start'}`);
  }
}

/** A row of `read_model.projections`. */
export interface ProjectionRow {
  readonly name: string;
  readonly active_generation: string;
  readonly active_version: number;
  readonly state: 'live' | 'rebuilding';
  readonly position: string | null;
  readonly events: string;
  readonly rebuild_generation: string | null;
  readonly rebuild_version: number | null;
  readonly rebuild_position: string | null;
  readonly rebuild_events: string;
  readonly rebuild_indexed: boolean;
  readonly rebuild_started_at: Date | null;
  readonly last_swap_at: Date | null;
  readonly updated_at: Date;
}

export function toPosition(text: string | null): Position | 'start' {
  return text === null ? 'start' : parsePosition(text);
}

function atOrBefore(position: Position, limit: Position | 'start'): boolean {
  return limit !== 'start' && comparePositions(position, limit) <= 0;
}

export async function readProjection(
  db: Pool | PoolClient,
  name = EMAIL_PROJECTION,
): Promise<ProjectionRow> {
  const { rows } = await db.query<ProjectionRow>(
    `SELECT * FROM read_model.projections WHERE name = $1`,
    [name],
  );
  const row = rows[0];
  if (!row) throw new Error(`No projection named ${name}: run migrateReadModel first`);
  return row;
}

/**
 * Applies a batch to the live generation and moves its checkpoint from `previous` to the batch's
 * last position, in one transaction. The compare-and-set comes first, so it also serialises
 * concurrent projectors and the rebuild's swap; the generation written is the one it returns.
 */
export async function applyLiveBatch(
  pool: Pool,
  previous: Position | 'start',
  batch: readonly RecordedEvent[],
  name = EMAIL_PROJECTION,
): Promise<Position | 'start'> {
  const last = batch[batch.length - 1];
  if (!last) return previous;
  const expected = previous === 'start' ? null : formatPosition(previous);
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<{ active_generation: string }>(
      `UPDATE read_model.projections
          SET position = $3, events = events + $4, updated_at = now()
        WHERE name = $1 AND position IS NOT DISTINCT FROM $2
        RETURNING active_generation`,
      [name, expected, formatPosition(last.position), batch.length],
    );
    const row = rows[0];
    if (!row) throw new CheckpointMovedError(name, expected);
    await applyEmailEvents(client, Number(row.active_generation), batch);
    return last.position;
  });
}

/**
 * Takes the oldest pending rebuild request (or a needed one: the live generation was built by an
 * older table layout) and starts a rebuild into a fresh, unindexed generation. A request made
 * while a rebuild runs joins that rebuild. Returns the generation being rebuilt, if any.
 */
export async function takeRebuildRequest(
  pool: Pool,
  name = EMAIL_PROJECTION,
): Promise<number | undefined> {
  return inTransaction(pool, async (client) => {
    const projection = await lockProjection(client, name);
    const { rows } = await client.query<{ id: string }>(
      `SELECT id FROM read_model.rebuild_requests WHERE name = $1 AND taken_at IS NULL ORDER BY id`,
      [name],
    );
    // A projector of an older release meeting a newer layout stops rather than "rebuild" it back to the
    // old one (which a newer projector would then rebuild again, and so on while both run).
    if (projection.active_version > GENERATION_VERSION) {
      throw new Error(
        `the read model was built by a newer release (layout ${projection.active_version}, this ` +
          `projector knows ${GENERATION_VERSION}): stop this projector and run the newer one`,
      );
    }
    const outdated = projection.active_version < GENERATION_VERSION;
    if (projection.rebuild_generation !== null) {
      const generation = Number(projection.rebuild_generation);
      await markTaken(client, rows, generation);
      return generation;
    }
    if (rows.length === 0 && !outdated) return undefined;
    const generation = await createGeneration(client, { indexes: false });
    await client.query(
      `UPDATE read_model.projections
          SET state = 'rebuilding', rebuild_generation = $2, rebuild_version = $3,
              rebuild_position = NULL, rebuild_events = 0, rebuild_indexed = false,
              rebuild_started_at = now(), updated_at = now()
        WHERE name = $1`,
      [name, generation, GENERATION_VERSION],
    );
    await markTaken(client, rows, generation);
    return generation;
  });
}

async function markTaken(
  client: PoolClient,
  requests: readonly { id: string }[],
  generation: number,
): Promise<void> {
  if (requests.length === 0) return;
  await client.query(
    `UPDATE read_model.rebuild_requests SET taken_at = now(), generation = $2 WHERE id = ANY($1::bigint[])`,
    [requests.map((r) => r.id), generation],
  );
}

async function lockProjection(client: PoolClient, name: string): Promise<ProjectionRow> {
  const { rows } = await client.query<ProjectionRow>(
    `SELECT * FROM read_model.projections WHERE name = $1 FOR UPDATE`,
    [name],
  );
  const row = rows[0];
  if (!row) throw new Error(`No projection named ${name}: run migrateReadModel first`);
  return row;
}

/** What one rebuild step did. */
export type RebuildStep =
  | 'idle' // no rebuild running
  | 'progress' // applied events, more to come
  | 'caught-up' // at the live position, waiting for it to move or for the swap
  | 'swapped'; // the rebuilt generation is live, the old one dropped

/**
 * Moves the running rebuild one batch on, never past the live checkpoint. Once it has nearly caught
 * up it gets its indexes; once it stands exactly at the live checkpoint it is swapped in, in the
 * transaction that holds the projection row, so the live projector cannot move in between.
 */
export async function rebuildStep(
  pool: Pool,
  store: EventStore,
  maxCount = 10_000,
  name = EMAIL_PROJECTION,
  readAhead?: ReadAhead,
): Promise<RebuildStepResult> {
  const seen = await readProjection(pool, name);
  if (seen.rebuild_generation === null) return { step: 'idle' };
  const generation = Number(seen.rebuild_generation);
  const batch = await readRebuildBatch(store, seen.rebuild_position, maxCount, readAhead);
  const next = readAheadPast(store, batch, maxCount);
  const step = await inTransaction(pool, (client) =>
    advanceRebuild({ client, store, name, generation, maxCount }, seen, batch),
  );
  if (step !== 'index') return { step, next };
  // Outside the projection row's lock: indexing a large generation takes a while.
  await indexRebuild(pool, name, generation);
  return { step: 'progress', next };
}

/** What one rebuild step works with, inside the transaction that holds the projection row. */
interface RebuildContext {
  readonly client: PoolClient;
  readonly store: EventStore;
  readonly name: string;
  readonly generation: number;
  readonly maxCount: number;
}

/** How far the step has carried the rebuild: its position, and the events applied to get there. */
interface RebuildProgress {
  position: string | null;
  applied: number;
}

/** The batch after `after`: the one the previous step read ahead, if it starts there, else read now. */
function readRebuildBatch(
  store: EventStore,
  after: string | null,
  maxCount: number,
  readAhead: ReadAhead | undefined,
): Promise<RecordedEvent[]> {
  return readAhead && readAhead.after === after
    ? readAhead.batch
    : store.readCategory(EMAIL_CATEGORY, { after: toPosition(after), maxCount });
}

/** Read the next batch while this one is applied: Node parses while Postgres writes. */
function readAheadPast(
  store: EventStore,
  batch: readonly RecordedEvent[],
  maxCount: number,
): ReadAhead | undefined {
  const lastRead = batch[batch.length - 1];
  return lastRead && batch.length === maxCount
    ? readAheadFrom(store, formatPosition(lastRead.position), maxCount)
    : undefined;
}

/**
 * The step's transaction: applies the batch up to the live checkpoint, decides what comes next,
 * records the progress, and swaps the rebuilt generation in when it stands at the live checkpoint.
 */
async function advanceRebuild(
  rebuild: RebuildContext,
  seen: ProjectionRow,
  batch: readonly RecordedEvent[],
): Promise<RebuildStep | 'index'> {
  const projection = await lockProjection(rebuild.client, rebuild.name);
  if (
    projection.rebuild_generation !== seen.rebuild_generation ||
    projection.rebuild_position !== seen.rebuild_position
  ) {
    return 'progress'; // someone else moved it: read again
  }
  const live = toPosition(projection.position);
  const progress: RebuildProgress = { position: projection.rebuild_position, applied: 0 };
  const events = batch.filter((event) => atOrBefore(event.position, live));
  await applyToRebuild(rebuild, progress, events);
  const step = await stepAfterBatch(
    rebuild,
    projection,
    progress,
    events.length < rebuild.maxCount,
  );
  await recordRebuildProgress(rebuild, progress);
  if (step !== 'swap') return step;
  await swapRebuildIn(rebuild, projection);
  return 'swapped';
}

async function applyToRebuild(
  rebuild: RebuildContext,
  progress: RebuildProgress,
  events: readonly RecordedEvent[],
): Promise<void> {
  const last = events[events.length - 1];
  if (!last) return;
  await applyEmailEvents(rebuild.client, rebuild.generation, events);
  progress.position = formatPosition(last.position);
  progress.applied += events.length;
}

/**
 * What follows a batch: more batches while they come full; once nearly caught up, the indexes; once
 * indexed, closing the gap to the live checkpoint, then the swap if it closed.
 */
async function stepAfterBatch(
  rebuild: RebuildContext,
  projection: ProjectionRow,
  progress: RebuildProgress,
  nearlyThere: boolean,
): Promise<RebuildStep | 'index' | 'swap'> {
  if (!nearlyThere) return 'progress';
  if (!projection.rebuild_indexed) return 'index';
  await closeGapToLive(rebuild, projection.position, progress);
  if (progress.position === projection.position) return 'swap';
  return progress.applied > 0 ? 'progress' : 'caught-up';
}

/**
 * Indexed and within a batch of the live checkpoint, which cannot move while this transaction holds
 * the row: close the gap now, so that the swap never chases it.
 */
async function closeGapToLive(
  rebuild: RebuildContext,
  liveCheckpoint: string | null,
  progress: RebuildProgress,
): Promise<void> {
  const live = toPosition(liveCheckpoint);
  for (let reads = 0; progress.position !== liveCheckpoint && reads < 5; reads += 1) {
    const more = await rebuild.store.readCategory(EMAIL_CATEGORY, {
      after: toPosition(progress.position),
      maxCount: rebuild.maxCount,
    });
    const gap = more.filter((event) => atOrBefore(event.position, live));
    if (gap.length === 0) break;
    await applyToRebuild(rebuild, progress, gap);
  }
}

async function recordRebuildProgress(
  rebuild: RebuildContext,
  progress: RebuildProgress,
): Promise<void> {
  if (progress.applied === 0) return;
  await rebuild.client.query(
    `UPDATE read_model.projections
        SET rebuild_position = $2, rebuild_events = rebuild_events + $3, updated_at = now()
      WHERE name = $1`,
    [rebuild.name, progress.position, progress.applied],
  );
}

/** The rebuilt generation becomes the live one; the views follow it and the old one is dropped. */
async function swapRebuildIn(rebuild: RebuildContext, projection: ProjectionRow): Promise<void> {
  const { client, name, generation } = rebuild;
  await client.query(`SET LOCAL lock_timeout = '5s'`);
  await client.query(
    `UPDATE read_model.projections
        SET active_generation = rebuild_generation, active_version = rebuild_version,
            events = rebuild_events, state = 'live', rebuild_generation = NULL,
            rebuild_version = NULL, rebuild_position = NULL, rebuild_events = 0,
            rebuild_indexed = false, rebuild_started_at = NULL, last_swap_at = now(),
            updated_at = now()
      WHERE name = $1`,
    [name],
  );
  await pointViewsAt(client, generation);
  await client.query(`DROP SCHEMA ${generationSchema(projection.active_generation)} CASCADE`);
}

async function indexRebuild(pool: Pool, name: string, generation: number): Promise<void> {
  await inTransaction(pool, async (client) => {
    await createGenerationIndexes(client, generation);
    await client.query(
      `UPDATE read_model.projections SET rebuild_indexed = true
        WHERE name = $1 AND rebuild_generation = $2`,
      [name, generation],
    );
  });
}

/** A batch being read ahead, from the position it was read after. */
export interface ReadAhead {
  readonly after: string | null;
  readonly batch: Promise<RecordedEvent[]>;
}

export interface RebuildStepResult {
  readonly step: RebuildStep;
  /** Pass it to the next step: it is used only if that step starts where this one ended. */
  readonly next?: ReadAhead;
}

function readAheadFrom(store: EventStore, after: string, maxCount: number): ReadAhead {
  const batch = store.readCategory(EMAIL_CATEGORY, { after: parsePosition(after), maxCount });
  batch.catch(() => undefined); // an unused read-ahead must not be an unhandled rejection
  return { after, batch };
}

/** Asks the active projector to rebuild a projection (what the api's admin endpoint writes). */
export async function requestRebuild(pool: Pool, name = EMAIL_PROJECTION): Promise<number> {
  await readProjection(pool, name);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO read_model.rebuild_requests (name) VALUES ($1) RETURNING id`,
    [name],
  );
  return Number(rows[0]?.id);
}
