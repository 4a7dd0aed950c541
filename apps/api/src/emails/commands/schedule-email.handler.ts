import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { EmailScheduling, type ScheduleEmailResult } from './email-scheduling';
import { ScheduleEmailCommand } from './schedule-email.command';

/** One email: its outcome, or the error that refused it. */
@CommandHandler(ScheduleEmailCommand)
export class ScheduleEmailHandler implements ICommandHandler<ScheduleEmailCommand> {
  constructor(private readonly scheduling: EmailScheduling) {}

  async execute({ requester, item }: ScheduleEmailCommand): Promise<ScheduleEmailResult> {
    const [outcome] = await this.scheduling.schedule(requester, [item]);
    if (outcome === undefined) throw new Error('no outcome for the email');
    if (outcome instanceof Error) throw outcome;
    return outcome;
  }
}
