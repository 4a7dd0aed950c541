// Every transition the decider allows, one command at a time. Refusals live in decide.refusals.spec.ts and
// scheduling's validation in decide.schedule.spec.ts.

import { IllegalStateError, ValidationError } from './domain-errors';
import { DEFAULT_RULES } from './domain-rules';
import type { EmailEvent } from './email-events';
import {
  cancelEmail,
  claimSendAttempt,
  DAY,
  deferSend,
  emailCancelled,
  emailDeferred,
  emailFailed,
  emailFailedFinally,
  emailRescheduled,
  emailScheduled,
  emailSendAttempted,
  emailSendInDoubtFailed,
  emailSendInDoubtResent,
  emailSent,
  LEASE_MS,
  MINUTE,
  PERMANENT,
  plus,
  recordSendFailure,
  recordSendSuccess,
  RELAY_DOWN,
  rescheduleEmail,
  resolveInDoubt,
  SCHEDULED_AT,
  SECOND,
  SEND_AT,
  TRANSIENT,
} from './testing/email-fixtures';
import { given } from './testing/given-when-then';
import { issue, withIssues } from './testing/issues';

const FAILED_AT = plus(SEND_AT, 2 * SECOND);
const LEASE_UNTIL = plus(SEND_AT, LEASE_MS);
const LATER = '2030-01-02T10:00:00.000Z';

describe('RescheduleEmail', () => {
  it('moves the due time and records where it moved from', () => {
    const state = given([emailScheduled()])
      .when(rescheduleEmail(LATER))
      .then([emailRescheduled(LATER, SEND_AT, SCHEDULED_AT)]);

    expect(state).toMatchObject({ status: 'scheduled', dueAt: LATER, email: { sendAt: LATER } });
  });

  it('keeps what was originally requested, so history still shows it', () => {
    const state = given([emailScheduled()])
      .when(rescheduleEmail(LATER))
      .then([emailRescheduled(LATER)]);

    expect(state).toMatchObject({ email: { requestedSendAt: SEND_AT } });
  });

  it('sends now when moved into the past', () => {
    const now = plus(SCHEDULED_AT, 10 * MINUTE);
    given([emailScheduled()])
      .when(rescheduleEmail('2029-06-01T00:00:00Z', now))
      .then([emailRescheduled(now, SEND_AT, now)]);
  });

  it('normalises the new time to canonical UTC', () => {
    given([emailScheduled()])
      .when(rescheduleEmail('2030-01-02T12:00:00+02:00'))
      .then([emailRescheduled(LATER)]);
  });

  it('overrides a rate-limit deferral: the owner chose the time now', () => {
    const deferredUntil = plus(SEND_AT, 5 * MINUTE);
    const now = plus(SEND_AT, MINUTE);
    const state = given([emailScheduled(), emailDeferred(deferredUntil)])
      .when(rescheduleEmail(LATER, now))
      .then([emailRescheduled(LATER, deferredUntil, now)]);

    expect(state).not.toHaveProperty('deferral');
  });

  it('is allowed while a retry is due, keeping the attempts made and the last error', () => {
    const retryAt = plus(FAILED_AT, 15 * SECOND);
    const now = plus(FAILED_AT, SECOND);
    const state = given([
      emailScheduled(),
      emailSendAttempted(1),
      emailFailed(1, TRANSIENT, retryAt),
    ])
      .when(rescheduleEmail(LATER, now))
      .then([emailRescheduled(LATER, retryAt, now)]);

    expect(state).toMatchObject({
      status: 'scheduled',
      dueAt: LATER,
      attemptsMade: 1,
      lastError: { kind: 'transient', attempt: 1 },
    });
  });

  it.each([
    ['missing', undefined],
    ['without a timezone', '2030-01-02T10:00:00'],
    ['beyond the horizon', plus(SCHEDULED_AT, 366 * DAY)],
  ])('rejects a new time that is %s', (_, sendAt) => {
    given([emailScheduled()])
      .when(rescheduleEmail(sendAt as string))
      .thenThrows(ValidationError, { issues: [issue('sendAt')] });
  });
});

