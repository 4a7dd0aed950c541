import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide, replay, type EmailEvent } from '@app/domain';
import { Clock } from '../clock';
import {
  EmailStreams,
  currentResult,
  retryOnConcurrency,
  type EmailWriteResult,
} from '@app/email-streams';
import { checkIfMatch } from './if-match';
import { EditEmailCommand } from './edit-email.command';

@CommandHandler(EditEmailCommand)
export class EditEmailHandler implements ICommandHandler<EditEmailCommand> {
  constructor(
    private readonly streams: EmailStreams,
    private readonly clock: Clock,
  ) {}

  execute(command: EditEmailCommand): Promise<EmailWriteResult> {
    const { reschedule, changes } = command.edit;
    return retryOnConcurrency(async () => {
      const loaded = await this.streams.loadOwned(command.emailId, command.tenantId);
      checkIfMatch(loaded, command.expectedRevision);
      const now = this.clock.now();
      const events: EmailEvent[] = [];
      if (reschedule) {
        events.push(
          ...decide(
            {
              type: 'RescheduleEmail',
              data: {
                sendAt: reschedule.sendAt,
                ...(reschedule.timeZone === undefined ? {} : { timeZone: reschedule.timeZone }),
                now,
              },
            },
            loaded.state,
          ),
        );
      }
      // Decided on the state the reschedule leaves, so the edit's due time is the new one; both go in one
      // append at the revision read (and If-Match named): either both happen or neither.
      if (changes) {
        events.push(
          ...decide(
            { type: 'EditEmailContent', data: { changes, now } },
            replay(events, loaded.state),
          ),
        );
      }
      // An edit to what the email already is changes nothing, and is answered with the email as it stands.
      if (events.length === 0) return currentResult(loaded);
      return this.streams.append(loaded, events, { tenantId: command.tenantId });
    });
  }
}
