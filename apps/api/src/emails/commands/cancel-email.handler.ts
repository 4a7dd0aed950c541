import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide } from '@app/domain';
import { Clock } from '../clock';
import { EmailStreams, retryOnConcurrency, type EmailWriteResult } from '@app/email-streams';
import { CancelEmailCommand } from './cancel-email.command';
import { checkIfMatch } from './if-match';

@CommandHandler(CancelEmailCommand)
export class CancelEmailHandler implements ICommandHandler<CancelEmailCommand> {
  constructor(
    private readonly streams: EmailStreams,
    private readonly clock: Clock,
  ) {}

  execute(command: CancelEmailCommand): Promise<EmailWriteResult> {
    return retryOnConcurrency(async () => {
      const loaded = await this.streams.loadOwned(command.emailId, command.tenantId);
      checkIfMatch(loaded, command.expectedRevision);
      const events = decide({ type: 'CancelEmail', data: { now: this.clock.now() } }, loaded.state);
      return this.streams.append(loaded, events, { tenantId: command.tenantId });
    });
  }
}
