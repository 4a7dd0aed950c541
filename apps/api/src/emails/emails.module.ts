import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { EventStoreModule } from '@app/platform';
import { Clock } from './clock';
import { CancelEmailHandler } from './commands/cancel-email.handler';
import { RescheduleEmailHandler } from './commands/reschedule-email.handler';
import { EmailScheduling } from './commands/email-scheduling';
import { ScheduleEmailHandler } from './commands/schedule-email.handler';
import { ScheduleEmailsHandler } from './commands/schedule-emails.handler';
import { EmailStreams } from '@app/email-streams';
import { EmailsController } from './emails.controller';
import { CsvImportLimits, CsvImportService } from './import/csv-import.service';
import { ImportController } from './import/import.controller';
import { GetEmailHistoryHandler } from './queries/get-email-history.handler';

@Module({
  imports: [CqrsModule.forRoot(), EventStoreModule],
  controllers: [EmailsController, ImportController],
  providers: [
    Clock,
    EmailStreams,
    EmailScheduling,
    ScheduleEmailHandler,
    ScheduleEmailsHandler,
    RescheduleEmailHandler,
    CancelEmailHandler,
    GetEmailHistoryHandler,
    CsvImportLimits,
    CsvImportService,
  ],
})
export class EmailsModule {}
