// Time and groups (issue 18) as the decider sees them: local-time sendAt, delivery windows, the send-by
// deadline, pause and resume, manual retry. 1 January 2030 (SEND_AT's day) is a Tuesday.

import { IllegalStateError, ValidationError } from './domain-errors';
import type { DeliveryWindow, EmailEvent } from './email-events';
import {
  cancelEmail,
  claimSendAttempt,
  DAY,
  deferSend,
  emailCancelled,
  emailDeferred,
  emailExpired,
  emailFailed,
  emailFailedFinally,
  emailPaused,
  emailRescheduled,
  emailResumed,
  emailRetryRequested,
  emailScheduled,
  emailSendAttempted,
  emailSendInDoubtResent,
  expireEmail,
  HOUR,
  LEASE_MS,
  MINUTE,
  pauseEmail,
  PERMANENT,
  plus,
  RELAY_DOWN,
  recordSendFailure,
  rescheduleEmail,
  resolveInDoubt,
  resumeEmail,
  retryEmail,
  emailSendInDoubtFailed,
  SCHEDULED_AT,
  scheduleEmail,
  SECOND,
  SEND_AT,
  TRANSIENT,
} from './testing/email-fixtures';
import { replay } from './evolve';
import { given } from './testing/given-when-then';
import { issue, withIssues } from './testing/issues';

/** Open 12:00–13:00 UTC every weekday: SEND_AT (10:00) is before it. */
const NOON_HOUR: DeliveryWindow = {
  timeZone: 'UTC',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '12:00',
  end: '13:00',
};
const NOON = '2030-01-01T12:00:00.000Z';
const NEXT_NOON = '2030-01-02T12:00:00.000Z';
/** Open 10:00–10:01 UTC every day: SEND_AT is inside it, a minute later is not. */
const TEN_OCLOCK: DeliveryWindow = {
  timeZone: 'UTC',
  days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
  start: '10:00',
  end: '10:01',
};
const NEXT_TEN = plus(SEND_AT, DAY);

