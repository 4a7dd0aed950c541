import { Module, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { AttachmentStore } from '@app/attachments';
import { EventStoreModule, PG_POOL, PostgresModule, RedisModule } from '@app/platform';
import { EmailStreams } from '@app/email-streams';
import { BatchesModule } from '../batches/batches.module';
import { QuotasModule } from '../quotas/quotas.module';
import { ReadModelModule } from '../read-model/read-model.module';
import { TemplatesModule } from '../templates/templates.module';
import { AttachmentDownloads } from './attachments/attachment-downloads';
import { Clock } from './clock';
import { EMAIL_COMMAND_HANDLERS } from './commands/email-command-handlers';
import { EmailsController } from './emails.controller';
import { CsvImportLimits, CsvImportService } from './import/csv-import.service';
import { ImportController } from './import/import.controller';
import { ImportSlots } from './import/import-slots';
import { GetEmailHistoryHandler } from './queries/get-email-history.handler';
import { GetEmailHandler } from './queries/get-email.handler';
import { ListEmailsHandler } from './queries/list-emails.handler';

/**
 * `/v1/emails`: commands append to each email's stream (schedule, batch, CSV import, reschedule,
 * cancel); queries read the read model (one email, the tenant's list) or fold the stream (history).
 * Attachment bytes live apart (`attachments` schema, migrated at start): stored at scheduling, downloaded here.
 */
@Module({
  imports: [
    EventStoreModule,
    PostgresModule,
    RedisModule,
    ReadModelModule,
    QuotasModule,
    BatchesModule,
    TemplatesModule,
  ],
  controllers: [EmailsController, ImportController],
  providers: [
    Clock,
    EmailStreams,
    {
      provide: AttachmentStore,
      inject: [PG_POOL],
      useFactory: (pool: Pool) => new AttachmentStore(pool),
    },
    AttachmentDownloads,
    ...EMAIL_COMMAND_HANDLERS,
    GetEmailHandler,
    GetEmailHistoryHandler,
    ListEmailsHandler,
    CsvImportLimits,
    CsvImportService,
    ImportSlots,
  ],
})
export class EmailsModule implements OnModuleInit {
  constructor(private readonly attachments: AttachmentStore) {}

  onModuleInit(): Promise<void> {
    return this.attachments.migrate();
  }
}
