import { EMAIL_CATEGORY } from '@app/email-streams';
import { formatPosition, type EventStore } from '@app/event-store';
import type { Pool } from 'pg';
import { readProjection, toPosition } from './projection';
import { EMAIL_PROJECTION } from './generations';

/** Lag counts stop here; beyond it `lagEventsCapped` is true and the count a lower bound. */
export const LAG_COUNT_CAP = 10_000;

export interface ProjectionStatus {
  readonly name: string;
  readonly state: 'live' | 'rebuilding';
  readonly generation: number;
  /** The live checkpoint, `'<commit>/<prepare>'`, or null before the first event. */
  readonly position: string | null;
  /** The newest event of the category, or null when there is none. */
  readonly head: string | null;
  readonly lagEvents: number;
  readonly lagEventsCapped: boolean;
  /** Age of the oldest event not yet projected; 0 when caught up. */
  readonly lagSeconds: number;
  readonly eventsProjected: number;
  readonly lastSwapAt: string | null;
  readonly rebuild: {
    readonly generation: number;
    readonly position: string | null;
    readonly eventsProjected: number;
    /** 0..1: the rebuild's events over the live generation's. */
    readonly progress: number;
    readonly indexed: boolean;
    readonly startedAt: string | null;
  } | null;
}

/** What `GET /v1/admin/projections` shows for one projection. */
export async function readProjectionStatus(
  pool: Pool,
  store: EventStore,
  name = EMAIL_PROJECTION,
  now: () => Date = () => new Date(),
): Promise<ProjectionStatus> {
  const row = await readProjection(pool, name);
  const [head, behind] = await Promise.all([
    store.headPosition(EMAIL_CATEGORY),
    store.readCategory(EMAIL_CATEGORY, {
      after: toPosition(row.position),
      maxCount: LAG_COUNT_CAP,
    }),
  ]);
  const oldest = behind[0];
  const events = Number(row.events);
  const rebuildEvents = Number(row.rebuild_events);
  return {
    name: row.name,
    state: row.state,
    generation: Number(row.active_generation),
    position: row.position,
    head: head === 'start' ? null : formatPosition(head),
    lagEvents: behind.length,
    lagEventsCapped: behind.length >= LAG_COUNT_CAP,
    lagSeconds: oldest ? Math.max(0, (now().getTime() - oldest.recordedAt.getTime()) / 1000) : 0,
    eventsProjected: events,
    lastSwapAt: row.last_swap_at?.toISOString() ?? null,
    rebuild:
      row.rebuild_generation === null
        ? null
        : {
            generation: Number(row.rebuild_generation),
            position: row.rebuild_position,
            eventsProjected: rebuildEvents,
            progress: events === 0 ? 1 : Math.min(1, rebuildEvents / events),
            indexed: row.rebuild_indexed,
            startedAt: row.rebuild_started_at?.toISOString() ?? null,
          },
  };
}

/** Every projection's status (today only `emails`). */
export async function listProjectionStatuses(
  pool: Pool,
  store: EventStore,
): Promise<ProjectionStatus[]> {
  const { rows } = await pool.query<{ name: string }>(
    `SELECT name FROM read_model.projections ORDER BY name`,
  );
  return Promise.all(rows.map((r) => readProjectionStatus(pool, store, r.name)));
}
