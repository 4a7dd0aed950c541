// Every command in every status that refuses it, with the reason the caller will read (the API turns these into
// 404 and 409). A refusal must never be a silent no-op: a worker or an owner needs to know it was too late.

import { decide } from './decide';
import { IllegalStateError, NotFoundError } from './domain-errors';
import type { EmailCommand } from './email-commands';
import type { EmailStatus } from './email-state';
import { replay } from './evolve';
import {
  cancelEmail,
  claimSendAttempt,
  DAY,
  deferSend,
  HISTORY,
  plus,
  recordSendFailure,
  recordSendSuccess,
  rescheduleEmail,
  resolveInDoubt,
  SEND_AT,
  TRANSIENT,
} from './testing/email-fixtures';
import { given } from './testing/given-when-then';

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
};

const WHY: Record<Exclude<EmailStatus, 'initial'>, string> = {
  scheduled: 'no send attempt is in progress',
  attempting: 'the email is already being sent',
  sent: 'the email has already been sent',
  failed: 'the email has already failed',
  cancelled: 'the email has been cancelled',
};

const ALLOWED_IN: Record<keyof typeof COMMANDS, EmailStatus> = {
  RescheduleEmail: 'scheduled',
  CancelEmail: 'scheduled',
  ClaimSendAttempt: 'scheduled',
  DeferSend: 'scheduled',
  RecordSendSuccess: 'attempting',
  RecordSendFailure: 'attempting',
  ResolveInDoubt: 'attempting',
};

const STATUSES = ['scheduled', 'attempting', 'sent', 'failed', 'cancelled'] as const;

const refusals = Object.entries(COMMANDS).flatMap(([type, { command, action }]) =>
  STATUSES.filter((status) => status !== ALLOWED_IN[type as keyof typeof COMMANDS]).map(
    (status) => [type, status, command, `cannot ${action}: ${WHY[status]}`] as const,
  ),
);

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

  it.each(Object.entries(COMMANDS))(
    '%s succeeds in its own status, so the refusals above are about status alone',
    (type, { command }) => {
      const state = replay(HISTORY[ALLOWED_IN[type as keyof typeof COMMANDS]]);
      expect(decide(command, state)).toHaveLength(1);
    },
  );

  it('tells an owner why a cancel came too late', () => {
    given(HISTORY.attempting)
      .when(cancelEmail())
      .thenThrows(IllegalStateError, { reason: 'cannot cancel: the email is already being sent' });
  });

  it('covers every status × command pair that must refuse', () => {
    expect(refusals).toHaveLength(7 * 4);
  });
});
