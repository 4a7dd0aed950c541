// Numbered migrations of one Postgres schema, applied once under an advisory lock: every schema the
// service owns (event_store, read_model, auth, scheduler, mail_catcher) is migrated by this one function.
export { migrateSchema, readMigrationFiles, type Migration } from './migrator';
