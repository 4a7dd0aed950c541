// Decides what happens next, given a command and the state folded from history. Pure: time and randomness come
// in with the command, the result is a list of events (possibly empty) or a domain error, and nothing is written
// here. The caller appends the events with the revision the state was read at, so a concurrent decision on the
// same email loses at the event store instead of both winning.

import {
  ForbiddenError,
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type ValidationIssue,
} from './domain-errors';
import { DEFAULT_RULES, type DomainRules } from './domain-rules';
import type {
  CancelEmail,
  ClaimSendAttempt,
  DeferSend,
  EmailCommand,
  RecordSendFailure,
  RecordSendSuccess,
  RescheduleEmail,
  ResolveInDoubt,
  ScheduleEmail,
} from './email-commands';
import type { EmailEvent, EmailFailed } from './email-events';
import type { AttemptingState, EmailState, EmailStatus, ScheduledState } from './email-state';
import { formatInstant, parseInstant, requireInstant } from './instant';
import { optional } from './optional';
import { parseAddress } from './rules/address';
import { bodyIssues, subjectProblem, tagIssues } from './rules/content-limits';
import { headerTextProblem } from './rules/header-text';
import { inDoubtResolution } from './rules/in-doubt';
import { parseRecipients } from './rules/recipients';
import { sanitizeRelayText } from './rules/relay-text';
import { maxAttemptsProblem, retryDelayMs } from './rules/retry-policy';
import { resolveSendAt } from './rules/send-at';
import { senderIdentityProblem } from './rules/sender-identity';

export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const MAX_CANCEL_REASON_LENGTH = 500;

export function decide(
  command: EmailCommand,
  state: EmailState,
  rules: DomainRules = DEFAULT_RULES,
): readonly EmailEvent[] {
  switch (command.type) {
    case 'ScheduleEmail':
      return scheduleEmail(command, state, rules);
    case 'RescheduleEmail':
      return rescheduleEmail(command, state, rules);
    case 'CancelEmail':
      return cancelEmail(command, state);
    case 'ClaimSendAttempt':
      return claimSendAttempt(command, state);
    case 'RecordSendSuccess':
      return recordSendSuccess(command, state);
    case 'RecordSendFailure':
      return recordSendFailure(command, state, rules);
    case 'DeferSend':
      return deferSend(command, state);
    case 'ResolveInDoubt':
      return resolveInDoubt(command, state, rules);
    default: {
      const unknownCommand: never = command;
      throw new TypeError(`unknown command ${JSON.stringify(unknownCommand)}`);
    }
  }
}

function scheduleEmail(
  { data }: ScheduleEmail,
  state: EmailState,
  rules: DomainRules,
): readonly EmailEvent[] {
  if (state.status !== 'initial') {
    throw new IllegalStateError(
      state.status,
      'cannot schedule: an email with this id already exists',
    );
  }
  const nowMs = requireInstant(data.now, 'now');
  requireIdentifier(data.emailId, 'emailId');
  requireIdentifier(data.tenantId, 'tenantId');

  // Every rule runs, so one response names every field the caller has to fix.
  const issues: ValidationIssue[] = [];
  const from = parseAddress(data.from);
  if (!from.ok) issues.push({ field: 'from', reason: from.reason });
  const { recipients, issues: recipientIssues } = parseRecipients(data, rules.maxRecipients);
  issues.push(...recipientIssues);
  const subject = subjectProblem(data.subject, rules.maxSubjectLength);
  if (subject) issues.push({ field: 'subject', reason: subject });
  issues.push(...bodyIssues(data.text, data.html, rules.maxBodyBytes));
  issues.push(...tagIssues(data.tags));
  const maxAttempts = data.maxAttempts ?? rules.defaultMaxAttempts;
  const attempts = maxAttemptsProblem(maxAttempts, rules.maxAttemptsCap);
  if (attempts) issues.push({ field: 'maxAttempts', reason: attempts });
  const sendAt = resolveSendAt(data.sendAt, nowMs, rules.horizonMs);
  if (!sendAt.ok) issues.push({ field: 'sendAt', reason: sendAt.reason });
  const idempotencyKey = idempotencyKeyProblem(data.idempotencyKey);
  if (idempotencyKey) issues.push({ field: 'idempotencyKey', reason: idempotencyKey });

  if (issues.length > 0 || !from.ok || !sendAt.ok) throw new ValidationError(issues);
  // After validation: a request with mistakes hears about all of them (400) before it hears it may not
  // send from this address at all (403).
  const forbidden = senderIdentityProblem(from.address.address, data.senderIdentity, data.tenantId);
  if (forbidden) throw new ForbiddenError({ field: 'from', reason: forbidden });

  return [
    {
      type: 'EmailScheduled',
      data: {
        emailId: data.emailId,
        tenantId: data.tenantId,
        from: from.address,
        ...recipients,
        subject: data.subject,
        // An empty part is no part: storing '' would make "has a text version" ambiguous downstream.
        ...optional('text', data.text === '' ? undefined : data.text),
        ...optional('html', data.html === '' ? undefined : data.html),
        requestedSendAt: sendAt.requestedSendAt,
        sendAt: sendAt.sendAt,
        maxAttempts,
        tags: [...(data.tags ?? [])],
        scheduledAt: formatInstant(nowMs),
        ...optional('idempotencyKey', data.idempotencyKey),
      },
    },
  ];
}

