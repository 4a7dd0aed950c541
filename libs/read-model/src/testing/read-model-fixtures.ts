import type { Pool } from 'pg';
import { generationSchema } from '../generations';

export async function activeSchema(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ g: string }>(
    `SELECT active_generation AS g FROM read_model.projections WHERE name = 'emails'`,
  );
  return generationSchema(rows[0]?.g ?? '0');
}
