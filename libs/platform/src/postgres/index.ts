export { PG_POOL, PostgresModule, createPostgresPool } from './postgres.module';
export { migrateSchema, type Migration } from './migrator';
