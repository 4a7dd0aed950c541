// Random walks through an email's life: whatever sequence of commands arrives, in whatever order, the decider
// either refuses with a domain error or emits events whose fold keeps the invariants every reader relies on.

import fc from 'fast-check';
import { decide } from './decide';
import { DomainError } from './domain-errors';
import type { EmailCommand } from './email-commands';
import type { EmailEvent, FailureKind, RateLimitKind } from './email-events';
import { dueAt, isTerminal, type EmailState } from './email-state';
import { evolve, replay } from './evolve';
import { MINUTE, scheduleEmail, SCHEDULED_AT } from './testing/email-fixtures';
import { withoutUndefined } from './testing/json';

type Step =
  | { kind: 'reschedule'; offsetMs: number }
  | { kind: 'cancel' }
  | { kind: 'claim' }
  | { kind: 'success' }
  | { kind: 'failure'; failure: FailureKind; random: number; notBeforeMs?: number }
  | { kind: 'defer'; offsetMs: number; limit: RateLimitKind }
  | { kind: 'resolve'; policy: 'resend' | 'fail' };

const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('reschedule'),
    offsetMs: fc.integer({ min: -60 * MINUTE, max: 48 * 60 * MINUTE }),
  }),
  fc.record({ kind: fc.constant('cancel') }),
  fc.record({ kind: fc.constant('claim') }),
  fc.record({ kind: fc.constant('success') }),
  fc.record(
    {
      kind: fc.constant('failure'),
      failure: fc.constantFrom<FailureKind>('transient', 'permanent', 'relay-unavailable'),
      random,
      notBeforeMs: fc.integer({ min: -MINUTE, max: 30 * MINUTE }),
    },
    { requiredKeys: ['kind', 'failure', 'random'] },
  ),
  fc.record({
    kind: fc.constant('defer'),
    offsetMs: fc.integer({ min: 1, max: 60 * MINUTE }),
    limit: fc.constantFrom<RateLimitKind>('sender', 'tenant', 'global', 'min-gap'),
  }),
  fc.record({
    kind: fc.constant('resolve'),
    policy: fc.constantFrom('resend' as const, 'fail' as const),
  }),
);

const walk = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 5 }),
  steps: fc.array(fc.tuple(fc.integer({ min: 0, max: 10 * MINUTE }), step), { maxLength: 40 }),
});

const iso = (ms: number) => new Date(ms).toISOString();

function commandFor(s: Step, nowMs: number): EmailCommand {
  const now = iso(nowMs);
  switch (s.kind) {
    case 'reschedule':
      return { type: 'RescheduleEmail', data: { sendAt: iso(nowMs + s.offsetMs), now } };
    case 'cancel':
      return { type: 'CancelEmail', data: { now } };
    case 'claim':
      return {
        type: 'ClaimSendAttempt',
        data: { workerId: 'w', jobId: 'j', now, leaseMs: MINUTE },
      };
    case 'success':
      return { type: 'RecordSendSuccess', data: { messageId: '<m@x>', response: '250 ok', now } };
    case 'failure':
      return {
        type: 'RecordSendFailure',
        data: {
          failure: { kind: s.failure, message: s.failure },
          now,
          random: s.random,
          ...(s.notBeforeMs === undefined ? {} : { retryNotBefore: iso(nowMs + s.notBeforeMs) }),
        },
      };
    case 'defer':
      return { type: 'DeferSend', data: { until: iso(nowMs + s.offsetMs), limit: s.limit, now } };
    case 'resolve':
      return { type: 'ResolveInDoubt', data: { now, policy: s.policy } };
  }
}

function checkInvariants(state: EmailState, previous: EmailState): void {
  expect(withoutUndefined(state)).toStrictEqual(state);
  expect(dueAt(state) !== undefined).toBe(state.status === 'scheduled');
  if (state.status === 'initial') return;
  expect(state.attemptsMade).toBeGreaterThanOrEqual(0);
  expect(state.attemptsMade).toBeLessThanOrEqual(state.email.maxAttempts);
  if (previous.status !== 'initial') {
    expect(state.attemptsMade).toBeGreaterThanOrEqual(previous.attemptsMade);
  }
  if (state.status === 'attempting') expect(state.attempt).toBe(state.attemptsMade + 1);
  if (state.status === 'scheduled') expect(state.dueAt >= state.email.scheduledAt).toBe(true);
  if (isTerminal(previous)) expect(state).toBe(previous);
}

describe('the email decider, on any sequence of commands', () => {
  it('refuses with a domain error or emits events that keep every invariant', () => {
    fc.assert(
      fc.property(walk, ({ maxAttempts, steps }) => {
        let nowMs = Date.parse(SCHEDULED_AT);
        const history: EmailEvent[] = [...decide(scheduleEmail({ maxAttempts }), replay([]))];
        let state = replay(history);
        for (const [advanceMs, s] of steps) {
          nowMs += advanceMs;
          const previous = state;
          let events: readonly EmailEvent[] = [];
          try {
            events = decide(commandFor(s, nowMs), state);
          } catch (error: unknown) {
            if (!(error instanceof DomainError)) throw error;
          }
          expect(events.length).toBeLessThanOrEqual(1);
          history.push(...events);
          state = events.reduce(evolve, state);
          checkInvariants(state, previous);
        }
        expect(replay(history)).toEqual(state);
      }),
    );
  });

  it('never lets evolve throw, whatever order the events come in', () => {
    const anyEvent = fc.constantFrom<EmailEvent>(
      ...decide(scheduleEmail(), replay([])),
      {
        type: 'EmailRescheduled',
        data: { sendAt: SCHEDULED_AT, previousSendAt: SCHEDULED_AT, rescheduledAt: SCHEDULED_AT },
      },
      { type: 'EmailCancelled', data: { cancelledAt: SCHEDULED_AT } },
      {
        type: 'EmailSendAttempted',
        data: {
          attempt: 1,
          workerId: 'w',
          jobId: 'j',
          claimedAt: SCHEDULED_AT,
          leaseUntil: SCHEDULED_AT,
        },
      },
      {
        type: 'EmailSent',
        data: { attempt: 1, messageId: 'm', response: '250', sentAt: SCHEDULED_AT },
      },
      {
        type: 'EmailFailed',
        data: {
          attempt: 1,
          failure: { kind: 'transient', message: 'x' },
          final: false,
          retryAt: SCHEDULED_AT,
          failedAt: SCHEDULED_AT,
          countsAsAttempt: true,
        },
      },
      {
        type: 'EmailDeferred',
        data: { until: SCHEDULED_AT, limit: 'global', deferredAt: SCHEDULED_AT },
      },
      {
        type: 'EmailSendInDoubt',
        data: {
          attempt: 1,
          leaseUntil: SCHEDULED_AT,
          detectedAt: SCHEDULED_AT,
          resolution: 'fail',
        },
      },
    );
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 30 }), (events) => {
        const state = replay(events);
        expect(withoutUndefined(state)).toStrictEqual(state);
      }),
    );
  });
});