describe('CancelEmail', () => {
  it('withdraws a scheduled email', () => {
    const state = given([emailScheduled()])
      .when(cancelEmail())
      .then([emailCancelled(SCHEDULED_AT)]);

    expect(state).toMatchObject({
      status: 'cancelled',
      cancelledAt: SCHEDULED_AT,
      attemptsMade: 0,
    });
  });

  it('records the reason given', () => {
    const state = given([emailScheduled()])
      .when(cancelEmail({ reason: 'customer unsubscribed' }))
      .then([emailCancelled(SCHEDULED_AT, 'customer unsubscribed')]);

    expect(state).toMatchObject({ reason: 'customer unsubscribed' });
  });

  it('leaves an empty reason out', () => {
    given([emailScheduled()])
      .when(cancelEmail({ reason: '' }))
      .then([emailCancelled(SCHEDULED_AT)]);
  });

  it('is allowed while a retry is due, and keeps the error that caused it', () => {
    const retryAt = plus(FAILED_AT, 15 * SECOND);
    const state = given([
      emailScheduled(),
      emailSendAttempted(1),
      emailFailed(1, TRANSIENT, retryAt),
    ])
      .when(cancelEmail({ now: retryAt }))
      .then([emailCancelled(retryAt)]);

    expect(state).toMatchObject({ status: 'cancelled', attemptsMade: 1, lastError: { code: 451 } });
  });

  it('is allowed while deferred by a rate limit', () => {
    given([emailScheduled(), emailDeferred(plus(SEND_AT, MINUTE))])
      .when(cancelEmail({ now: SEND_AT }))
      .then([emailCancelled(SEND_AT)]);
  });

  it('rejects an over-long reason', () => {
    given([emailScheduled()])
      .when(cancelEmail({ reason: 'r'.repeat(501) }))
      .thenThrows(ValidationError, withIssues(issue('reason', 'must be at most 500 characters')));
  });
});

describe('ClaimSendAttempt', () => {
  it('claims attempt 1 of a due email, leased for leaseMs', () => {
    const state = given([emailScheduled()])
      .when(claimSendAttempt({ workerId: 'w-7', jobId: 'email-1:0' }))
      .then([
        emailSendAttempted(1, SEND_AT, {
          workerId: 'w-7',
          jobId: 'email-1:0',
          leaseUntil: LEASE_UNTIL,
        }),
      ]);

    expect(state).toMatchObject({
      status: 'attempting',
      attempt: 1,
      attemptsMade: 0,
      leaseUntil: LEASE_UNTIL,
      workerId: 'w-7',
    });
  });

  it('claims late too: a due email stays due', () => {
    const now = plus(SEND_AT, DAY);
    given([emailScheduled()])
      .when(claimSendAttempt({ now }))
      .then([emailSendAttempted(1, now)]);
  });

  it('refuses a job that fires before the email is due', () => {
    given([emailScheduled()])
      .when(claimSendAttempt({ now: plus(SEND_AT, -1) }))
      .thenThrows(IllegalStateError, {
        status: 'scheduled',
        reason: `cannot claim a send attempt: the email is not due until ${SEND_AT}`,
      });
  });

  it('refuses a job that still fires at the old time after a reschedule', () => {
    given([emailScheduled(), emailRescheduled(LATER)])
      .when(claimSendAttempt({ now: SEND_AT }))
      .thenThrows(IllegalStateError, {
        reason: expect.stringContaining(`not due until ${LATER}`) as unknown,
      });
  });

  it('waits out a deferral', () => {
    const until = plus(SEND_AT, 5 * MINUTE);
    given([emailScheduled(), emailDeferred(until)])
      .when(claimSendAttempt({ now: plus(SEND_AT, MINUTE) }))
      .thenThrows(IllegalStateError, {
        reason: expect.stringContaining(`not due until ${until}`) as unknown,
      });
    given([emailScheduled(), emailDeferred(until)])
      .when(claimSendAttempt({ now: until }))
      .then([emailSendAttempted(1, until)]);
  });

  it('numbers a retry as the next attempt', () => {
    const retryAt = plus(FAILED_AT, 15 * SECOND);
    given([emailScheduled(), emailSendAttempted(1), emailFailed(1, TRANSIENT, retryAt)])
      .when(claimSendAttempt({ now: retryAt }))
      .then([emailSendAttempted(2, retryAt)]);
  });

  it('reuses the attempt number after an unavailable relay, which cost the email nothing', () => {
    const retryAt = plus(FAILED_AT, 15 * SECOND);
    given([emailScheduled(), emailSendAttempted(1), emailFailed(1, RELAY_DOWN, retryAt)])
      .when(claimSendAttempt({ now: retryAt }))
      .then([emailSendAttempted(1, retryAt)]);
  });

  it.each([0, -1, 1.5])('treats a leaseMs of %p as a bug in the caller', (leaseMs) => {
    given([emailScheduled()]).when(claimSendAttempt({ leaseMs })).thenThrows(RangeError);
  });
});

