import { EsdbEventStore } from './esdb/esdb-event-store';
import type { EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres/postgres-event-store';

export interface EventStoreOptions {
  /** An EventStoreDB/KurrentDB connection string; unset selects the embedded Postgres store. */
  readonly url?: string;
  readonly databaseUrl: string;
  readonly schema?: string;
  readonly poolSize?: number;
}

export async function createEventStore(options: EventStoreOptions): Promise<EventStore> {
  if (options.url) return EsdbEventStore.connect(options.url);
  return PostgresEventStore.open({
    connectionString: options.databaseUrl,
    schema: options.schema,
    poolSize: options.poolSize,
  });
}
