import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createEventStore, type EventStore } from '@app/event-store';
import { APP_CONFIG, type AppConfig } from '../config';

/** Injection token of the `EventStore` port. */
export const EVENT_STORE = Symbol('EVENT_STORE');

/**
 * The EventStore port: EventStoreDB/KurrentDB when EVENTSTORE_URL is set, else the Postgres
 * adapter on DATABASE_URL (which applies its migrations as it opens). Closed on shutdown.
 */
@Module({
  providers: [
    {
      provide: EVENT_STORE,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): Promise<EventStore> =>
        createEventStore({ url: config.eventStoreUrl, databaseUrl: config.databaseUrl }),
    },
  ],
  exports: [EVENT_STORE],
})
export class EventStoreModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}
