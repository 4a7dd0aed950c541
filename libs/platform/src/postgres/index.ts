export { PG_POOL, PostgresModule, createPostgresPool } from './postgres.module';
export { migrateSchema, readMigrationFiles, type Migration } from './migrator';
