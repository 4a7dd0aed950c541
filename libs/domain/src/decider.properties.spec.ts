// Random walks through an email's life: whatever sequence of commands arrives, in whatever order, the decider
// either refuses with a domain error or emits events whose fold keeps the invariants every reader relies on.

import fc from 'fast-check';
import { decide } from './decide';
import { DomainError } from './domain-errors';
import type { ContentChanges, EmailCommand } from './email-commands';
import type { EmailEvent, FailureKind, RateLimitKind } from './email-events';
import { dueAt, isTerminal, type EmailState } from './email-state';
import { evolve, replay } from './evolve';
import { sendGate } from './rules/send-gate';
import { MINUTE, scheduleEmail, SCHEDULED_AT, SEND_AT } from './testing/email-fixtures';
import { withoutUndefined } from './testing/json';

type Step =
  | { kind: 'reschedule'; offsetMs: number }
  | { kind: 'cancel' }
  | { kind: 'claim' }
  | { kind: 'success' }
  | { kind: 'failure'; failure: FailureKind; random: number; notBeforeMs?: number }
  | { kind: 'defer'; offsetMs: number; limit: RateLimitKind }
  | { kind: 'resolve'; policy: 'resend' | 'fail' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'expire' }
  | { kind: 'retry' }
  | { kind: 'edit'; changes: ContentChanges }
  | { kind: 'purge'; retentionMs: number };

/** Edits the rules accept and refuse alike: a refused one must change nothing. */
const contentChanges: fc.Arbitrary<ContentChanges> = fc.record(
  {
    subject: fc.constantFrom('Edited', '', 'Line\nbreak'),
    text: fc.constantFrom(null, 'New text'),
    replyTo: fc.constantFrom(null, 'help@acme.example', ['not an address']),
    headers: fc.constantFrom(null, { 'X-Campaign': 'spring' }, { 'Reply-To': 'x@evil.example' }),
    metadata: fc.constantFrom(null, { customer: '42' }, { customer: 42 }),
  },
  { requiredKeys: [] },
);

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
  fc.record({ kind: fc.constantFrom('pause' as const, 'resume' as const, 'expire' as const) }),
  fc.record({ kind: fc.constant('retry' as const) }),
  fc.record({ kind: fc.constant('edit' as const), changes: contentChanges }),
  fc.record({
    kind: fc.constant('purge' as const),
    retentionMs: fc.integer({ min: 0, max: 30 * MINUTE }),
  }),
);

/** Some emails carry a file, so that a purge has bytes to purge. */
const ATTACHMENT = {
  filename: 'report.pdf',
  contentType: 'application/pdf',
  size: 3,
  sha256: 'a'.repeat(64),
} as const;

/** Office hours in New York (which has DST), on some emails. */
const WINDOW = {
  timeZone: 'America/New_York',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '09:00',
  end: '17:00',
} as const;

const walk = fc.record({
  maxAttempts: fc.integer({ min: 1, max: 5 }),
  window: fc.boolean(),
  /** A deadline this long after the window's first chance, or none. */
  expiresAfterMs: fc.option(fc.integer({ min: 1, max: 4 * 60 * MINUTE }), { nil: undefined }),
  attachment: fc.boolean(),
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
    case 'pause':
      return { type: 'PauseEmail', data: { now } };
    case 'resume':
      return { type: 'ResumeEmail', data: { now } };
    case 'expire':
      return { type: 'ExpireEmail', data: { now } };
    case 'retry':
      return { type: 'RetryEmail', data: { now } };
    case 'edit':
      return { type: 'EditEmailContent', data: { changes: s.changes, now } };
    case 'purge':
      return { type: 'PurgeAttachments', data: { now, retentionMs: s.retentionMs } };
  }
}

