import { Module } from '@nestjs/common';
import type { EventStore } from '@app/event-store';
import {
  APP_CONFIG,
  EVENT_STORE,
  EventStoreModule,
  PG_POOL,
  PostgresModule,
  type AppConfig,
} from '@app/platform';
import type { Pool } from 'pg';
import { OccurrenceRunner } from './occurrence-runner';
import { RecurrenceService } from './recurrence.service';
import { RECURRENCE_POLL_MS } from './recurrence.tokens';

/** Recurring sends: each worker runs the occurrence runner (ADR 0009). */
@Module({
  imports: [EventStoreModule, PostgresModule],
  providers: [
    {
      provide: OccurrenceRunner,
      inject: [PG_POOL, EVENT_STORE, APP_CONFIG],
      useFactory: (pool: Pool, store: EventStore, config: AppConfig) =>
        new OccurrenceRunner(pool, store, {
          leadMs: config.recurrence.leadMs,
          graceMs: config.recurrence.graceMs,
        }),
    },
    {
      provide: RECURRENCE_POLL_MS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => config.recurrence.pollMs,
    },
    RecurrenceService,
  ],
})
export class RecurrenceModule {}