describe('local-time sendAt', () => {
  it('resolves a wall-clock sendAt in timeZone, keeping the zone and the time as asked', () => {
    given([])
      .when(scheduleEmail({ sendAt: '2030-01-01T11:00', timeZone: 'Europe/Paris' }))
      .then([emailScheduled({ timeZone: 'Europe/Paris', localSendAt: '2030-01-01T11:00' })]);
  });

  it('stores the zone’s canonical name', () => {
    given([])
      .when(scheduleEmail({ sendAt: '2030-01-01T05:00:00', timeZone: 'america/new_york' }))
      .then([emailScheduled({ timeZone: 'America/New_York', localSendAt: '2030-01-01T05:00:00' })]);
  });

  it('moves a time in the spring gap forward by the gap: 02:30 Paris on 28 March 2027 is 01:30Z', () => {
    const now = '2027-03-01T00:00:00.000Z';
    given([])
      .when(scheduleEmail({ sendAt: '2027-03-28T02:30', timeZone: 'Europe/Paris', now }))
      .then([
        emailScheduled({
          requestedSendAt: '2027-03-28T01:30:00.000Z',
          sendAt: '2027-03-28T01:30:00.000Z',
          scheduledAt: now,
          timeZone: 'Europe/Paris',
          localSendAt: '2027-03-28T02:30',
        }),
      ]);
  });

  it('keeps an instant with an offset as it is, noting the zone but no local time', () => {
    given([])
      .when(scheduleEmail({ sendAt: SEND_AT, timeZone: 'Asia/Kolkata' }))
      .then([emailScheduled({ timeZone: 'Asia/Kolkata' })]);
  });

  it.each(['+02:00', '', 'Mars/Olympus', `Europe/${'x'.repeat(58)}`])(
    'refuses the zone %p, naming timeZone only',
    (timeZone) => {
      given([])
        .when(scheduleEmail({ sendAt: '2030-01-01T11:00', timeZone }))
        .thenThrows(ValidationError, {
          issues: [{ field: 'timeZone', reason: expect.stringMatching(/IANA/) as unknown }],
        });
    },
  );

  it('refuses a wall-clock date that does not exist, naming sendAt', () => {
    given([])
      .when(scheduleEmail({ sendAt: '2030-02-30T11:00', timeZone: 'Europe/Paris' }))
      .thenThrows(ValidationError, withIssues(issue('sendAt')));
  });

  describe('reschedule', () => {
    const inParis = [emailScheduled({ timeZone: 'Europe/Paris', localSendAt: '2030-01-01T11:00' })];

    const inZone = (sendAt: string, timeZone: string, localSendAt: string): EmailEvent => {
      const { data } = emailRescheduled(sendAt);
      return { type: 'EmailRescheduled', data: { ...data, timeZone, localSendAt } };
    };

    it('reads an offset-less time in the zone the email was scheduled in, and says so', () => {
      given(inParis)
        .when(rescheduleEmail('2030-01-01T14:00'))
        .then([inZone('2030-01-01T13:00:00.000Z', 'Europe/Paris', '2030-01-01T14:00')]);
    });

    it('reads it in the zone the reschedule names, when it names one', () => {
      given(inParis)
        .when({
          type: 'RescheduleEmail',
          data: { sendAt: '2030-01-01T08:00', timeZone: 'America/New_York', now: SCHEDULED_AT },
        })
        .then([inZone('2030-01-01T13:00:00.000Z', 'America/New_York', '2030-01-01T08:00')]);
    });

    it('leaves the email showing the wall-clock time and zone of the last reschedule', () => {
      const afterNewYork = replay([
        ...inParis,
        inZone('2030-01-01T13:00:00.000Z', 'America/New_York', '2030-01-01T08:00'),
      ]);
      expect(afterNewYork.status === 'scheduled' && afterNewYork.email).toMatchObject({
        timeZone: 'America/New_York',
        localSendAt: '2030-01-01T08:00',
        sendAt: '2030-01-01T13:00:00.000Z',
      });
      // An instant asked with its offset is no wall-clock time: the zone stays, the local time goes.
      const afterInstant = replay([...inParis, emailRescheduled('2030-01-01T15:00:00.000Z')]);
      expect(afterInstant.status === 'scheduled' && afterInstant.email.timeZone).toBe(
        'Europe/Paris',
      );
      expect(afterInstant.status === 'scheduled' && afterInstant.email.localSendAt).toBeUndefined();
    });

    it('refuses a bad zone, naming timeZone', () => {
      given(inParis)
        .when({
          type: 'RescheduleEmail',
          data: { sendAt: '2030-01-01T08:00', timeZone: 'Mars/Olympus', now: SCHEDULED_AT },
        })
        .thenThrows(ValidationError, withIssues(issue('timeZone')));
    });

    it('refuses an offset-less time for an email that has no zone', () => {
      given([emailScheduled()])
        .when(rescheduleEmail('2030-01-01T14:00'))
        .thenThrows(ValidationError, withIssues(issue('sendAt', /has no offset/)));
    });

    it('defers to the window when the new time falls outside it', () => {
      given([emailScheduled({ deliveryWindow: NOON_HOUR })])
        .when(rescheduleEmail('2030-01-01T14:00:00Z'))
        .then([
          emailRescheduled('2030-01-01T14:00:00.000Z'),
          emailDeferred(NEXT_NOON, 'delivery-window', SCHEDULED_AT),
        ]);
    });

    it('refuses a time at or after the deadline, naming sendAt', () => {
      given([emailScheduled({ expiresAt: plus(SEND_AT, HOUR) })])
        .when(rescheduleEmail(plus(SEND_AT, HOUR)))
        .thenThrows(ValidationError, withIssues(issue('sendAt', /expiresAt/)));
    });
  });
});