function checkInvariants(
  state: EmailState,
  previous: EmailState,
  events: readonly EmailEvent[],
): void {
  expect(withoutUndefined(state)).toStrictEqual(state);
  expect(dueAt(state) !== undefined).toBe(state.status === 'scheduled');
  if (state.status === 'initial') return;
  expect(state.attemptsMade).toBeGreaterThanOrEqual(0);
  expect(state.attemptsMade).toBeLessThanOrEqual(state.email.maxAttempts);
  // Only a manual retry gives a new attempt budget.
  if (previous.status !== 'initial' && !events.some((e) => e.type === 'EmailRetryRequested')) {
    expect(state.attemptsMade).toBeGreaterThanOrEqual(previous.attemptsMade);
  }
  // Never an attempt at or after the deadline, nor outside the window.
  for (const event of events) {
    if (event.type !== 'EmailSendAttempted') continue;
    const claimedMs = Date.parse(event.data.claimedAt);
    expect(sendGate(state.email, claimedMs)).toEqual({ kind: 'open' });
  }
  // An email only ever expires at or past its deadline, or when its next chance is.
  for (const event of events) {
    if (event.type !== 'EmailExpired') continue;
    const when =
      event.data.reason === 'deadline-passed' ? event.data.expiredAt : event.data.nextChanceAt;
    expect(Date.parse(when ?? '')).toBeGreaterThanOrEqual(Date.parse(event.data.expiresAt));
  }
  if (state.status === 'attempting') expect(state.attempt).toBe(state.attemptsMade + 1);
  if (state.status === 'scheduled') expect(state.dueAt >= state.email.scheduledAt).toBe(true);
  // An edit changes what the email says, never where it is in its life.
  if (events.some((e) => e.type === 'EmailContentEdited')) {
    expect(['scheduled', 'paused']).toContain(previous.status);
    expect(state.status).toBe(previous.status);
    expect(dueAt(state)).toBe(dueAt(previous));
  }
  // A purge only ever marks a final email's files gone, once.
  if (events.some((e) => e.type === 'EmailAttachmentsPurged')) {
    expect(isTerminal(previous) && previous.email.attachmentsPurgedAt === undefined).toBe(true);
    const { attachmentsPurgedAt, ...rest } = state.email;
    expect(attachmentsPurgedAt).toBeDefined();
    expect({ ...state, email: rest }).toEqual(previous);
  }
  // A final email stays final: only its owner's retry of a failure reopens it.
  if (
    isTerminal(previous) &&
    !events.some((e) => e.type === 'EmailRetryRequested' || e.type === 'EmailAttachmentsPurged')
  )
    expect(state).toBe(previous);
  if (isTerminal(previous) && state.status !== previous.status)
    expect(previous.status).toBe('failed');
}

describe('the email decider, on any sequence of commands', () => {
  it('refuses with a domain error or emits events that keep every invariant', () => {
    fc.assert(
      fc.property(walk, ({ maxAttempts, window, expiresAfterMs, attachment, steps }) => {
        let nowMs = Date.parse(SCHEDULED_AT);
        // SEND_AT, or the window's first opening after it (14:00Z on Tuesday 1 January 2030).
        const firstChanceMs = Date.parse(window ? '2030-01-01T14:00:00Z' : SEND_AT);
        const history: EmailEvent[] = [
          ...decide(
            scheduleEmail({
              maxAttempts,
              ...(window ? { deliveryWindow: WINDOW } : {}),
              ...(attachment ? { attachments: [ATTACHMENT] } : {}),
              ...(expiresAfterMs === undefined
                ? {}
                : { expiresAt: iso(firstChanceMs + expiresAfterMs) }),
            }),
            replay([]),
          ),
        ];
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
          expect(events.length).toBeLessThanOrEqual(2);
          history.push(...events);
          state = events.reduce(evolve, state);
          checkInvariants(state, previous, events);
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
      { type: 'EmailPaused', data: { pausedAt: SCHEDULED_AT } },
      { type: 'EmailResumed', data: { resumedAt: SCHEDULED_AT, dueAt: SCHEDULED_AT } },
      {
        type: 'EmailExpired',
        data: { expiredAt: SCHEDULED_AT, expiresAt: SCHEDULED_AT, reason: 'deadline-passed' },
      },
      {
        type: 'EmailRetryRequested',
        data: { requestedAt: SCHEDULED_AT, dueAt: SCHEDULED_AT, previousAttempts: 1 },
      },
      {
        type: 'EmailContentEdited',
        data: { editedAt: SCHEDULED_AT, changes: { subject: 'Edited' }, removed: ['text'] },
      },
      {
        type: 'EmailAttachmentsPurged',
        data: { purgedAt: SCHEDULED_AT, sha256: ['a'.repeat(64)], retentionMs: 0 },
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
