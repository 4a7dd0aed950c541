import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide } from '@app/domain';
import { Clock } from '../clock';
import { EmailStreams, retryOnConcurrency, type EmailWriteResult } from '@app/email-streams';
import { checkIfMatch } from './if-match';
import { RescheduleEmailCommand } from './reschedule-email.command';

@CommandHandler(RescheduleEmailCommand)
export class RescheduleEmailHandler implements ICommandHandler<RescheduleEmailCommand> {
  constructor(
    private readonly streams: EmailStreams,
    private readonly clock: Clock,
  ) {}

  execute(command: RescheduleEmailCommand): Promise<EmailWriteResult> {
    return retryOnConcurrency(async () => {
      const loaded = await this.streams.loadOwned(command.emailId, command.tenantId);
      checkIfMatch(loaded, command.expectedRevision);
      const events = decide(
        {
          type: 'RescheduleEmail',
          data: {
            sendAt: command.sendAt,
            ...(command.timeZone === undefined ? {} : { timeZone: command.timeZone }),
            now: this.clock.now(),
          },
        },
        loaded.state,
      );
      return this.streams.append(loaded, events, { tenantId: command.tenantId });
    });
  }
}
