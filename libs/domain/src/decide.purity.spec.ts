// decide must read no clock and no random source: that is what makes a replay decide exactly as the original
// did. Running one life at two very different wall-clock times must therefore produce identical events.

import { decide } from './decide';
import type { EmailCommand } from './email-commands';
import type { EmailEvent } from './email-events';
import { evolve, replay } from './evolve';
import {
  claimSendAttempt,
  deferSend,
  LEASE_MS,
  MINUTE,
  pauseEmail,
  PERMANENT,
  plus,
  recordSendFailure,
  recordSendSuccess,
  rescheduleEmail,
  resolveInDoubt,
  resumeEmail,
  retryEmail,
  scheduleEmail,
  SCHEDULED_AT,
  SEND_AT,
  TRANSIENT,
} from './testing/email-fixtures';

const LIFE: readonly EmailCommand[] = [
  scheduleEmail({ sendAt: undefined }),
  rescheduleEmail(SEND_AT),
  deferSend(plus(SEND_AT, MINUTE)),
  claimSendAttempt({ now: plus(SEND_AT, MINUTE) }),
  recordSendFailure(TRANSIENT, { now: plus(SEND_AT, 2 * MINUTE), random: 0.25 }),
  claimSendAttempt({ now: plus(SEND_AT, 10 * MINUTE) }),
  resolveInDoubt(plus(SEND_AT, 10 * MINUTE + LEASE_MS)),
  claimSendAttempt({ now: plus(SEND_AT, 20 * MINUTE) }),
  recordSendSuccess(plus(SEND_AT, 21 * MINUTE)),
];

/** A life through the time rules (zones, a window, a deadline: Temporal), pause, resume and a manual retry. */
const TIMED_LIFE: readonly EmailCommand[] = [
  scheduleEmail({
    sendAt: '2030-01-01T11:00',
    timeZone: 'Europe/Paris',
    deliveryWindow: {
      timeZone: 'Europe/Paris',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: '11:00',
      end: '18:00',
    },
    expiresAt: '2030-01-02T12:00',
  }),
  pauseEmail(plus(SCHEDULED_AT, MINUTE)),
  resumeEmail(plus(SEND_AT, MINUTE)),
  claimSendAttempt({ now: plus(SEND_AT, MINUTE) }),
  recordSendFailure(PERMANENT, { now: plus(SEND_AT, 2 * MINUTE) }),
  retryEmail(plus(SEND_AT, 3 * MINUTE)),
  claimSendAttempt({ now: plus(SEND_AT, 3 * MINUTE) }),
  recordSendSuccess(plus(SEND_AT, 4 * MINUTE)),
];

function live(life: readonly EmailCommand[] = LIFE): EmailEvent[] {
  const history: EmailEvent[] = [];
  let state = replay([]);
  for (const command of life) {
    const events = decide(command, state);
    history.push(...events);
    state = events.reduce(evolve, state);
  }
  return history;
}

describe('decide is pure', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('decides the same whatever the wall clock says', () => {
    jest.useFakeTimers({ now: new Date('1999-12-31T23:59:59Z') });
    const then = live();
    jest.setSystemTime(new Date('2090-06-15T12:00:00Z'));
    const later = live();

    expect(later).toStrictEqual(then);
    expect(then.map((event) => event.type)).toEqual([
      'EmailScheduled',
      'EmailRescheduled',
      'EmailDeferred',
      'EmailSendAttempted',
      'EmailFailed',
      'EmailSendAttempted',
      'EmailSendInDoubt',
      'EmailSendAttempted',
      'EmailSent',
    ]);
  });

  it('never asks Math.random or Date.now', () => {
    jest.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('decide called Math.random');
    });
    jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('decide called Date.now');
    });

    expect(live()).toHaveLength(LIFE.length);
    expect(live(TIMED_LIFE)).toHaveLength(TIMED_LIFE.length);
  });

  it('decides the same whatever the wall clock says, through the time rules too', () => {
    jest.useFakeTimers({ now: new Date('1999-12-31T23:59:59Z') });
    const then = live(TIMED_LIFE);
    jest.setSystemTime(new Date('2090-06-15T12:00:00Z'));
    expect(live(TIMED_LIFE)).toStrictEqual(then);
    expect(then.map((event) => event.type)).toEqual([
      'EmailScheduled',
      'EmailPaused',
      'EmailResumed',
      'EmailSendAttempted',
      'EmailFailed',
      'EmailRetryRequested',
      'EmailSendAttempted',
      'EmailSent',
    ]);
  });
});
