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
  plus,
  recordSendFailure,
  recordSendSuccess,
  rescheduleEmail,
  resolveInDoubt,
  scheduleEmail,
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

function live(): EmailEvent[] {
  const history: EmailEvent[] = [];
  let state = replay([]);
  for (const command of LIFE) {
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
  });
});
