export * from './event-store.port';
export * from './event-store.errors';
export * from './position';
export * from './create-event-store';
export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store';
export { EsdbEventStore } from './esdb/esdb-event-store';
