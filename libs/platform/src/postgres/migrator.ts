import type { Pool } from 'pg';

/** One numbered migration of a schema: never edit one once released; add the next number. */
export interface Migration {
  readonly version: string;
  readonly sql: string;
}

/**
 * Applies the migrations `schema` has not seen, in order, all in one transaction under an
 * advisory lock, so processes starting together neither race nor half-apply. Each runs with
 * `search_path` set to the schema; its version is recorded in `<schema>.schema_migrations`.
 */
export async function migrateSchema(
  pool: Pool,
  schema: string,
  migrations: readonly Migration[],
): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a plain schema name: ${schema}`);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`migrate:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
         version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: string }>(
      `SELECT version FROM ${schema}.schema_migrations`,
    );
    const applied = new Set(rows.map((row) => row.version));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(`SET LOCAL search_path TO ${schema}`);
      await client.query(migration.sql);
      await client.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [
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
