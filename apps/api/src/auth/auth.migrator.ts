import type { Pool } from 'pg';
import { AUTH_MIGRATIONS, type Migration } from './auth.migrations';

export const AUTH_SCHEMA = 'auth';

/**
 * Applies the migrations the `auth` schema has not seen, all in one transaction under an advisory
 * lock, so api processes starting together neither race nor half-apply. (The same shape as the
 * event store's migrator; the two could share one in libs/platform.)
 */
export async function migrateAuthSchema(
  pool: Pool,
  migrations: readonly Migration[] = AUTH_MIGRATIONS,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrate:${AUTH_SCHEMA}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${AUTH_SCHEMA}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${AUTH_SCHEMA}.schema_migrations (
         version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: string }>(
      `SELECT version FROM ${AUTH_SCHEMA}.schema_migrations`,
    );
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(`SET LOCAL search_path TO ${AUTH_SCHEMA}`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${AUTH_SCHEMA}.schema_migrations (version) VALUES ($1)`, [
        migration.version,
      ]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
