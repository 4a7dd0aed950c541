import { join } from 'node:path';
import type { Pool } from 'pg';
import { migrateSchema, readMigrationFiles } from '@app/schema-migrations';
import { ensureProjection } from './generations';

export const READ_MODEL_SCHEMA = 'read_model';

/**
 * Applies the numbered SQL files of `migrations/` to the `read_model` schema and, in the same
 * transaction, makes sure the email projection has a live generation, so the views the api reads
 * exist before the first projector runs.
 */
export async function migrateReadModel(pool: Pool): Promise<void> {
  const migrations = await readMigrationFiles(join(__dirname, 'migrations'));
  await migrateSchema(pool, READ_MODEL_SCHEMA, migrations, ensureProjection);
}