function rescheduleEmail(
  { data }: RescheduleEmail,
  state: EmailState,
  rules: DomainRules,
): readonly EmailEvent[] {
  const current = requireScheduled(state, 'reschedule');
  const nowMs = requireInstant(data.now, 'now');
  const sendAt =
    data.sendAt === undefined
      ? { ok: false as const, reason: 'is required' }
      : resolveSendAt(data.sendAt, nowMs, rules.horizonMs);
  if (!sendAt.ok) throw new ValidationError([{ field: 'sendAt', reason: sendAt.reason }]);
  return [
    {
      type: 'EmailRescheduled',
      data: {
        sendAt: sendAt.sendAt,
        previousSendAt: current.dueAt,
        rescheduledAt: formatInstant(nowMs),
      },
    },
  ];
}

function cancelEmail({ data }: CancelEmail, state: EmailState): readonly EmailEvent[] {
  requireScheduled(state, 'cancel');
  const nowMs = requireInstant(data.now, 'now');
  const { reason } = data;
  if (reason !== undefined) {
    if (typeof reason !== 'string') {
      throw new ValidationError([{ field: 'reason', reason: 'must be a string' }]);
    }
    if (reason.length > MAX_CANCEL_REASON_LENGTH) {
      throw new ValidationError([
        { field: 'reason', reason: `must be at most ${MAX_CANCEL_REASON_LENGTH} characters` },
      ]);
    }
  }
  return [
    {
      type: 'EmailCancelled',
      data: {
        cancelledAt: formatInstant(nowMs),
        ...optional('reason', reason === '' ? undefined : reason),
      },
    },
  ];
}

function claimSendAttempt({ data }: ClaimSendAttempt, state: EmailState): readonly EmailEvent[] {
  const current = requireScheduled(state, 'claim a send attempt');
  const nowMs = requireInstant(data.now, 'now');
  requireIdentifier(data.workerId, 'workerId');
  requireIdentifier(data.jobId, 'jobId');
  if (!Number.isInteger(data.leaseMs) || data.leaseMs <= 0) {
    throw new RangeError(`leaseMs must be a positive integer, got ${data.leaseMs}`);
  }
  // A job that fires early (clock skew between workers, a reschedule the job has not heard of) must not send.
  if (nowMs < requireInstant(current.dueAt, 'dueAt')) {
    throw new IllegalStateError(
      'scheduled',
      `cannot claim a send attempt: the email is not due until ${current.dueAt}`,
    );
  }
  return [
    {
      type: 'EmailSendAttempted',
      data: {
        attempt: current.attemptsMade + 1,
        workerId: data.workerId,
        jobId: data.jobId,
        claimedAt: formatInstant(nowMs),
        leaseUntil: formatInstant(nowMs + data.leaseMs),
      },
    },
  ];
}

function recordSendSuccess({ data }: RecordSendSuccess, state: EmailState): readonly EmailEvent[] {
  // Accepted even after the lease ran out: the relay took the message, and that is the fact to record.
  const current = requireAttempting(state, 'record a successful send');
  const nowMs = requireInstant(data.now, 'now');
  return [
    {
      type: 'EmailSent',
      data: {
        attempt: current.attempt,
        messageId: data.messageId,
        response: sanitizeRelayText(data.response),
        sentAt: formatInstant(nowMs),
      },
    },
  ];
}