describe('delivery window', () => {
  it('defers an email due before its window opens to the opening, saying why', () => {
    given([])
      .when(scheduleEmail({ deliveryWindow: NOON_HOUR }))
      .then([
        emailScheduled({ deliveryWindow: NOON_HOUR }),
        emailDeferred(NOON, 'delivery-window', SCHEDULED_AT),
      ]);
  });

  it('leaves an email due inside its window alone', () => {
    given([])
      .when(scheduleEmail({ deliveryWindow: TEN_OCLOCK }))
      .then([emailScheduled({ deliveryWindow: TEN_OCLOCK })]);
  });

  it('names each bad field of the window', () => {
    given([])
      .when(scheduleEmail({ deliveryWindow: { ...NOON_HOUR, days: ['someday'], end: '25:00' } }))
      .thenThrows(
        ValidationError,
        withIssues(issue('deliveryWindow.days'), issue('deliveryWindow.end')),
      );
  });

  it('refuses a claim while the window is closed, even when due', () => {
    given([emailScheduled({ deliveryWindow: NOON_HOUR })])
      .when(claimSendAttempt())
      .thenThrows(IllegalStateError, {
        reason: `cannot claim a send attempt: its delivery window is closed until ${NOON}`,
      });
  });

  it('lets a claim through inside the window', () => {
    given([emailScheduled({ deliveryWindow: NOON_HOUR })])
      .when(claimSendAttempt({ now: plus(NOON, MINUTE) }))
      .then([emailSendAttempted(1, plus(NOON, MINUTE))]);
  });

  it('moves a retry that lands in a closed window on to the next opening', () => {
    const failedAt = plus(SEND_AT, 2 * SECOND);
    const retryAt = plus(SEND_AT, 5 * MINUTE);
    given([emailScheduled({ deliveryWindow: TEN_OCLOCK }), emailSendAttempted(1)])
      .when(recordSendFailure(RELAY_DOWN, { retryNotBefore: retryAt }))
      .then([
        emailFailed(1, RELAY_DOWN, retryAt),
        emailDeferred(NEXT_TEN, 'delivery-window', failedAt),
      ]);
  });

  it('moves a rate limit’s slot in a closed window on to the opening: two deferrals, each saying why', () => {
    const slot = plus(SEND_AT, 5 * MINUTE);
    given([emailScheduled({ deliveryWindow: TEN_OCLOCK })])
      .when(deferSend(slot, { limit: 'tenant' }))
      .then([emailDeferred(slot, 'tenant'), emailDeferred(NEXT_TEN, 'delivery-window')]);
  });

  it('takes the worker’s window deferral as it comes', () => {
    given([emailScheduled({ deliveryWindow: NOON_HOUR })])
      .when(deferSend(NOON, { limit: 'delivery-window' }))
      .then([emailDeferred(NOON, 'delivery-window')]);
  });
});

