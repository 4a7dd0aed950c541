import type { EmailEvent } from './email-events';
import { dueAt, initialState, isTerminal, type EmailState, type EmailStatus } from './email-state';
import { evolve, replay } from './evolve';
import {
  emailCancelled,
  emailDeferred,
  emailExpired,
  emailFailed,
  emailFailedFinally,
  emailRescheduled,
  emailPaused,
  emailResumed,
  emailRetryRequested,
  emailContentEdited,
  emailAttachmentsPurged,
  emailScheduled,
  emailSendAttempted,
  emailSendInDoubtFailed,
  emailSendInDoubtResent,
  emailSent,
  HISTORY,
  LEASE_MS,
  MINUTE,
  PERMANENT,
  plus,
  RELAY_DOWN,
  SCHEDULED_AT,
  SECOND,
  SEND_AT,
  TRANSIENT,
} from './testing/email-fixtures';
import { withoutUndefined } from './testing/json';

const LATER = '2030-01-02T10:00:00.000Z';
const FAILED_AT = plus(SEND_AT, 2 * SECOND);

describe('replay', () => {
  it('starts from the initial state', () => {
    expect(replay([])).toBe(initialState);
    expect(initialState).toEqual({ status: 'initial' });
  });

  it('folds the happy path to sent', () => {
    expect(replay(HISTORY.sent)).toEqual({
      status: 'sent',
      email: {
        emailId: emailScheduled().data.emailId,
        tenantId: 'tenant-acme',
        from: { address: 'billing@acme.example', name: 'Acme Billing' },
        to: [{ address: 'jane@example.com' }],
        cc: [],
        bcc: [],
        subject: 'Your invoice',
        text: 'Please find your invoice attached.',
        tags: [],
        maxAttempts: 5,
        requestedSendAt: SEND_AT,
        sendAt: SEND_AT,
        scheduledAt: SCHEDULED_AT,
      },
      attemptsMade: 1,
      sentAt: FAILED_AT,
      messageId: emailSent().data.messageId,
      response: '250 2.0.0 Ok: queued as 4B7',
    });
  });

  it('folds retries: two transient failures, then success on attempt 3', () => {
    const retry1 = plus(FAILED_AT, 15 * SECOND);
    const retry2 = plus(retry1, 2 * MINUTE);
    const state = replay([
      emailScheduled(),
      emailSendAttempted(1),
      emailFailed(1, TRANSIENT, retry1),
      emailSendAttempted(2, retry1),
      emailFailed(2, TRANSIENT, retry2, plus(retry1, SECOND)),
      emailSendAttempted(3, retry2),
      emailSent(3, plus(retry2, SECOND)),
    ]);

    expect(state).toMatchObject({ status: 'sent', attemptsMade: 3, sentAt: plus(retry2, SECOND) });
  });

  it('folds a relay outage without spending the email’s attempts', () => {
    const retry1 = plus(FAILED_AT, 15 * SECOND);
    const retry2 = plus(retry1, 15 * SECOND);
    const state = replay([
      emailScheduled(),
      emailSendAttempted(1),
      emailFailed(1, RELAY_DOWN, retry1),
      emailSendAttempted(1, retry1),
      emailFailed(1, RELAY_DOWN, retry2, plus(retry1, SECOND)),
    ]);

    expect(state).toMatchObject({
      status: 'scheduled',
      dueAt: retry2,
      attemptsMade: 0,
      lastError: { kind: 'relay-unavailable', attempt: 1, at: plus(retry1, SECOND) },
    });
  });

  it('folds exhausted retries to failed, keeping the last error', () => {
    const retry = plus(FAILED_AT, 15 * SECOND);
    const state = replay([
      emailScheduled({ maxAttempts: 2 }),
      emailSendAttempted(1),
      emailFailed(1, TRANSIENT, retry),
      emailSendAttempted(2, retry),
      emailFailedFinally(2, PERMANENT, plus(retry, SECOND)),
    ]);

    expect(state).toEqual({
      status: 'failed',
      email: expect.objectContaining({ maxAttempts: 2 }) as unknown,
      attemptsMade: 2,
      failedAt: plus(retry, SECOND),
      lastError: { ...PERMANENT, attempt: 2, at: plus(retry, SECOND) },
    });
  });

  it('folds a deferral, then a reschedule that clears it', () => {
    const until = plus(SEND_AT, 5 * MINUTE);
    const deferred = replay([emailScheduled(), emailDeferred(until, 'global')]);
    expect(deferred).toMatchObject({
      dueAt: until,
      deferral: { until, limit: 'global', deferredAt: SEND_AT },
      email: { sendAt: SEND_AT },
    });

    const rescheduled = replay([emailRescheduled(LATER, until)], deferred);
    expect(rescheduled).toMatchObject({
      status: 'scheduled',
      dueAt: LATER,
      email: { sendAt: LATER },
    });
    expect(rescheduled).not.toHaveProperty('deferral');
  });

  it('folds an in-doubt resend that then succeeds, counting both attempts', () => {
    const detected = plus(SEND_AT, LEASE_MS + MINUTE);
    const state = replay([
      emailScheduled(),
      emailSendAttempted(1),
      emailSendInDoubtResent(1, detected),
      emailSendAttempted(2, detected),
      emailSent(2, plus(detected, SECOND)),
    ]);

    expect(state).toMatchObject({ status: 'sent', attemptsMade: 2 });
  });

  it('folds an in-doubt failure to failed for manual review', () => {
    const detected = plus(SEND_AT, LEASE_MS + MINUTE);
    const state = replay([
      emailScheduled(),
      emailSendAttempted(1),
      emailSendInDoubtFailed(1, detected),
    ]);

    expect(state).toMatchObject({
      status: 'failed',
      failedAt: detected,
      attemptsMade: 0,
      lastError: { kind: 'in-doubt', attempt: 1, at: detected },
    });
  });

  it('folds a cancel after a failed attempt, keeping what went wrong', () => {
    const retry = plus(FAILED_AT, 15 * SECOND);
    const state = replay([
      emailScheduled(),
      emailSendAttempted(1),
      emailFailed(1, TRANSIENT, retry),
      emailCancelled(FAILED_AT, 'changed my mind'),
    ]);

    expect(state).toMatchObject({
      status: 'cancelled',
      cancelledAt: FAILED_AT,
      reason: 'changed my mind',
      attemptsMade: 1,
      lastError: { kind: 'transient' },
    });
  });

  it('continues a fold from a given state', () => {
    const halfway = replay(HISTORY.attempting);
    expect(replay([emailSent(1)], halfway)).toEqual(replay(HISTORY.sent));
  });

  it('produces state that reads back from JSON unchanged, even from events with undefined fields', () => {
    const history: EmailEvent[] = [
      emailScheduled({ html: undefined, idempotencyKey: undefined }),
      emailSendAttempted(1),
      emailFailed(1, { kind: 'transient', code: undefined, message: 'x' }, LATER),
      emailCancelled(LATER, undefined),
    ];
    const state = replay(history);
    expect(withoutUndefined(state)).toStrictEqual(state);
  });

  it('leaves the state it was given untouched', () => {
    const before = Object.freeze(replay(HISTORY.scheduled));
    const snapshot = structuredClone(before);
    evolve(before, emailSendAttempted(1));
    expect(before).toEqual(snapshot);
  });
});

