import type { Pool } from 'pg';
import { migrateSchema, type Migration } from '@app/schema-migrations';
import { AUTH_MIGRATIONS } from './auth.migrations';

export const AUTH_SCHEMA = 'auth';

/**
 * Applies the migrations the `auth` schema has not seen, all in one transaction under an advisory
 * lock, so api processes starting together neither race nor half-apply.
 */
export async function migrateAuthSchema(
  pool: Pool,
  migrations: readonly Migration[] = AUTH_MIGRATIONS,
): Promise<void> {
  await migrateSchema(pool, AUTH_SCHEMA, migrations);
}