describe('expiresAt', () => {
  const deadline = plus(SEND_AT, HOUR);

  it('stores the deadline, a wall-clock one resolved in timeZone', () => {
    given([])
      .when(
        scheduleEmail({
          sendAt: '2030-01-01T11:00',
          timeZone: 'Europe/Paris',
          expiresAt: '2030-01-01T12:00',
        }),
      )
      .then([
        emailScheduled({
          timeZone: 'Europe/Paris',
          localSendAt: '2030-01-01T11:00',
          expiresAt: deadline,
        }),
      ]);
  });

  it.each([
    ['in the past', plus(SCHEDULED_AT, -MINUTE), /in the future/],
    ['now', SCHEDULED_AT, /in the future/],
    ['before sendAt', plus(SEND_AT, -MINUTE), /after sendAt/],
    ['at sendAt', SEND_AT, /after sendAt/],
    ['not a date', 'soon', /ISO-8601/],
    ['wall-clock without timeZone', '2030-01-01T12:00', /ISO-8601/],
  ])('refuses a deadline %s, naming expiresAt', (_, expiresAt, reason) => {
    given([])
      .when(scheduleEmail({ expiresAt }))
      .thenThrows(ValidationError, withIssues(issue('expiresAt', reason)));
  });

  it('refuses a deadline before the window’s first opening: the email could never go', () => {
    given([])
      .when(scheduleEmail({ deliveryWindow: NOON_HOUR, expiresAt: NOON }))
      .thenThrows(ValidationError, {
        issues: [
          { field: 'expiresAt', reason: `is before the delivery window's next opening (${NOON})` },
        ],
      });
  });

  it('refuses a claim at the deadline', () => {
    given([emailScheduled({ expiresAt: deadline })])
      .when(claimSendAttempt({ now: deadline }))
      .thenThrows(IllegalStateError, {
        reason: 'cannot claim a send attempt: the email has expired',
      });
  });

  it('expires a failed attempt whose retry would land past the deadline', () => {
    const failedAt = plus(SEND_AT, 2 * SECOND);
    const retryAt = plus(deadline, SECOND);
    given([emailScheduled({ expiresAt: deadline }), emailSendAttempted(1)])
      .when(recordSendFailure(RELAY_DOWN, { retryNotBefore: retryAt }))
      .then([
        emailFailed(1, RELAY_DOWN, retryAt),
        emailExpired(failedAt, deadline, 'retry-after-deadline', retryAt),
      ]);
  });

  it('keeps a retry that lands before the deadline', () => {
    const retryAt = plus(deadline, -SECOND);
    given([emailScheduled({ expiresAt: deadline }), emailSendAttempted(1)])
      .when(recordSendFailure(RELAY_DOWN, { retryNotBefore: retryAt }))
      .then([emailFailed(1, RELAY_DOWN, retryAt)]);
  });

  it('expires a failure whose retry lands in a window that next opens past the deadline', () => {
    const failedAt = plus(SEND_AT, 2 * SECOND);
    const retryAt = plus(SEND_AT, 5 * MINUTE);
    given([
      emailScheduled({ deliveryWindow: TEN_OCLOCK, expiresAt: deadline }),
      emailSendAttempted(1),
    ])
      .when(recordSendFailure(RELAY_DOWN, { retryNotBefore: retryAt }))
      .then([
        emailFailed(1, RELAY_DOWN, retryAt),
        emailExpired(failedAt, deadline, 'window-after-deadline', NEXT_TEN),
      ]);
  });

  it('lets a final failure stay a failure, deadline or not', () => {
    given([emailScheduled({ expiresAt: deadline }), emailSendAttempted(1)])
      .when(recordSendFailure(PERMANENT))
      .then([emailFailedFinally(1, PERMANENT)]);
  });

  it('expires instead of deferring to a rate limit’s slot at or past the deadline', () => {
    given([emailScheduled({ expiresAt: deadline })])
      .when(deferSend(deadline, { limit: 'global' }))
      .then([emailExpired(SEND_AT, deadline, 'rate-limit-after-deadline', deadline)]);
  });

  it('expires instead of deferring to a window that opens past the deadline', () => {
    given([emailScheduled({ expiresAt: deadline })])
      .when(deferSend(plus(deadline, MINUTE), { limit: 'delivery-window' }))
      .then([emailExpired(SEND_AT, deadline, 'window-after-deadline', plus(deadline, MINUTE))]);
  });

  it('expires an in-doubt attempt whose resend would come past the deadline', () => {
    const detected = plus(SEND_AT, LEASE_MS + MINUTE);
    const shortDeadline = plus(SEND_AT, LEASE_MS);
    given([emailScheduled({ expiresAt: shortDeadline }), emailSendAttempted(1)])
      .when(resolveInDoubt(detected))
      .then([
        emailSendInDoubtResent(1, detected),
        emailExpired(detected, shortDeadline, 'deadline-passed'),
      ]);
  });

  it('resends an in-doubt attempt before the deadline', () => {
    const detected = plus(SEND_AT, LEASE_MS + MINUTE);
    given([emailScheduled({ expiresAt: deadline }), emailSendAttempted(1)])
      .when(resolveInDoubt(detected))
      .then([emailSendInDoubtResent(1, detected)]);
  });

  describe('ExpireEmail', () => {
    const late = plus(deadline, SECOND);

    it('ends a scheduled email past its deadline expired', () => {
      const state = given([emailScheduled({ expiresAt: deadline })])
        .when(expireEmail(late))
        .then([emailExpired(late, deadline)]);
      expect(state).toMatchObject({
        status: 'expired',
        expiredAt: late,
        reason: 'deadline-passed',
      });
    });

    it('ends a paused email past its deadline expired, without a resume', () => {
      given([
        emailScheduled({ expiresAt: deadline }),
        emailPaused(SCHEDULED_AT, { expiresAt: deadline }),
      ])
        .when(expireEmail(late))
        .then([emailExpired(late, deadline)]);
    });

    it('keeps what went wrong before', () => {
      const retryAt = plus(SEND_AT, MINUTE);
      const state = given([
        emailScheduled({ expiresAt: deadline }),
        emailSendAttempted(1),
        emailFailed(1, TRANSIENT, retryAt),
      ])
        .when(expireEmail(late))
        .then([emailExpired(late, deadline)]);
      expect(state).toMatchObject({ attemptsMade: 1, lastError: { kind: 'transient' } });
    });

    it('refuses before the deadline', () => {
      given([emailScheduled({ expiresAt: deadline })])
        .when(expireEmail(plus(deadline, -1)))
        .thenThrows(IllegalStateError, {
          reason: `cannot expire: the deadline ${deadline} has not passed`,
        });
    });

    it('refuses an email without a deadline', () => {
      given([emailScheduled()]).when(expireEmail(late)).thenThrows(IllegalStateError, {
        reason: 'cannot expire: the deadline (none) has not passed',
      });
    });

    it('expires early an email whose window next opens past its deadline, saying so', () => {
      const history = [
        emailScheduled({ deliveryWindow: TEN_OCLOCK, expiresAt: deadline }),
        emailDeferred(NEXT_TEN, 'delivery-window'),
      ];
      given(history)
        .when(expireEmail(plus(SEND_AT, 2 * MINUTE)))
        .then([
          emailExpired(plus(SEND_AT, 2 * MINUTE), deadline, 'window-after-deadline', NEXT_TEN),
        ]);
    });
  });
});

