import { cpus, totalmem } from 'node:os';
import type { Pool } from 'pg';

/** One line naming the machine a figure was taken on, so figures are never read without it. */
export async function describeMachine(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ server_version: string }>('SHOW server_version');
  const cpu = cpus();
  return [
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown cpu'})`,
    `${Math.round(totalmem() / 2 ** 30)} GiB`,
    `Node ${process.version}`,
    `PostgreSQL ${rows[0]?.server_version ?? '?'}`,
  ].join(', ');
}
