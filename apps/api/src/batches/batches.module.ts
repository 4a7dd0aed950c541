import { Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { EmailStreams } from '@app/email-streams';
import { EventStoreModule, PG_POOL, PostgresModule } from '@app/platform';
import { Clock } from '../emails/clock';
import { BatchesController } from './batches.controller';
import { BatchesRepository } from './batches.repository';
import { BulkTargets } from './bulk-targets';
import { EmailActionsController } from './email-actions.controller';
import { EmailActions } from './email-actions.service';

/**
 * Batches you can act on: `/v1/batches` (list, counts, cancel/pause/resume/retry of every email), the same
 * actions by filter (`/v1/emails/bulk/…`) and on one email (`/v1/emails/:id/pause|resume|retry`), all
 * through EmailActions. Exports the membership store, which EmailsModule writes as batches are scheduled.
 * At start: migrates the `batches` schema.
 */
@Module({
  imports: [PostgresModule, EventStoreModule],
  controllers: [BatchesController, EmailActionsController],
  providers: [
    Clock,
    EmailStreams,
    EmailActions,
    {
      provide: BatchesRepository,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new BatchesRepository(pool),
    },
    { provide: BulkTargets, inject: [PG_POOL], useFactory: (pool: Pool) => new BulkTargets(pool) },
  ],
  exports: [BatchesRepository],
})
export class BatchesModule implements OnModuleInit {
  constructor(private readonly batches: BatchesRepository) {}

  onModuleInit(): Promise<void> {
    return this.batches.migrate();
  }
}