describe('pause and resume', () => {
  const pausedAt = plus(SCHEDULED_AT, MINUTE);

  it('pauses a scheduled email, keeping its due time and carrying its deadline for the scheduler', () => {
    const deadline = plus(SEND_AT, HOUR);
    const state = given([emailScheduled({ expiresAt: deadline })])
      .when(pauseEmail(pausedAt, { reason: 'hold the campaign', batchId: 'batch-1' }))
      .then([
        emailPaused(pausedAt, {
          reason: 'hold the campaign',
          batchId: 'batch-1',
          expiresAt: deadline,
        }),
      ]);
    expect(state).toMatchObject({
      status: 'paused',
      dueAt: SEND_AT,
      pausedAt,
      reason: 'hold the campaign',
    });
  });

  it('refuses a reason that is too long', () => {
    given([emailScheduled()])
      .when(pauseEmail(pausedAt, { reason: 'x'.repeat(10_000) }))
      .thenThrows(ValidationError, withIssues(issue('reason')));
  });

  it('resumes to the due time it had, when that is still ahead', () => {
    const resumedAt = plus(pausedAt, MINUTE);
    const state = given([emailScheduled(), emailPaused(pausedAt)])
      .when(resumeEmail(resumedAt))
      .then([emailResumed(resumedAt, SEND_AT)]);
    expect(state).toMatchObject({ status: 'scheduled', dueAt: SEND_AT });
  });

  it('resumes a due time that passed while paused to now', () => {
    const resumedAt = plus(SEND_AT, HOUR);
    given([emailScheduled(), emailPaused(pausedAt)])
      .when(resumeEmail(resumedAt))
      .then([emailResumed(resumedAt, resumedAt)]);
  });

  it('drops the deferral the email had when paused: the due time is recomputed', () => {
    const resumedAt = plus(SEND_AT, HOUR);
    const state = given([
      emailScheduled(),
      emailDeferred(plus(SEND_AT, MINUTE), 'global'),
      emailPaused(SEND_AT),
    ])
      .when(resumeEmail(resumedAt))
      .then([emailResumed(resumedAt, resumedAt)]);
    expect(state).not.toHaveProperty('deferral');
  });

  it('resumes past the deadline into expired', () => {
    const deadline = plus(SEND_AT, HOUR);
    const resumedAt = plus(deadline, MINUTE);
    given([emailScheduled({ expiresAt: deadline }), emailPaused(pausedAt, { expiresAt: deadline })])
      .when(resumeEmail(resumedAt))
      .then([emailResumed(resumedAt, resumedAt), emailExpired(resumedAt, deadline)]);
  });

  it('resumes into a closed window with a window deferral', () => {
    const resumedAt = plus(SEND_AT, HOUR);
    given([emailScheduled({ deliveryWindow: TEN_OCLOCK }), emailPaused(pausedAt)])
      .when(resumeEmail(resumedAt))
      .then([
        emailResumed(resumedAt, resumedAt),
        emailDeferred(NEXT_TEN, 'delivery-window', resumedAt),
      ]);
  });

  it('cancels a paused email', () => {
    given([emailScheduled(), emailPaused(pausedAt)])
      .when(cancelEmail({ now: plus(pausedAt, MINUTE), reason: 'campaign dropped' }))
      .then([emailCancelled(plus(pausedAt, MINUTE), 'campaign dropped')]);
  });

  it('refuses a claim while paused, even when due', () => {
    given([emailScheduled(), emailPaused(pausedAt)])
      .when(claimSendAttempt())
      .thenThrows(IllegalStateError, {
        reason: 'cannot claim a send attempt: the email is paused',
      });
  });
});

