import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';

/** One numbered migration of a schema: never edit one once released; add the next number. */
export interface Migration {
  readonly version: string;
  readonly sql: string;
}

/** The numbered `NNN_name.sql` files of a folder, in order, as migrations named by file. */
export async function readMigrationFiles(dir: string): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({ version: file, sql: await readFile(join(dir, file), 'utf8') })),
  );
}

/**
 * Applies the migrations `schema` has not seen, in order, all in one transaction under an
 * advisory lock, so processes starting together neither race nor half-apply. Each runs with
 * `search_path` set to the schema; its version is recorded in `<schema>.schema_migrations`.
 * `then` runs last in the same transaction, for set-up that must exist once the schema does.
 */
export async function migrateSchema(
  pool: Pool,
  schema: string,
  migrations: readonly Migration[],
  then?: (client: PoolClient) => Promise<void>,
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
    await client.query('RESET search_path');
    await then?.(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