describe('RecordSendSuccess', () => {
  it('records the message id and the relay’s response', () => {
    const state = given([emailScheduled(), emailSendAttempted(1)])
      .when(recordSendSuccess(FAILED_AT))
      .then([emailSent(1, FAILED_AT)]);

    expect(state).toMatchObject({
      status: 'sent',
      attemptsMade: 1,
      sentAt: FAILED_AT,
      messageId: emailSent().data.messageId,
      response: '250 2.0.0 Ok: queued as 4B7',
    });
  });

  it('records the attempt that succeeded', () => {
    const retryAt = plus(FAILED_AT, MINUTE);
    const history = [
      emailScheduled(),
      emailSendAttempted(1),
      emailFailed(1, TRANSIENT, retryAt),
      emailSendAttempted(2, retryAt),
    ];
    const state = given(history)
      .when(recordSendSuccess(plus(retryAt, SECOND)))
      .then([emailSent(2, plus(retryAt, SECOND))]);

    expect(state).toMatchObject({ attemptsMade: 2 });
  });

  it('is accepted after the lease ran out: the relay took it, and that is the fact', () => {
    const late = plus(LEASE_UNTIL, MINUTE);
    given([emailScheduled(), emailSendAttempted(1)])
      .when(recordSendSuccess(late))
      .then([emailSent(1, late)]);
  });
});

