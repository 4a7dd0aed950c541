export { PG_POOL, PostgresModule, createPostgresPool } from './postgres.module';
