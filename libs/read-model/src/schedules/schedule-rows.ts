// The `schedules` schema: one row per schedule, a projection of the schedule streams, where the occurrence
// runner finds what is due (ADR 0009). Rows are written by two paths, both idempotent: the writer of an
// append (api, runner) right after it, and a catch-up over the `schedule` category whose checkpoint commits
// with the rows it wrote. A row only ever moves to a higher revision, so the two never undo each other.

import type { Pool, PoolClient } from 'pg';
import {
  formatInstant,
  nextOccurrence,
  replaySchedule,
  type ScheduleState,
  type ScheduleStatus,
} from '@app/domain';
import { SCHEDULE_CATEGORY, scheduleIdOfStream, toScheduleEvent } from '@app/email-streams';
import {
  formatPosition,
  parsePosition,
  type EventStore,
  type RecordedEvent,
} from '@app/event-store';
import { inTransaction } from '@app/platform';
import { migrateSchema, type Migration } from '@app/schema-migrations';

export const SCHEDULES_SCHEMA = 'schedules';

const MIGRATIONS: readonly Migration[] = [
  {
    version: '001_schedules.sql',
    sql: `-- One row per schedule stream, and the position of the schedule category folded into them.
      CREATE TABLE schedules (
        id text PRIMARY KEY,
        tenant_id text NOT NULL,
        status text NOT NULL,
        next_occurrence_at timestamptz,
        revision bigint NOT NULL,
        state jsonb NOT NULL,
        created_at timestamptz NOT NULL
      );
      CREATE INDEX schedules_due ON schedules (next_occurrence_at) WHERE status = 'active';
      CREATE INDEX schedules_by_tenant ON schedules (tenant_id, created_at DESC, id DESC);
      CREATE TABLE checkpoint (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        position text
      );
      INSERT INTO checkpoint (only_row, position) VALUES (true, NULL);`,
  },
];

export async function migrateSchedules(pool: Pool): Promise<void> {
  await migrateSchema(pool, SCHEDULES_SCHEMA, MIGRATIONS);
}

/** A schedule as its row holds it. */
export interface ScheduleRow {
  readonly id: string;
  readonly tenantId: string;
  readonly status: ScheduleStatus;
  readonly nextOccurrenceAt: string | null;
  readonly revision: number;
  readonly state: ScheduleState;
  readonly createdAt: string;
}

/** The row a schedule's state at a revision makes; undefined for a stream with no schedule in it. */
export function toScheduleRow(
  scheduleId: string,
  state: ScheduleState,
  revision: number,
): ScheduleRow | undefined {
  if (state.status === 'initial') return undefined;
  const next = state.status === 'active' ? nextOccurrence(state) : undefined;
  return {
    id: scheduleId,
    tenantId: state.schedule.tenantId,
    status: state.status,
    nextOccurrenceAt: next === undefined ? null : formatInstant(next),
    revision,
    state,
    createdAt: state.schedule.createdAt,
  };
}

type Queryable = Pool | PoolClient;

/** Writes the row unless the table already holds this schedule at the same or a later revision. */
export async function saveScheduleRow(db: Queryable, row: ScheduleRow): Promise<void> {
  await db.query(
    `INSERT INTO ${SCHEDULES_SCHEMA}.schedules
       (id, tenant_id, status, next_occurrence_at, revision, state, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET
       status = EXCLUDED.status, next_occurrence_at = EXCLUDED.next_occurrence_at,
       revision = EXCLUDED.revision, state = EXCLUDED.state
     WHERE schedules.revision < EXCLUDED.revision`,
    [
      row.id,
      row.tenantId,
      row.status,
      row.nextOccurrenceAt,
      row.revision,
      JSON.stringify(row.state),
      row.createdAt,
    ],
  );
}

/**
 * Folds the schedule events after the checkpoint into the rows, and moves the checkpoint, in one
 * transaction. Any number of processes may call it at once: the events are read before the transaction,
 * and a caller that finds the checkpoint moved meanwhile gives up this round (another caller did the same
 * work). Answers how many events it folded.
 */
