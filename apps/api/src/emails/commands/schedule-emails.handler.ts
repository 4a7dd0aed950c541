import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EmailScheduling, type ScheduleOutcome } from './email-scheduling';
import { ScheduleEmailsCommand } from './schedule-emails.command';

/** Each email's outcome, in order; refusals are outcomes, not errors of the command. */
@CommandHandler(ScheduleEmailsCommand)
export class ScheduleEmailsHandler implements ICommandHandler<ScheduleEmailsCommand> {
  constructor(private readonly scheduling: EmailScheduling) {}

  execute({ requester, items }: ScheduleEmailsCommand): Promise<ScheduleOutcome[]> {
    return this.scheduling.schedule(requester, items);
  }
}
