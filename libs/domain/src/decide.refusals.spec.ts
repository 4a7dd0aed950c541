// Every command in every status that refuses it, with the reason the caller will read (the API turns these into
// 404 and 409). A refusal must never be a silent no-op: a worker or an owner needs to know it was too late.

import { decide } from './decide';
import { IllegalStateError, NotFoundError } from './domain-errors';
import type { EmailCommand } from './email-commands';
import type { EmailEvent } from './email-events';
import type { EmailStatus } from './email-state';
import { replay } from './evolve';
import {
  cancelEmail,
  claimSendAttempt,
  DAY,
  deferSend,
  emailScheduled,
  expireEmail,
  HISTORY,
  HOUR,
  pauseEmail,
  plus,
  recordSendFailure,
  recordSendSuccess,
  rescheduleEmail,
  resolveInDoubt,
  resumeEmail,
  retryEmail,
  SEND_AT,
  TRANSIENT,
} from './testing/email-fixtures';
import { given } from './testing/given-when-then';
import { ATTACHMENT, editEmailContent, purgeAttachments } from './testing/email-fixtures';

// Commands timed so that, in the right status, each would succeed: only the status can be refusing them.
const LATE = plus(SEND_AT, DAY);
const COMMANDS: Record<
  Exclude<EmailCommand['type'], 'ScheduleEmail'>,
  { command: EmailCommand; action: string }
> = {
  RescheduleEmail: { command: rescheduleEmail(plus(LATE, DAY), LATE), action: 'reschedule' },
  CancelEmail: { command: cancelEmail({ now: LATE }), action: 'cancel' },
  ClaimSendAttempt: { command: claimSendAttempt({ now: LATE }), action: 'claim a send attempt' },
  DeferSend: { command: deferSend(plus(LATE, DAY), { now: LATE }), action: 'defer' },
  RecordSendSuccess: { command: recordSendSuccess(LATE), action: 'record a successful send' },
  RecordSendFailure: {
    command: recordSendFailure(TRANSIENT, { now: LATE }),
    action: 'record a failed send',
  },
  ResolveInDoubt: { command: resolveInDoubt(LATE), action: 'resolve an in-doubt send' },
  PauseEmail: { command: pauseEmail(LATE), action: 'pause' },
  ResumeEmail: { command: resumeEmail(LATE), action: 'resume' },
  ExpireEmail: { command: expireEmail(LATE), action: 'expire' },
  RetryEmail: { command: retryEmail(LATE), action: 'retry' },
  EditEmailContent: { command: editEmailContent({ subject: 'New' }, LATE), action: 'edit' },
  PurgeAttachments: { command: purgeAttachments(plus(LATE, DAY)), action: 'purge attachments' },
};

const WHY: Record<Exclude<EmailStatus, 'initial'>, string> = {
  scheduled: 'no send attempt is in progress',
  attempting: 'the email is already being sent',
  sent: 'the email has already been sent',
  failed: 'the email has already failed',
  cancelled: 'the email has been cancelled',
  paused: 'the email is paused',
  expired: 'the email has expired',
};

/** Where a refusal says more than the status's usual words. */
function why(type: keyof typeof COMMANDS, status: Exclude<EmailStatus, 'initial'>): string {
  if (type === 'ResumeEmail' && status === 'scheduled') return 'the email is not paused';
  if (type === 'RetryEmail' && !['sent', 'cancelled', 'expired'].includes(status)) {
    return 'only a failed email can be retried';
  }
  if (type === 'PurgeAttachments')
    return `the email is ${status === 'attempting' ? 'being sent' : `${status}, not final`}`;
  return WHY[status];
}

const ALLOWED_IN: Record<keyof typeof COMMANDS, readonly EmailStatus[]> = {
  RescheduleEmail: ['scheduled'],
  CancelEmail: ['scheduled', 'paused'],
  ClaimSendAttempt: ['scheduled'],
  DeferSend: ['scheduled'],
  RecordSendSuccess: ['attempting'],
  RecordSendFailure: ['attempting'],
  ResolveInDoubt: ['attempting'],
  PauseEmail: ['scheduled'],
  ResumeEmail: ['paused'],
  ExpireEmail: ['scheduled', 'paused'],
  RetryEmail: ['failed'],
  EditEmailContent: ['scheduled', 'paused'],
  PurgeAttachments: ['sent', 'failed', 'cancelled', 'expired'],
};

const STATUSES = [
  'scheduled',
  'attempting',
  'sent',
  'failed',
  'cancelled',
  'paused',
  'expired',
] as const;

const refusals = Object.entries(COMMANDS).flatMap(([type, { command, action }]) =>
  STATUSES.filter((status) => !ALLOWED_IN[type as keyof typeof COMMANDS].includes(status)).map(
    (status) =>
      [
        type,
        status,
        command,
        `cannot ${action}: ${why(type as keyof typeof COMMANDS, status)}`,
      ] as const,
  ),
);

/** ExpireEmail needs a deadline that has passed; the other commands the plain histories. */
function historyFor(type: keyof typeof COMMANDS, status: EmailStatus): readonly EmailEvent[] {
  const [, ...rest] = HISTORY[status];
  if (type === 'ExpireEmail') return [emailScheduled({ expiresAt: plus(SEND_AT, HOUR) }), ...rest];
  if (type === 'PurgeAttachments') return [emailScheduled({ attachments: [ATTACHMENT] }), ...rest];
  return HISTORY[status];
}

describe('refusals', () => {
  it.each(Object.entries(COMMANDS))(
    '%s on an email that does not exist is not found',
    (_, { command }) => {
      given(HISTORY.initial).when(command).thenThrows(NotFoundError, { code: 'not-found' });
    },
  );

  it.each(refusals)('%s is refused while %s', (_, status, command, reason) => {
    given(HISTORY[status]).when(command).thenThrows(IllegalStateError, {
      code: 'illegal-state',
      status,
      reason,
      message: reason,
    });
  });

  it.each(
    Object.entries(COMMANDS).flatMap(([type, { command }]) =>
      ALLOWED_IN[type as keyof typeof COMMANDS].map((status) => [type, status, command] as const),
    ),
  )(
    '%s succeeds while %s, so the refusals above are about status alone',
    (type, status, command) => {
      const state = replay(historyFor(type as keyof typeof COMMANDS, status));
      expect(decide(command, state)).toHaveLength(1);
    },
  );

  it('tells an owner why a cancel came too late', () => {
    given(HISTORY.attempting)
      .when(cancelEmail())
      .thenThrows(IllegalStateError, { reason: 'cannot cancel: the email is already being sent' });
  });

  it('covers every status × command pair that must refuse', () => {
    expect(refusals).toHaveLength(13 * 7 - 19);
  });
});