describe('RecordSendFailure', () => {
  it('gives up at once on a permanent failure', () => {
    const state = given([emailScheduled(), emailSendAttempted(1)])
      .when(recordSendFailure(PERMANENT))
      .then([emailFailedFinally(1, PERMANENT)]);

    expect(state).toEqual({
      status: 'failed',
      email: expect.any(Object) as unknown,
      attemptsMade: 1,
      failedAt: FAILED_AT,
      lastError: { ...PERMANENT, attempt: 1, at: FAILED_AT },
    });
  });

  it.each([
    [0, 15 * SECOND],
    [0.5, 22.5 * SECOND],
    [0.999, 29.985 * SECOND],
  ])(
    'retries a transient failure after a jittered backoff (random %p → %p ms)',
    (random, delay) => {
      const retryAt = plus(FAILED_AT, delay);
      const state = given([emailScheduled(), emailSendAttempted(1)])
        .when(recordSendFailure(TRANSIENT, { random }))
        .then([emailFailed(1, TRANSIENT, retryAt)]);

      expect(state).toEqual({
        status: 'scheduled',
        email: expect.any(Object) as unknown,
        dueAt: retryAt,
        attemptsMade: 1,
        lastError: { ...TRANSIENT, attempt: 1, at: FAILED_AT },
      });
    },
  );

  it('backs off further on later attempts', () => {
    const retryAt = plus(FAILED_AT, 15 * SECOND);
    const claimedAt = retryAt;
    const failedAt = plus(claimedAt, SECOND);
    given([
      emailScheduled(),
      emailSendAttempted(1),
      emailFailed(1, TRANSIENT, retryAt),
      emailSendAttempted(2, claimedAt),
    ])
      .when(recordSendFailure(TRANSIENT, { now: failedAt, random: 0 }))
      .then([emailFailed(2, TRANSIENT, plus(failedAt, MINUTE), failedAt)]);
  });

  it('gives up on a transient failure of the last allowed attempt', () => {
    const state = given([emailScheduled({ maxAttempts: 1 }), emailSendAttempted(1)])
      .when(recordSendFailure(TRANSIENT))
      .then([emailFailedFinally(1, TRANSIENT)]);

    expect(state).toMatchObject({ status: 'failed', attemptsMade: 1, lastError: { code: 451 } });
  });

  it('waits for retryNotBefore when it is later than the backoff', () => {
    const notBefore = plus(FAILED_AT, 10 * MINUTE);
    given([emailScheduled(), emailSendAttempted(1)])
      .when(recordSendFailure(TRANSIENT, { retryNotBefore: notBefore }))
      .then([emailFailed(1, TRANSIENT, notBefore)]);
  });

  it('keeps the backoff when retryNotBefore is earlier', () => {
    given([emailScheduled(), emailSendAttempted(1)])
      .when(recordSendFailure(TRANSIENT, { retryNotBefore: plus(FAILED_AT, SECOND) }))
      .then([emailFailed(1, TRANSIENT, plus(FAILED_AT, 15 * SECOND))]);
  });

  it('takes the retry policy from the rules', () => {
    const rules = {
      ...DEFAULT_RULES,
      retry: { baseDelayMs: 1_000, factor: 2, maxDelayMs: 10_000 },
    };
    given([emailScheduled(), emailSendAttempted(1)])
      .when(recordSendFailure(TRANSIENT, { random: 0 }), rules)
      .then([emailFailed(1, TRANSIENT, plus(FAILED_AT, 500))]);
  });

  describe('when the relay is unavailable', () => {
    it('does not count the attempt and retries after the backoff', () => {
      const retryAt = plus(FAILED_AT, 15 * SECOND);
      const state = given([emailScheduled(), emailSendAttempted(1)])
        .when(recordSendFailure(RELAY_DOWN))
        .then([emailFailed(1, RELAY_DOWN, retryAt)]);

      expect(state).toMatchObject({
        status: 'scheduled',
        dueAt: retryAt,
        attemptsMade: 0,
        lastError: { kind: 'relay-unavailable', errorCode: 'ECONNREFUSED' },
      });
    });

    it('never gives up, even on what would be the last attempt', () => {
      const retryAt = plus(FAILED_AT, 15 * SECOND);
      given([emailScheduled({ maxAttempts: 1 }), emailSendAttempted(1)])
        .when(recordSendFailure(RELAY_DOWN))
        .then([emailFailed(1, RELAY_DOWN, retryAt)]);
    });

    it('retries when the caller says the relay may be back, even before the backoff', () => {
      const notBefore = plus(FAILED_AT, 5 * SECOND);
      given([emailScheduled(), emailSendAttempted(1)])
        .when(recordSendFailure(RELAY_DOWN, { retryNotBefore: notBefore }))
        .then([emailFailed(1, RELAY_DOWN, notBefore)]);
    });

    it('never schedules the retry in the past', () => {
      given([emailScheduled(), emailSendAttempted(1)])
        .when(recordSendFailure(RELAY_DOWN, { retryNotBefore: SCHEDULED_AT }))
        .then([emailFailed(1, RELAY_DOWN, FAILED_AT)]);
    });
  });

  it('keeps the SMTP code and the transport error code', () => {
    const failure = {
      kind: 'transient' as const,
      code: 421,
      errorCode: 'ETIMEDOUT',
      message: 'timeout',
    };
    given([emailScheduled(), emailSendAttempted(1)])
      .when(recordSendFailure(failure))
      .then([emailFailed(1, failure, plus(FAILED_AT, 15 * SECOND))]);
  });

  it.each([-0.1, 1, Number.NaN])('treats random %p as a bug in the caller', (random) => {
    given([emailScheduled(), emailSendAttempted(1)])
      .when(recordSendFailure(TRANSIENT, { random }))
      .thenThrows(RangeError);
  });
});