describe('evolve ignores events that cannot follow the current state', () => {
  const sample: Record<EmailEvent['type'], EmailEvent> = {
    EmailScheduled: emailScheduled({ subject: 'another email' }),
    EmailRescheduled: emailRescheduled(LATER),
    EmailCancelled: emailCancelled(),
    EmailSendAttempted: emailSendAttempted(7),
    EmailSent: emailSent(7),
    EmailFailed: emailFailed(7, TRANSIENT, LATER),
    EmailDeferred: emailDeferred(LATER),
    EmailSendInDoubt: emailSendInDoubtResent(7, LATER),
    EmailPaused: emailPaused(LATER),
    EmailResumed: emailResumed(LATER, LATER),
    EmailExpired: emailExpired(LATER, LATER),
    EmailRetryRequested: emailRetryRequested(LATER),
    EmailContentEdited: emailContentEdited({ subject: 'Edited' }),
    EmailAttachmentsPurged: emailAttachmentsPurged(LATER),
  };
  const follows: Record<EmailStatus, readonly EmailEvent['type'][]> = {
    initial: ['EmailScheduled'],
    scheduled: [
      'EmailRescheduled',
      'EmailDeferred',
      'EmailCancelled',
      'EmailSendAttempted',
      'EmailPaused',
      'EmailExpired',
      'EmailContentEdited',
    ],
    attempting: ['EmailSent', 'EmailFailed', 'EmailSendInDoubt'],
    sent: ['EmailAttachmentsPurged'],
    failed: ['EmailRetryRequested', 'EmailAttachmentsPurged'],
    cancelled: ['EmailAttachmentsPurged'],
    paused: ['EmailResumed', 'EmailCancelled', 'EmailExpired', 'EmailContentEdited'],
    expired: ['EmailAttachmentsPurged'],
  };
  const cases = (Object.keys(follows) as EmailStatus[]).flatMap((status) =>
    (Object.keys(sample) as EmailEvent['type'][])
      .filter((type) => !follows[status].includes(type))
      .map((type) => [type, status] as const),
  );

  it.each(cases)('%s while %s leaves the state as it was', (type, status) => {
    const state = replay(HISTORY[status]);
    expect(evolve(state, sample[type])).toBe(state);
  });

  it.each(
    (Object.keys(follows) as EmailStatus[]).flatMap((status) =>
      follows[status].map((type) => [type, status] as const),
    ),
  )('%s while %s does change it', (type, status) => {
    const state = replay(HISTORY[status]);
    expect(evolve(state, sample[type])).not.toEqual(state);
  });
});

describe('dueAt', () => {
  it.each<[EmailStatus, string | undefined]>([
    ['initial', undefined],
    ['scheduled', SEND_AT],
    ['attempting', undefined],
    ['sent', undefined],
    ['failed', undefined],
    ['cancelled', undefined],
    ['paused', undefined],
    ['expired', undefined],
  ])('while %s is %p', (status, expected) => {
    expect(dueAt(replay(HISTORY[status]))).toBe(expected);
  });

  it('follows retries and deferrals', () => {
    const retry = plus(FAILED_AT, 15 * SECOND);
    const afterFailure: EmailState = replay([
      emailScheduled(),
      emailSendAttempted(1),
      emailFailed(1, TRANSIENT, retry),
    ]);
    expect(dueAt(afterFailure)).toBe(retry);
    expect(dueAt(evolve(afterFailure, emailDeferred(LATER)))).toBe(LATER);
  });
});

describe('isTerminal', () => {
  it.each<[EmailStatus, boolean]>([
    ['initial', false],
    ['scheduled', false],
    ['attempting', false],
    ['sent', true],
    ['failed', true],
    ['cancelled', true],
    ['paused', false],
    ['expired', true],
  ])('%s → %p', (status, expected) => {
    expect(isTerminal(replay(HISTORY[status]))).toBe(expected);
  });
});
