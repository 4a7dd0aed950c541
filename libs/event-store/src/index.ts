export * from './event-store.port';
export * from './event-store.errors';
export * from './position';
export * from './create-event-store';
export {
  PostgresEventStore,
  type PostgresEventStoreOptions,
} from './postgres/postgres-event-store';
export { Batcher } from './postgres/batcher';
export { EsdbEventStore } from './esdb/esdb-event-store';