describe('DeferSend', () => {
  const until = plus(SEND_AT, 5 * MINUTE);

  it('moves a due email to the slot a rate limit reserved, and says which limit', () => {
    const state = given([emailScheduled()])
      .when(deferSend(until, { limit: 'global' }))
      .then([emailDeferred(until, 'global')]);

    expect(state).toMatchObject({
      status: 'scheduled',
      dueAt: until,
      deferral: { until, limit: 'global', deferredAt: SEND_AT },
      email: { sendAt: SEND_AT },
    });
  });

  it('can defer again, further', () => {
    const further = plus(until, 5 * MINUTE);
    const state = given([emailScheduled(), emailDeferred(until)])
      .when(deferSend(further, { limit: 'min-gap', now: until }))
      .then([emailDeferred(further, 'min-gap', until)]);

    expect(state).toMatchObject({ dueAt: further, deferral: { limit: 'min-gap' } });
  });

  it('defers a retry that is due', () => {
    const retryAt = plus(FAILED_AT, 15 * SECOND);
    const later = plus(retryAt, MINUTE);
    const state = given([
      emailScheduled(),
      emailSendAttempted(1),
      emailFailed(1, TRANSIENT, retryAt),
    ])
      .when(deferSend(later, { now: retryAt }))
      .then([emailDeferred(later, 'sender', retryAt)]);

    expect(state).toMatchObject({
      dueAt: later,
      attemptsMade: 1,
      lastError: { kind: 'transient' },
    });
  });

  it.each([
    ['now', SEND_AT],
    ['in the past', plus(SEND_AT, -MINUTE)],
  ])('refuses an until that is %s', (_, at) => {
    given([emailScheduled()])
      .when(deferSend(at))
      .thenThrows(ValidationError, withIssues(issue('until', /must be after/)));
  });

  it('refuses to move an email earlier than it is due: that is not a deferral', () => {
    given([emailScheduled()])
      .when(deferSend(plus(SEND_AT, -MINUTE), { now: SCHEDULED_AT }))
      .thenThrows(
        ValidationError,
        withIssues(issue('until', `must be after ${SEND_AT} (now or the due time)`)),
      );
  });

  it('refuses an until without a timezone', () => {
    given([emailScheduled()])
      .when(deferSend('2030-01-01T10:05:00'))
      .thenThrows(ValidationError, withIssues(issue('until', /ISO-8601/)));
  });
});

