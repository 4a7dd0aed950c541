import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Pool, PoolClient } from 'pg';
import { ensureProjection } from './generations';
import { inTransaction } from './with-client';

const MIGRATIONS_DIR = join(__dirname, 'migrations');
export const READ_MODEL_SCHEMA = 'read_model';

/**
 * Applies the numbered SQL files of `migrations/` to the `read_model` schema and makes sure the
 * email projection has a live generation (so the views the api reads exist before the first
 * projector runs): one transaction under an advisory lock, so the api and projectors starting
 * together neither race nor half-apply. The same approach as the event store's migrator.
 */
export async function migrateReadModel(pool: Pool): Promise<void> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
  await inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `migrate:${READ_MODEL_SCHEMA}`,
    ]);
    await applyFiles(client, files);
    await ensureProjection(client);
  });
}

async function applyFiles(client: PoolClient, files: readonly string[]): Promise<void> {
  const schema = READ_MODEL_SCHEMA;
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
       version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
  );
  const { rows } = await client.query<{ version: string }>(
    `SELECT version FROM ${schema}.schema_migrations`,
  );
  const applied = new Set(rows.map((r) => r.version));
  for (const file of files) {
    if (applied.has(file)) continue;
    const sql = await readFile(join(MIGRATIONS_DIR, file), 'utf8');
    await client.query(`SET LOCAL search_path TO ${schema}`);
    await client.query(sql);
    await client.query(`INSERT INTO ${schema}.schema_migrations (version) VALUES ($1)`, [file]);
  }
  await client.query('RESET search_path');
}
