// Checking a read model against a replay from position 0.
import { EMAIL_CATEGORY } from '@app/email-streams';
import type { EventStore, Position } from '@app/event-store';
import { inTransaction, withClient } from '@app/platform';
import type { Pool } from 'pg';
import { applyEmailEvents } from './email-rows';
import { createGeneration } from './generations';

/**
 * Replays the whole category into a new, unindexed generation that nothing reads: what a rebuild
 * from position 0 would produce, for checking the live tables against (and for the bench).
 */
export async function replayIntoNewGeneration(
  pool: Pool,
  store: EventStore,
  batchSize = 5_000,
): Promise<number> {
  const generation = await withClient(pool, (client) =>
    createGeneration(client, { indexes: false }),
  );
  let after: Position | 'start' = 'start';
  for (;;) {
    const batch = await store.readCategory(EMAIL_CATEGORY, { after, maxCount: batchSize });
    const last = batch[batch.length - 1];
    if (!last) return generation;
    await inTransaction(pool, (client) => applyEmailEvents(client, generation, batch));
    after = last.position;
  }
}

/**
 * Rows in one schema's tables but not the other's, both ways (`read_model` for the live views, or
 * `read_model_g<n>`): 0 when two generations hold the same read model.
 */
export async function countDifferences(pool: Pool, left: string, right: string): Promise<number> {
  let total = 0;
  for (const table of ['emails', 'sender_hourly_sends', 'tenant_pending']) {
    const a = `${left}.${table}`;
    const b = `${right}.${table}`;
    const { rows } = await pool.query<{ n: string }>(
      `SELECT count(*) AS n FROM ((TABLE ${a} EXCEPT ALL TABLE ${b}) UNION ALL (TABLE ${b} EXCEPT ALL TABLE ${a})) d`,
    );
    total += Number(rows[0]?.n);
  }
  return total;
}