export async function catchUpSchedules(
  pool: Pool,
  store: EventStore,
  maxCount = 1_000,
): Promise<number> {
  const { rows } = await pool.query<{ position: string | null }>(
    `SELECT position FROM ${SCHEDULES_SCHEMA}.checkpoint`,
  );
  const checkpoint = rows[0]?.position ?? null;
  const events = await store.readCategory(SCHEDULE_CATEGORY, {
    after: checkpoint === null ? 'start' : parsePosition(checkpoint),
    maxCount,
  });
  const last = events[events.length - 1];
  if (!last) return 0;
  return inTransaction(pool, async (client) => {
    const locked = await client.query<{ position: string | null }>(
      `SELECT position FROM ${SCHEDULES_SCHEMA}.checkpoint FOR UPDATE`,
    );
    if ((locked.rows[0]?.position ?? null) !== checkpoint) return 0;
    for (const [scheduleId, streamEvents] of byStream(events)) {
      await foldIntoRow(client, scheduleId, streamEvents);
    }
    await client.query(`UPDATE ${SCHEDULES_SCHEMA}.checkpoint SET position = $1`, [
      formatPosition(last.position),
    ]);
    return events.length;
  });
}

function byStream(events: readonly RecordedEvent[]): Map<string, RecordedEvent[]> {
  const streams = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const scheduleId = scheduleIdOfStream(event.streamName);
    if (scheduleId === undefined) continue;
    const list = streams.get(scheduleId) ?? [];
    list.push(event);
    streams.set(scheduleId, list);
  }
  return streams;
}

async function foldIntoRow(
  client: PoolClient,
  scheduleId: string,
  events: readonly RecordedEvent[],
): Promise<void> {
  const { rows } = await client.query<{ revision: string; state: ScheduleState }>(
    `SELECT revision, state FROM ${SCHEDULES_SCHEMA}.schedules WHERE id = $1 FOR UPDATE`,
    [scheduleId],
  );
  const current = rows[0];
  const fromRevision = current === undefined ? -1 : Number(current.revision);
  const newer = events.filter((event) => event.revision > fromRevision);
  const last = newer[newer.length - 1];
  if (!last) return;
  // A row written by an append's writer may be ahead of the checkpoint: only what it lacks is folded.
  if (newer[0]?.revision !== fromRevision + 1) {
    throw new Error(
      `schedule ${scheduleId}: row at revision ${fromRevision}, next event at ${newer[0]?.revision}`,
    );
  }
  const state = replaySchedule(newer.map(toScheduleEvent), current?.state);
  const row = toScheduleRow(scheduleId, state, last.revision);
  if (row) await saveScheduleRow(client, row);
}

/** Active schedules whose next occurrence is before `beforeMs`, soonest first. */
export async function dueScheduleIds(
  pool: Pool,
  beforeMs: number,
  limit: number,
): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM ${SCHEDULES_SCHEMA}.schedules
      WHERE status = 'active' AND next_occurrence_at < $1
      ORDER BY next_occurrence_at LIMIT $2`,
    [formatInstant(beforeMs), limit],
  );
  return rows.map((row) => row.id);
}

/** A page of a tenant's schedules, newest first, after a (createdAt, id) cursor. */
export async function listSchedules(
  pool: Pool,
  tenantId: string,
  after: { readonly createdAt: string; readonly id: string } | undefined,
  limit: number,
): Promise<ScheduleRow[]> {
  const { rows } = await pool.query<{
    id: string;
    tenant_id: string;
    status: ScheduleStatus;
    next_occurrence_at: Date | null;
    revision: string;
    state: ScheduleState;
    created_at: Date;
  }>(
    `SELECT id, tenant_id, status, next_occurrence_at, revision, state, created_at
       FROM ${SCHEDULES_SCHEMA}.schedules
      WHERE tenant_id = $1 AND status <> 'deleted'
        AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::text))
      ORDER BY created_at DESC, id DESC
      LIMIT $4`,
    [tenantId, after?.createdAt ?? null, after?.id ?? '', limit],
  );
  return rows.map((row) => ({
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status,
    nextOccurrenceAt: row.next_occurrence_at === null ? null : row.next_occurrence_at.toISOString(),
    revision: Number(row.revision),
    state: row.state,
    createdAt: row.created_at.toISOString(),
  }));
}
