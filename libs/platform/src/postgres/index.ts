export { PG_POOL, PostgresModule, createPostgresPool } from './postgres.module';
export { inTransaction, withClient } from './with-client';