describe('ResolveInDoubt', () => {
  const afterLease = plus(LEASE_UNTIL, 30 * SECOND);

  it('resends an attempt whose lease ran out, due at once, without using up an attempt', () => {
    const state = given([emailScheduled(), emailSendAttempted(1)])
      .when(resolveInDoubt(afterLease, 'resend'))
      .then([emailSendInDoubtResent(1, afterLease)]);

    expect(state).toEqual({
      status: 'scheduled',
      email: expect.any(Object) as unknown,
      dueAt: afterLease,
      attemptsMade: 0,
      inDoubtCount: 1,
      lastError: {
        kind: 'in-doubt',
        message: expect.stringContaining('attempt 1') as unknown,
        attempt: 1,
        at: afterLease,
      },
    });
  });

  it('lets the resend be claimed as the same attempt again', () => {
    given([emailScheduled(), emailSendAttempted(1), emailSendInDoubtResent(1, afterLease)])
      .when(claimSendAttempt({ now: afterLease }))
      .then([emailSendAttempted(1, afterLease)]);
  });

  it('older in-doubt events (no countsAsAttempt) still count the attempt when replayed', () => {
    const legacy = emailSendInDoubtResent(1, afterLease);
    const data = { ...legacy.data };
    delete data.countsAsAttempt;
    delete data.inDoubtCount;
    given([emailScheduled(), emailSendAttempted(1), { ...legacy, data }])
      .when(claimSendAttempt({ now: afterLease }))
      .then([emailSendAttempted(2, afterLease)]);
  });

  it('is allowed exactly when the lease runs out', () => {
    given([emailScheduled(), emailSendAttempted(1)])
      .when(resolveInDoubt(LEASE_UNTIL))
      .then([emailSendInDoubtResent(1, LEASE_UNTIL)]);
  });

  it('fails the email for manual review under the "fail" policy', () => {
    const state = given([emailScheduled(), emailSendAttempted(1)])
      .when(resolveInDoubt(afterLease, 'fail'))
      .then([emailSendInDoubtFailed(1, afterLease)]);

    expect(state).toMatchObject({
      status: 'failed',
      failedAt: afterLease,
      attemptsMade: 0,
      lastError: { kind: 'in-doubt' },
    });
  });

  it('resends under "resend" even when the lost attempt was the last allowed: in doubt never loses', () => {
    given([emailScheduled({ maxAttempts: 1 }), emailSendAttempted(1)])
      .when(resolveInDoubt(afterLease, 'resend'))
      .then([emailSendInDoubtResent(1, afterLease)]);
  });

  it('counts in-doubt resolutions in a row: an attempt the relay answered in between starts the count again', () => {
    const lease = (n: number): string => plus(afterLease, n * 2 * LEASE_MS);
    const history: EmailEvent[] = [emailScheduled({ maxAttempts: 5 })];
    for (let n = 1; n <= DEFAULT_RULES.maxInDoubtResends; n += 1) {
      history.push(
        emailSendAttempted(1, lease(n - 1)),
        emailSendInDoubtResent(1, lease(n), plus(lease(n - 1), LEASE_MS), n),
      );
    }
    const k = DEFAULT_RULES.maxInDoubtResends;
    history.push(
      emailSendAttempted(1, lease(k)),
      emailFailed(1, TRANSIENT, lease(k + 1), lease(k)),
      emailSendAttempted(2, lease(k + 1)),
    );
    given(history)
      .when(resolveInDoubt(lease(k + 2), 'resend'))
      .then([emailSendInDoubtResent(2, lease(k + 2), plus(lease(k + 1), LEASE_MS), 1)]);
  });

  it('fails a poison email once its in-doubt resends pass the bound, saying why', () => {
    const lease = (n: number): string => plus(afterLease, n * 2 * LEASE_MS);
    const history: EmailEvent[] = [emailScheduled({ maxAttempts: 1 })];
    for (let n = 1; n <= DEFAULT_RULES.maxInDoubtResends; n += 1) {
      history.push(
        emailSendAttempted(1, lease(n - 1)),
        emailSendInDoubtResent(1, lease(n), plus(lease(n - 1), LEASE_MS), n),
      );
    }
    const last = DEFAULT_RULES.maxInDoubtResends + 1;
    history.push(emailSendAttempted(1, lease(last - 1)));
    const state = given(history)
      .when(resolveInDoubt(lease(last), 'resend'))
      .then([
        emailSendInDoubtFailed(
          1,
          lease(last),
          plus(lease(last - 1), LEASE_MS),
          'in-doubt-limit',
          last,
        ),
      ]);
    expect(state).toMatchObject({
      status: 'failed',
      lastError: {
        kind: 'in-doubt',
        message: expect.stringContaining(`in doubt ${last} times`) as unknown,
      },
    });
  });

  it('refuses while the lease is still valid: the worker may yet report', () => {
    given([emailScheduled(), emailSendAttempted(1)])
      .when(resolveInDoubt(plus(LEASE_UNTIL, -1)))
      .thenThrows(IllegalStateError, {
        status: 'attempting',
        reason: `cannot resolve an in-doubt send: the lease is still valid until ${LEASE_UNTIL}`,
      });
  });
});
