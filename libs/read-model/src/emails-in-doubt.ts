import type { Pool } from 'pg';
import { READ_MODEL_VIEWS } from './generations';

/**
 * Emails whose send attempt's lease ran out with no outcome recorded, as the read model sees them:
 * the worker that claimed them died or froze mid-send, and each waits for a lease check to resolve
 * it by IN_DOUBT_POLICY. A few for seconds is normal after a crash; many, or for long, is not.
 */
export async function countEmailsInDoubt(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${READ_MODEL_VIEWS.emails}
      WHERE status = 'attempting' AND (state->>'leaseUntil')::timestamptz < now()`,
  );
  return rows[0]?.n ?? 0;
}
