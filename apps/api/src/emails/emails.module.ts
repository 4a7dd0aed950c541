import { Module } from '@nestjs/common';
import { EventStoreModule, PostgresModule, RedisModule } from '@app/platform';
import { EmailStreams } from '@app/email-streams';
import { BatchesModule } from '../batches/batches.module';
import { QuotasModule } from '../quotas/quotas.module';
import { ReadModelModule } from '../read-model/read-model.module';
import { TemplatesModule } from '../templates/templates.module';
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
    ...EMAIL_COMMAND_HANDLERS,
    GetEmailHandler,
    GetEmailHistoryHandler,
    ListEmailsHandler,
    CsvImportLimits,
    CsvImportService,
    ImportSlots,
  ],
})
export class EmailsModule {}