function recordSendFailure(
  { data }: RecordSendFailure,
  state: EmailState,
  rules: DomainRules,
): readonly EmailEvent[] {
  const current = requireAttempting(state, 'record a failed send');
  const nowMs = requireInstant(data.now, 'now');
  const notBeforeMs =
    data.retryNotBefore === undefined
      ? undefined
      : requireInstant(data.retryNotBefore, 'retryNotBefore');
  const { attempt } = current;
  const failure = {
    kind: data.failure.kind,
    ...optional('code', data.failure.code),
    ...optional(
      'errorCode',
      data.failure.errorCode === undefined
        ? undefined
        : sanitizeRelayText(data.failure.errorCode, 64),
    ),
    message: sanitizeRelayText(data.failure.message),
  };
  const base = { attempt, failure, failedAt: formatInstant(nowMs) };
  const backoffUntil = (): number => nowMs + retryDelayMs(attempt, data.random, rules.retry);

  let outcome: EmailFailed['data'];
  switch (failure.kind) {
    case 'permanent':
      outcome = { ...base, countsAsAttempt: true, final: true };
      break;
    case 'transient':
      outcome =
        attempt < current.email.maxAttempts
          ? {
              ...base,
              countsAsAttempt: true,
              final: false,
              retryAt: formatInstant(Math.max(backoffUntil(), notBeforeMs ?? nowMs)),
            }
          : { ...base, countsAsAttempt: true, final: true };
      break;
    case 'relay-unavailable':
      // The relay being down is never the email's fault: it keeps its attempt and is never given up on here.
      outcome = {
        ...base,
        countsAsAttempt: false,
        final: false,
        retryAt: formatInstant(
          notBeforeMs === undefined ? backoffUntil() : Math.max(notBeforeMs, nowMs),
        ),
      };
      break;
    default: {
      const unknownKind: never = failure.kind;
      throw new TypeError(`unknown failure kind ${JSON.stringify(unknownKind)}`);
    }
  }
  return [{ type: 'EmailFailed', data: outcome }];
}

function deferSend({ data }: DeferSend, state: EmailState): readonly EmailEvent[] {
  const current = requireScheduled(state, 'defer');
  const nowMs = requireInstant(data.now, 'now');
  const untilMs = parseInstant(data.until);
  if (untilMs === undefined) {
    throw new ValidationError([
      { field: 'until', reason: 'must be an ISO-8601 date-time with a timezone (Z or ±hh:mm)' },
    ]);
  }
  // A deferral only ever makes an email later: moving it before its due time would send it early.
  const earliestMs = Math.max(nowMs, requireInstant(current.dueAt, 'dueAt'));
  if (untilMs <= earliestMs) {
    throw new ValidationError([
      {
        field: 'until',
        reason: `must be after ${formatInstant(earliestMs)} (now or the due time)`,
      },
    ]);
  }
  return [
    {
      type: 'EmailDeferred',
      data: { until: formatInstant(untilMs), limit: data.limit, deferredAt: formatInstant(nowMs) },
    },
  ];
}

function resolveInDoubt(
  { data }: ResolveInDoubt,
  state: EmailState,
  rules: DomainRules,
): readonly EmailEvent[] {
  const current = requireAttempting(state, 'resolve an in-doubt send');
  const nowMs = requireInstant(data.now, 'now');
  // Before the lease runs out the worker may still report; deciding for it would race a live send.
  if (nowMs < requireInstant(current.leaseUntil, 'leaseUntil')) {
    throw new IllegalStateError(
      'attempting',
      `cannot resolve an in-doubt send: the lease is still valid until ${current.leaseUntil}`,
    );
  }
  const detectedAt = formatInstant(nowMs);
  const inDoubtCount = (current.inDoubtCount ?? 0) + 1;
  const base = {
    attempt: current.attempt,
    leaseUntil: current.leaseUntil,
    detectedAt,
    countsAsAttempt: false,
    inDoubtCount,
  };
  const decision = inDoubtResolution(data.policy, inDoubtCount, rules.maxInDoubtResends);
  return [
    {
      type: 'EmailSendInDoubt',
      data:
        decision.resolution === 'resend'
          ? { ...base, resolution: 'resend', retryAt: detectedAt }
          : { ...base, resolution: 'fail', reason: decision.reason },
    },
  ];
}

// Why each status refuses a command that needs another one; the text reaches the API's 409 as is.
const TOO_LATE: { readonly [Status in Exclude<EmailStatus, 'initial'>]: string } = {
  scheduled: 'no send attempt is in progress',
  attempting: 'the email is already being sent',
  sent: 'the email has already been sent',
  failed: 'the email has already failed',
  cancelled: 'the email has been cancelled',
};

function requireScheduled(state: EmailState, action: string): ScheduledState {
  if (state.status === 'scheduled') return state;
  if (state.status === 'initial') throw new NotFoundError();
  throw new IllegalStateError(state.status, `cannot ${action}: ${TOO_LATE[state.status]}`);
}

function requireAttempting(state: EmailState, action: string): AttemptingState {
  if (state.status === 'attempting') return state;
  if (state.status === 'initial') throw new NotFoundError();
  throw new IllegalStateError(state.status, `cannot ${action}: ${TOO_LATE[state.status]}`);
}

// Ids are minted by our own code, never typed by users: a missing one is a bug to surface, not a 400.
function requireIdentifier(value: unknown, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`${what} must be a non-empty string`);
  }
}

function idempotencyKeyProblem(key: unknown): string | undefined {
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || key === '') return 'must be a non-empty string';
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`;
  }
  return headerTextProblem(key);
}
