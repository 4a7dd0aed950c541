import { randomUUID } from 'node:crypto';
import { UnprocessableEntityException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decide } from '@app/domain';
import { Clock } from '../clock';
import {
  EmailStreams,
  currentResult,
  retryOnConcurrency,
  type EmailWriteResult,
  type LoadedEmail,
} from '@app/email-streams';
import { ScheduleEmailCommand } from './schedule-email.command';

export interface ScheduleEmailResult extends EmailWriteResult {
  /** False when an Idempotency-Key repeat found the email already scheduled by the same request. */
  readonly created: boolean;
}

@CommandHandler(ScheduleEmailCommand)
export class ScheduleEmailHandler implements ICommandHandler<ScheduleEmailCommand> {
  constructor(
    private readonly streams: EmailStreams,
    private readonly clock: Clock,
  ) {}

  execute(command: ScheduleEmailCommand): Promise<ScheduleEmailResult> {
    return retryOnConcurrency(() => this.attempt(command));
  }

  private async attempt(command: ScheduleEmailCommand): Promise<ScheduleEmailResult> {
    const { emailId, tenantId, input, idempotency } = command;
    const loaded = await this.streams.load(emailId);
    if (idempotency && loaded.state.status !== 'initial') return repeat(loaded, idempotency);

    const events = decide(
      {
        type: 'ScheduleEmail',
        data: {
          ...input,
          emailId,
          tenantId,
          now: this.clock.now(),
          ...(idempotency ? { idempotencyKey: idempotency.key } : {}),
        },
      },
      loaded.state,
    );
    const correlationId = randomUUID();
    const written = await this.streams.append(loaded, events, {
      correlationId,
      tenantId,
      ...(idempotency ? { requestHash: idempotency.requestHash } : {}),
    });
    if (!idempotency) return { ...written, created: true };

    // Event ids depend on the stream and revision only, so a parallel twin's append lands as a no-op
    // retry of ours: whoever's metadata is stored is the one that created the email.
    const stored = await this.streams.load(emailId);
    if (stored.events[0]?.metadata.correlationId !== correlationId) {
      return repeat(stored, idempotency);
    }
    return { ...written, created: true };
  }
}

function repeat(
  loaded: LoadedEmail,
  idempotency: { readonly requestHash: string },
): ScheduleEmailResult {
  if (loaded.events[0]?.metadata.requestHash !== idempotency.requestHash) {
    throw new UnprocessableEntityException(
      'this Idempotency-Key was already used with a different request',
    );
  }
  return { ...currentResult(loaded), created: false };
}
