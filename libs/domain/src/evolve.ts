// Folds facts into state. Events are history: evolve never throws and never second-guesses them. An event that
// cannot follow the current state (decide never emits one) leaves the state as it was, so one odd event in a
// long stream cannot make the whole stream unreadable.

import type {
  EmailContentEdited,
  EmailEvent,
  EmailFailed,
  EmailRescheduled,
  EmailScheduled,
  EmailSendInDoubt,
} from './email-events';
import {
  initialState,
  isTerminal,
  type AttemptingState,
  type EmailDetails,
  type EmailState,
  type LastError,
  type ScheduledState,
} from './email-state';
import { optional } from './optional';

export function evolve(state: EmailState, event: EmailEvent): EmailState {
  switch (event.type) {
    case 'EmailScheduled':
      return state.status === 'initial' ? scheduled(event.data) : state;

    case 'EmailRescheduled': {
      if (state.status !== 'scheduled') return state;
      // The owner chose this time themselves, so any rate-limit deferral no longer explains it.
      return {
        status: 'scheduled',
        email: rescheduledEmail(state.email, event.data),
        dueAt: event.data.sendAt,
        attemptsMade: state.attemptsMade,
        ...optional('lastError', state.lastError),
        ...optional('inDoubtCount', state.inDoubtCount),
      };
    }

    case 'EmailDeferred': {
      if (state.status !== 'scheduled') return state;
      const { until, limit, deferredAt } = event.data;
      return { ...state, dueAt: until, deferral: { until, limit, deferredAt } };
    }

    case 'EmailCancelled':
      if (state.status !== 'scheduled' && state.status !== 'paused') return state;
      return {
        status: 'cancelled',
        email: state.email,
        attemptsMade: state.attemptsMade,
        cancelledAt: event.data.cancelledAt,
        ...optional('reason', event.data.reason),
        ...optional('lastError', state.lastError),
      };

    case 'EmailSendAttempted':
      if (state.status !== 'scheduled') return state;
      return {
        status: 'attempting',
        email: state.email,
        attempt: event.data.attempt,
        attemptsMade: state.attemptsMade,
        workerId: event.data.workerId,
        jobId: event.data.jobId,
        claimedAt: event.data.claimedAt,
        leaseUntil: event.data.leaseUntil,
        ...optional('lastError', state.lastError),
        ...optional('inDoubtCount', state.inDoubtCount),
      };

    case 'EmailSent':
      if (state.status !== 'attempting') return state;
      return {
        status: 'sent',
        email: state.email,
        attemptsMade: Math.max(state.attemptsMade, event.data.attempt),
        sentAt: event.data.sentAt,
        messageId: event.data.messageId,
        response: event.data.response,
      };

    case 'EmailFailed':
      return state.status === 'attempting' ? failed(state, event.data) : state;

    case 'EmailSendInDoubt':
      return state.status === 'attempting' ? inDoubt(state, event.data) : state;

    case 'EmailPaused': {
      if (state.status !== 'scheduled') return state;
      return {
        ...state,
        status: 'paused',
        pausedAt: event.data.pausedAt,
        ...optional('reason', event.data.reason),
      };
    }

    case 'EmailResumed': {
      if (state.status !== 'paused') return state;
      // The due time is recomputed, so a deferral that explained the old one no longer does.
      return {
        status: 'scheduled',
        email: state.email,
        dueAt: event.data.dueAt,
        attemptsMade: state.attemptsMade,
        ...optional('lastError', state.lastError),
        ...optional('inDoubtCount', state.inDoubtCount),
      };
    }

    case 'EmailExpired':
      if (state.status !== 'scheduled' && state.status !== 'paused') return state;
      return {
        status: 'expired',
        email: state.email,
        attemptsMade: state.attemptsMade,
        expiredAt: event.data.expiredAt,
        reason: event.data.reason,
        ...optional('lastError', state.lastError),
      };

    case 'EmailRetryRequested':
      if (state.status !== 'failed') return state;
      // A new attempt budget; the last error stays as the reason it needed one.
      return {
        status: 'scheduled',
        email: state.email,
        dueAt: event.data.dueAt,
        attemptsMade: 0,
        lastError: state.lastError,
      };

    case 'EmailContentEdited':
      if (state.status !== 'scheduled' && state.status !== 'paused') return state;
      return { ...state, email: editedEmail(state.email, event.data) };

    case 'EmailAttachmentsPurged':
      if (!isTerminal(state)) return state;
      return { ...state, email: { ...state.email, attachmentsPurgedAt: event.data.purgedAt } };

    default: {
      const unknownEvent: never = event;
      // Only reachable with data from outside the type system (an event type added by a newer writer).
      void unknownEvent;
      return state;
    }
  }
}