describe('RetryEmail', () => {
  const failedAt = plus(SEND_AT, 2 * SECOND);
  const failed: readonly EmailEvent[] = [
    emailScheduled({ maxAttempts: 1 }),
    emailSendAttempted(1),
    emailFailedFinally(1, TRANSIENT),
  ];
  const retryAt = plus(failedAt, HOUR);

  it('schedules a failed email again now, with a new attempt budget and the reason', () => {
    const state = given(failed)
      .when(retryEmail(retryAt, 'mailbox fixed'))
      .then([emailRetryRequested(retryAt, 1, 'mailbox fixed')]);
    expect(state).toMatchObject({
      status: 'scheduled',
      dueAt: retryAt,
      attemptsMade: 0,
      lastError: { kind: 'transient', attempt: 1 },
    });
  });

  it('claims attempt 1 of the new budget after it', () => {
    given([...failed, emailRetryRequested(retryAt)])
      .when(claimSendAttempt({ now: retryAt }))
      .then([emailSendAttempted(1, retryAt)]);
  });

  it('refuses past the deadline', () => {
    const deadline = plus(failedAt, MINUTE);
    given([emailScheduled({ maxAttempts: 1, expiresAt: deadline }), ...failed.slice(1)])
      .when(retryEmail(deadline))
      .thenThrows(IllegalStateError, {
        reason: `cannot retry: the email's deadline ${deadline} has passed`,
      });
  });

  describe('an email that failed in doubt (its last attempt may have reached the recipient)', () => {
    const failedInDoubt: readonly EmailEvent[] = [
      emailScheduled(),
      emailSendAttempted(1),
      emailSendInDoubtFailed(1, failedAt),
    ];

    it('is not retried unless the owner accepts a possible duplicate', () => {
      given(failedInDoubt)
        .when(retryEmail(retryAt))
        .thenThrows(IllegalStateError, { reason: expect.stringMatching(/resendInDoubt/) });
    });

    it('is retried when the owner says resendInDoubt, and its history says so', () => {
      given(failedInDoubt)
        .when({ type: 'RetryEmail', data: { now: retryAt, resendInDoubt: true } })
        .then([
          {
            type: 'EmailRetryRequested',
            data: { ...emailRetryRequested(retryAt, 0).data, resendInDoubt: true },
          },
        ]);
    });
  });

  it('defers a retry asked outside the window to its opening', () => {
    given([emailScheduled({ maxAttempts: 1, deliveryWindow: TEN_OCLOCK }), ...failed.slice(1)])
      .when(retryEmail(retryAt))
      .then([emailRetryRequested(retryAt), emailDeferred(NEXT_TEN, 'delivery-window', retryAt)]);
  });
});
