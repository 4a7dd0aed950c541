// What we know about one email, folded from its events. Plain data like the events, so the history endpoint can
// return it as JSON and a test can compare it whole.

import type { DeferralCause, EmailScheduled, ExpiryReason, FailureKind } from './email-events';

/**
 * What was asked for: the EmailScheduled payload, fixed at scheduling time except for `sendAt`, which a
 * reschedule moves, and the content, which an edit changes. Unlike `dueAt`, `sendAt` ignores retries and
 * deferrals, so it is the baseline for lateness.
 */
export type EmailDetails = EmailScheduled['data'] & {
  /** Set once the attachments' bytes were purged (EmailAttachmentsPurged): their refs stay, for the record. */
  readonly attachmentsPurgedAt?: string;
};

/** The latest thing that went wrong; 'in-doubt' when a worker vanished and the outcome is unknown. */
export interface LastError {
  readonly kind: FailureKind | 'in-doubt';
  readonly code?: number;
  readonly errorCode?: string;
  readonly message: string;
  readonly attempt: number;
  readonly at: string;
}

export interface Deferral {
  readonly until: string;
  readonly limit: DeferralCause;
  readonly deferredAt: string;
}

export interface InitialState {
  readonly status: 'initial';
}

export interface ScheduledState {
  readonly status: 'scheduled';
  readonly email: EmailDetails;
  /** When the next attempt may start: sendAt, or later after a deferral or a failure. */
  readonly dueAt: string;
  /** Attempts that counted against maxAttempts. */
  readonly attemptsMade: number;
  readonly lastError?: LastError;
  /** Present while the due time is the one a rate limit chose. */
  readonly deferral?: Deferral;
  /**
   * In-doubt resolutions in a row, since the relay last answered an attempt (absent: none); bounded apart
   * from maxAttempts (rules/in-doubt.ts).
   */
  readonly inDoubtCount?: number;
}

export interface AttemptingState {
  readonly status: 'attempting';
  readonly email: EmailDetails;
  /** The attempt in flight: attemptsMade + 1. */
  readonly attempt: number;
  readonly attemptsMade: number;
  readonly workerId: string;
  readonly jobId: string;
  readonly claimedAt: string;
  /** Past this instant without an outcome, the attempt is in doubt. */
  readonly leaseUntil: string;
  readonly lastError?: LastError;
  readonly inDoubtCount?: number;
}

export interface SentState {
  readonly status: 'sent';
  readonly email: EmailDetails;
  readonly attemptsMade: number;
  readonly sentAt: string;
  readonly messageId: string;
  readonly response: string;
}

export interface FailedState {
  readonly status: 'failed';
  readonly email: EmailDetails;
  readonly attemptsMade: number;
  readonly failedAt: string;
  readonly lastError: LastError;
}

export interface CancelledState {
  readonly status: 'cancelled';
  readonly email: EmailDetails;
  readonly attemptsMade: number;
  readonly cancelledAt: string;
  readonly reason?: string;
  readonly lastError?: LastError;
}

/** Held by its owner: what it was due at stays, and no attempt starts until it is resumed. */
export interface PausedState {
  readonly status: 'paused';
  readonly email: EmailDetails;
  /** The due time it had when paused. */
  readonly dueAt: string;
  readonly attemptsMade: number;
  readonly pausedAt: string;
  readonly reason?: string;
  readonly lastError?: LastError;
  readonly deferral?: Deferral;
  readonly inDoubtCount?: number;
}

export interface ExpiredState {
  readonly status: 'expired';
  readonly email: EmailDetails;
  readonly attemptsMade: number;
  readonly expiredAt: string;
  readonly reason: ExpiryReason;
  readonly lastError?: LastError;
}

export type EmailState =
  | InitialState
  | ScheduledState
  | AttemptingState
  | PausedState
  | SentState
  | FailedState
  | CancelledState
  | ExpiredState;

export type EmailStatus = EmailState['status'];

export const initialState: InitialState = Object.freeze({ status: 'initial' });

/** "Due at T": defined only while the email waits to be sent, which is what the scheduler turns into a job. */
export function dueAt(state: EmailState): string | undefined {
  return state.status === 'scheduled' ? state.dueAt : undefined;
}

/** When a final email became final; undefined for one that is not. */
export function finalAt(state: EmailState): string | undefined {
  switch (state.status) {
    case 'sent':
      return state.sentAt;
    case 'failed':
      return state.failedAt;
    case 'cancelled':
      return state.cancelledAt;
    case 'expired':
      return state.expiredAt;
    case 'initial':
    case 'scheduled':
    case 'attempting':
    case 'paused':
      return undefined;
  }
}

/** No command can change a terminal email any more (but the purge of its attachments' bytes). */
export function isTerminal(
  state: EmailState,
): state is SentState | FailedState | CancelledState | ExpiredState {
  return (
    state.status === 'sent' ||
    state.status === 'failed' ||
    state.status === 'cancelled' ||
    state.status === 'expired'
  );
}