/** The state after a whole history; `from` lets a caller continue a fold it has already started. */
export function replay(events: Iterable<EmailEvent>, from: EmailState = initialState): EmailState {
  let state = from;
  for (const event of events) state = evolve(state, event);
  return state;
}

function scheduled(data: EmailScheduled['data']): ScheduledState {
  return {
    status: 'scheduled',
    email: {
      emailId: data.emailId,
      tenantId: data.tenantId,
      from: data.from,
      to: data.to,
      cc: data.cc,
      bcc: data.bcc,
      subject: data.subject,
      ...optional('text', data.text),
      ...optional('html', data.html),
      ...optional('replyTo', data.replyTo),
      ...optional('headers', data.headers),
      ...optional('metadata', data.metadata),
      ...optional('attachments', data.attachments),
      ...optional('template', data.template),
      tags: data.tags,
      maxAttempts: data.maxAttempts,
      requestedSendAt: data.requestedSendAt,
      sendAt: data.sendAt,
      scheduledAt: data.scheduledAt,
      ...optional('idempotencyKey', data.idempotencyKey),
      ...optional('timeZone', data.timeZone),
      ...optional('localSendAt', data.localSendAt),
      ...optional('deliveryWindow', data.deliveryWindow),
      ...optional('expiresAt', data.expiresAt),
      ...optional('batchId', data.batchId),
      ...optional('scheduleId', data.scheduleId),
      ...optional('occurrenceAt', data.occurrenceAt),
    },
    dueAt: data.sendAt,
    attemptsMade: 0,
  };
}

/**
 * The email after a reschedule: the new time, and the wall-clock time and zone it was asked in. A time
 * asked with its offset is no wall-clock time, so the old local time goes; the email's zone stays.
 */
function rescheduledEmail(email: EmailDetails, data: EmailRescheduled['data']): EmailDetails {
  const { localSendAt, ...rest } = email;
  void localSendAt;
  return {
    ...rest,
    sendAt: data.sendAt,
    ...optional('timeZone', data.timeZone ?? email.timeZone),
    ...optional('localSendAt', data.localSendAt),
  };
}

/** The email with an edit's new values, and without the optional parts it removed. */
function editedEmail(email: EmailDetails, data: EmailContentEdited['data']): EmailDetails {
  const edited: Record<string, unknown> = { ...email, ...data.changes };
  for (const field of data.removed ?? []) delete edited[field];
  return edited as EmailDetails;
}

function failed(state: AttemptingState, data: EmailFailed['data']): EmailState {
  const { failure } = data;
  const lastError: LastError = {
    kind: failure.kind,
    ...optional('code', failure.code),
    ...optional('errorCode', failure.errorCode),
    message: failure.message,
    attempt: data.attempt,
    at: data.failedAt,
  };
  const attemptsMade = data.countsAsAttempt
    ? Math.max(state.attemptsMade, data.attempt)
    : state.attemptsMade;
  if (data.final) {
    return {
      status: 'failed',
      email: state.email,
      attemptsMade,
      failedAt: data.failedAt,
      lastError,
    };
  }
  // The relay answered this attempt: the email does not kill the workers that send it, so the in-doubt
  // attempts before it say nothing about a poison email (inDoubtCount counts them in a row).
  return { status: 'scheduled', email: state.email, dueAt: data.retryAt, attemptsMade, lastError };
}

function inDoubt(state: AttemptingState, data: EmailSendInDoubt['data']): EmailState {
  const limitReached = data.resolution === 'fail' && data.reason === 'in-doubt-limit';
  const lastError: LastError = {
    kind: 'in-doubt',
    message: limitReached
      ? `attempt ${data.attempt} was in doubt ${data.inDoubtCount ?? 1} times: given up for review`
      : `no outcome was recorded for attempt ${data.attempt} before its lease ran out at ${data.leaseUntil}`,
    attempt: data.attempt,
    at: data.detectedAt,
  };
  const attemptsMade =
    (data.countsAsAttempt ?? true)
      ? Math.max(state.attemptsMade, data.attempt)
      : state.attemptsMade;
  const inDoubtCount = data.inDoubtCount ?? (state.inDoubtCount ?? 0) + 1;
  if (data.resolution === 'fail') {
    return {
      status: 'failed',
      email: state.email,
      attemptsMade,
      failedAt: data.detectedAt,
      lastError,
    };
  }
  return {
    status: 'scheduled',
    email: state.email,
    dueAt: data.retryAt,
    attemptsMade,
    lastError,
    inDoubtCount,
  };
}
