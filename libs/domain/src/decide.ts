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
  EditEmailContent,
  PurgeAttachments,
  EmailCommand,
  ExpireEmail,
  PauseEmail,
  RecordSendFailure,
  RecordSendSuccess,
  RescheduleEmail,
  ResolveInDoubt,
  ResumeEmail,
  RetryEmail,
  ScheduleEmail,
} from './email-commands';
import type { ContentField, EmailEvent, EmailFailed, ExpiryReason } from './email-events';
import type {
  AttemptingState,
  EmailDetails,
  EmailState,
  EmailStatus,
  FailedState,
  PausedState,
  ScheduledState,
} from './email-state';
import { finalAt } from './email-state';
import { formatInstant, parseInstant, requireInstant } from './instant';
import { optional } from './optional';
import { parseAddress } from './rules/address';
import { parseContent, type ContentInput } from './rules/content';
import { tagIssues } from './rules/content-limits';
import { headerTextProblem } from './rules/header-text';
import { inDoubtResolution } from './rules/in-doubt';
import { sanitizeRelayText } from './rules/relay-text';
import { maxAttemptsProblem, retryDelayMs } from './rules/retry-policy';
import { parseDeliveryWindow } from './rules/delivery-window';
import { canonicalTimeZone, isLocalDateTime, resolveLocalTime } from './rules/local-time';
import { resolveSendAt } from './rules/send-at';
import { sendGate } from './rules/send-gate';
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
    case 'EditEmailContent':
      return editEmailContent(command, state, rules);
    case 'PurgeAttachments':
      return purgeAttachments(command, state);
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
    case 'PauseEmail':
      return pauseEmail(command, state);
    case 'ResumeEmail':
      return resumeEmail(command, state);
    case 'ExpireEmail':
      return expireEmail(command, state);
    case 'RetryEmail':
      return retryEmail(command, state);
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
  const { content, issues: contentIssues } = parseContent(data, rules);
  issues.push(...contentIssues);
  issues.push(...tagIssues(data.tags));
  const maxAttempts = data.maxAttempts ?? rules.defaultMaxAttempts;
  const attempts = maxAttemptsProblem(maxAttempts, rules.maxAttemptsCap);
  if (attempts) issues.push({ field: 'maxAttempts', reason: attempts });
  const timeZone = data.timeZone === undefined ? undefined : canonicalTimeZone(data.timeZone);
  if (data.timeZone !== undefined && timeZone === undefined) {
    issues.push({
      field: 'timeZone',
      reason: 'must be an IANA time zone name such as Europe/Paris',
    });
  }
  const sendAt = resolveSendAt(inZone(data.sendAt, timeZone), nowMs, rules.horizonMs);
  if (!sendAt.ok && !(data.timeZone !== undefined && timeZone === undefined)) {
    issues.push({
      field: 'sendAt',
      reason: sendAtReason(sendAt.reason, data.sendAt, data.timeZone),
    });
  }
  const window = parseDeliveryWindow(data.deliveryWindow);
  if (!window.ok) issues.push(...window.issues);
  const expiresAt = resolveExpiresAt(
    data.expiresAt,
    timeZone,
    nowMs,
    sendAt.ok ? sendAt.sendAt : undefined,
  );
  if (!expiresAt.ok) issues.push({ field: 'expiresAt', reason: expiresAt.reason });
  const idempotencyKey = idempotencyKeyProblem(data.idempotencyKey);
  if (idempotencyKey) issues.push({ field: 'idempotencyKey', reason: idempotencyKey });

  if (issues.length > 0 || !from.ok || !sendAt.ok || !window.ok || !expiresAt.ok) {
    throw new ValidationError(issues);
  }
  const timing = {
    ...optional('timeZone', timeZone),
    ...optional(
      'localSendAt',
      timeZone !== undefined && isLocalDateTime(data.sendAt) ? data.sendAt : undefined,
    ),
    ...optional('deliveryWindow', window.window),
    ...optional('expiresAt', expiresAt.expiresAt),
  };
  // A window that next opens only after the deadline makes an email that can never go: refused, not written.
  const gate = sendGate(timing, requireInstant(sendAt.sendAt, 'sendAt'));
  if (gate.kind === 'expire') {
    throw new ValidationError([
      {
        field: 'expiresAt',
        reason:
          gate.nextChanceMs === undefined
            ? 'must be after sendAt'
            : `is before the delivery window's next opening (${formatInstant(gate.nextChanceMs)})`,
      },
    ]);
  }
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
        ...content,
        requestedSendAt: sendAt.requestedSendAt,
        sendAt: sendAt.sendAt,
        maxAttempts,
        tags: [...(data.tags ?? [])],
        scheduledAt: formatInstant(nowMs),
        ...optional('idempotencyKey', data.idempotencyKey),
        ...timing,
        ...optional('batchId', data.batchId),
        ...optional('scheduleId', data.scheduleId),
        ...optional('occurrenceAt', data.occurrenceAt),
      },
    },
    ...windowDeferral(gate, nowMs),
  ];
}

const CONTENT_FIELDS: readonly ContentField[] = [
  'to',
  'cc',
  'bcc',
  'replyTo',
  'subject',
  'text',
  'html',
  'headers',
  'metadata',
  'attachments',
  'template',
];
/** The parts a template renders: changed literally, the email no longer says what its template does. */
const RENDERED_FIELDS: readonly ContentField[] = ['subject', 'text', 'html'];

/**
 * An edit before the email goes: the whole content after it is held to the scheduling rules, and the event
 * carries only what actually changed (an edit that changes nothing appends nothing).
 */
function editEmailContent(
  { data }: EditEmailContent,
  state: EmailState,
  rules: DomainRules,
): readonly EmailEvent[] {
  if (state.status === 'initial') throw new NotFoundError();
  if (state.status !== 'scheduled' && state.status !== 'paused') {
    throw new IllegalStateError(state.status, `cannot edit: ${TOO_LATE[state.status]}`);
  }
  // The resend carries the same Message-ID: a recipient who got the first copy and drops duplicates by it
  // would keep the old content. Cancel it and schedule the new content as a new email instead.
  if ((state.inDoubtCount ?? 0) > 0) {
    throw new IllegalStateError(
      state.status,
      'cannot edit: an earlier attempt may have reached the recipient (in doubt), and its resend must say the same; cancel it and schedule the new content as a new email',
    );
  }
  const nowMs = requireInstant(data.now, 'now');
  const { changes } = data;
  if (typeof changes !== 'object' || changes === null) {
    throw new ValidationError([{ field: 'body', reason: 'must name the parts to change' }]);
  }
  const current = state.email;
  const merged = contentOf(current);
  for (const field of CONTENT_FIELDS) {
    if (!(field in changes)) continue;
    const value = (changes as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  const rendersLiterally = RENDERED_FIELDS.some((f) => f in changes && changes[f] !== undefined);
  if (rendersLiterally && (changes.template === undefined || changes.template === null))
    delete merged['template'];
  const { content, issues } = parseContent(merged as unknown as ContentInput, rules);
  if (issues.length > 0) throw new ValidationError(issues);

  const changed: Record<string, unknown> = {};
  const removed: ContentField[] = [];
  for (const field of CONTENT_FIELDS) {
    const before = current[field];
    const after = content[field];
    if (sameJson(before, after)) continue;
    if (after === undefined) removed.push(field);
    else changed[field] = after;
  }
  if (Object.keys(changed).length === 0 && removed.length === 0) return [];
  return [
    {
      type: 'EmailContentEdited',
      data: {
        editedAt: formatInstant(nowMs),
        changes: changed,
        ...(removed.length > 0 ? { removed } : {}),
        ...optional('dueAt', state.status === 'scheduled' ? state.dueAt : current.expiresAt),
      },
    },
  ];
}

/** The email's content in the form a request gives it (headers as `{ name: value }`), to parse again. */
function contentOf(email: EmailDetails): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) if (email[field] !== undefined) content[field] = email[field];
  if (email.headers)
    content['headers'] = Object.fromEntries(email.headers.map((h) => [h.name, h.value]));
  return content;
}

/** Events hold JSON, so JSON equality is what "changed" means for a part. */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The retention period after a final email: its attachments' bytes go, the record of them stays. Nothing to
 * do (no attachments, already purged) is no event; asked too early or for an email still live, a refusal.
 */
function purgeAttachments({ data }: PurgeAttachments, state: EmailState): readonly EmailEvent[] {
  if (state.status === 'initial') throw new NotFoundError();
  const nowMs = requireInstant(data.now, 'now');
  const final = finalAt(state);
  if (final === undefined) {
    throw new IllegalStateError(
      state.status,
      `cannot purge attachments: the email is ${state.status === 'attempting' ? 'being sent' : `${state.status}, not final`}`,
    );
  }
  const attachments = state.email.attachments ?? [];
  if (attachments.length === 0 || state.email.attachmentsPurgedAt !== undefined) return [];
  const dueMs = requireInstant(final, 'finalAt') + data.retentionMs;
  if (nowMs < dueMs) {
    throw new IllegalStateError(
      state.status,
      `cannot purge attachments: they are kept until ${formatInstant(dueMs)} (the retention after the email became final)`,
    );
  }
  return [
    {
      type: 'EmailAttachmentsPurged',
      data: {
        purgedAt: formatInstant(nowMs),
        sha256: [...new Set(attachments.map((a) => a.sha256))],
        retentionMs: data.retentionMs,
      },
    },
  ];
}

/** A wall-clock sendAt in the email's zone, as the instant it means there; anything else as it came. */
function inZone(value: string | undefined, timeZone: string | undefined): string | undefined {
  if (timeZone === undefined || !isLocalDateTime(value)) return value;
  return resolveLocalTime(value, timeZone) ?? value;
}

function sendAtReason(reason: string, value: unknown, timeZone: unknown): string {
  return timeZone === undefined && isLocalDateTime(value)
    ? 'has no offset: add one (Z or ±hh:mm), or give timeZone to mean that wall-clock time there'
    : reason;
}

type ExpiresAtResolution =
  | { readonly ok: true; readonly expiresAt: string | undefined }
  | { readonly ok: false; readonly reason: string };

function resolveExpiresAt(
  value: unknown,
  timeZone: string | undefined,
  nowMs: number,
  sendAt: string | undefined,
): ExpiresAtResolution {
  if (value === undefined) return { ok: true, expiresAt: undefined };
  const instant = typeof value === 'string' ? inZone(value, timeZone) : undefined;
  const expiresMs = instant === undefined ? undefined : parseInstant(instant);
  if (expiresMs === undefined) {
    return {
      ok: false,
      reason:
        'must be an ISO-8601 date-time with a timezone (Z or ±hh:mm), or a wall-clock time with timeZone',
    };
  }
  if (expiresMs <= nowMs) return { ok: false, reason: 'must be in the future' };
  if (sendAt !== undefined && expiresMs <= requireInstant(sendAt, 'sendAt')) {
    return { ok: false, reason: 'must be after sendAt' };
  }
  return { ok: true, expiresAt: formatInstant(expiresMs) };
}

/** The EmailDeferred a closed window makes, when the gate says so. */
function windowDeferral(gate: ReturnType<typeof sendGate>, nowMs: number): readonly EmailEvent[] {
  if (gate.kind !== 'window') return [];
  return [
    {
      type: 'EmailDeferred',
      data: {
        until: formatInstant(gate.untilMs),
        limit: 'delivery-window',
        deferredAt: formatInstant(nowMs),
      },
    },
  ];
}

/**
 * What follows an event that makes the email due at `dueAtMs`: nothing when an attempt may start then, a
 * window deferral when its window is closed, the expiry when that chance is past its deadline.
 */
function afterDue(
  email: EmailDetails,
  dueAtMs: number,
  nowMs: number,
  cause: ExpiryReason,
): readonly EmailEvent[] {
  // A deadline already passed is the reason, whatever the next chance would have been.
  const passed = sendGate(email, nowMs);
  if (passed.kind === 'expire' && passed.nextChanceMs === undefined) {
    return [expired(email, nowMs, 'deadline-passed', undefined)];
  }
  const gate = sendGate(email, dueAtMs, cause);
  if (gate.kind !== 'expire') return windowDeferral(gate, nowMs);
  return [expired(email, nowMs, gate.reason, gate.nextChanceMs)];
}

function expired(
  email: EmailDetails,
  nowMs: number,
  reason: ExpiryReason,
  nextChanceMs: number | undefined,
): EmailEvent {
  return {
    type: 'EmailExpired',
    data: {
      expiredAt: formatInstant(nowMs),
      expiresAt: email.expiresAt ?? formatInstant(nowMs),
      reason,
      ...optional(
        'nextChanceAt',
        nextChanceMs === undefined ? undefined : formatInstant(nextChanceMs),
      ),
    },
  };
}

function rescheduleEmail(
  { data }: RescheduleEmail,
  state: EmailState,
  rules: DomainRules,
): readonly EmailEvent[] {
  const current = requireScheduled(state, 'reschedule');
  const nowMs = requireInstant(data.now, 'now');
  // An offset-less time is wall-clock in the zone given now, else in the zone the email was scheduled in.
  const timeZone =
    data.timeZone === undefined ? current.email.timeZone : canonicalTimeZone(data.timeZone);
  if (data.timeZone !== undefined && timeZone === undefined) {
    throw new ValidationError([
      { field: 'timeZone', reason: 'must be an IANA time zone name such as Europe/Paris' },
    ]);
  }
  const sendAt =
    data.sendAt === undefined
      ? { ok: false as const, reason: 'is required' }
      : resolveSendAt(inZone(data.sendAt, timeZone), nowMs, rules.horizonMs);
  if (!sendAt.ok) {
    throw new ValidationError([
      { field: 'sendAt', reason: sendAtReason(sendAt.reason, data.sendAt, timeZone) },
    ]);
  }
  const sendAtMs = requireInstant(sendAt.sendAt, 'sendAt');
  const gate = sendGate(current.email, sendAtMs);
  if (gate.kind === 'expire') {
    throw new ValidationError([
      {
        field: 'sendAt',
        reason:
          gate.nextChanceMs === undefined
            ? `must be before the email's expiresAt (${current.email.expiresAt ?? ''})`
            : `the delivery window next opens at ${formatInstant(gate.nextChanceMs)}, after the email's expiresAt`,
      },
    ]);
  }
  return [
    {
      type: 'EmailRescheduled',
      data: {
        sendAt: sendAt.sendAt,
        previousSendAt: current.dueAt,
        rescheduledAt: formatInstant(nowMs),
        ...(timeZone !== undefined && isLocalDateTime(data.sendAt)
          ? { timeZone, localSendAt: data.sendAt }
          : {}),
      },
    },
    ...windowDeferral(gate, nowMs),
  ];
}

function cancelEmail({ data }: CancelEmail, state: EmailState): readonly EmailEvent[] {
  if (state.status !== 'paused') requireScheduled(state, 'cancel');
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
  // The deadline and the window are the guard's too: a worker that misjudged them still cannot claim.
  const gate = sendGate(current.email, nowMs);
  if (gate.kind === 'expire') {
    throw new IllegalStateError('scheduled', 'cannot claim a send attempt: the email has expired');
  }
  if (gate.kind === 'window') {
    throw new IllegalStateError(
      'scheduled',
      `cannot claim a send attempt: its delivery window is closed until ${formatInstant(gate.untilMs)}`,
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
  if (outcome.final) return [{ type: 'EmailFailed', data: outcome }];
  const retryAtMs = requireInstant(outcome.retryAt, 'retryAt');
  return [
    { type: 'EmailFailed', data: outcome },
    ...afterDue(current.email, retryAtMs, nowMs, 'retry-after-deadline'),
  ];
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
  const cause: ExpiryReason =
    data.limit === 'delivery-window' ? 'window-after-deadline' : 'rate-limit-after-deadline';
  const gate = sendGate(current.email, untilMs, cause);
  if (gate.kind === 'expire')
    return [expired(current.email, nowMs, gate.reason, gate.nextChanceMs)];
  return [
    {
      type: 'EmailDeferred',
      data: { until: formatInstant(untilMs), limit: data.limit, deferredAt: formatInstant(nowMs) },
    },
    // A rate limit's slot in a closed window: on to the window's opening, where the next job asks again.
    ...windowDeferral(gate, nowMs),
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
  if (decision.resolution !== 'resend') {
    return [
      {
        type: 'EmailSendInDoubt',
        data: { ...base, resolution: 'fail', reason: decision.reason },
      },
    ];
  }
  return [
    { type: 'EmailSendInDoubt', data: { ...base, resolution: 'resend', retryAt: detectedAt } },
    ...afterDue(current.email, nowMs, nowMs, 'deadline-passed'),
  ];
}

function pauseEmail({ data }: PauseEmail, state: EmailState): readonly EmailEvent[] {
  const current = requireScheduled(state, 'pause');
  const nowMs = requireInstant(data.now, 'now');
  return [
    {
      type: 'EmailPaused',
      data: {
        pausedAt: formatInstant(nowMs),
        ...optional('reason', reasonText(data.reason)),
        ...optional('batchId', data.batchId),
        ...optional('expiresAt', current.email.expiresAt),
      },
    },
  ];
}

function resumeEmail({ data }: ResumeEmail, state: EmailState): readonly EmailEvent[] {
  const current = requirePaused(state, 'resume');
  const nowMs = requireInstant(data.now, 'now');
  // A due time that passed while paused means "now": the email was held, not forgotten.
  const dueAtMs = Math.max(nowMs, requireInstant(current.dueAt, 'dueAt'));
  return [
    {
      type: 'EmailResumed',
      data: {
        resumedAt: formatInstant(nowMs),
        dueAt: formatInstant(dueAtMs),
        ...optional('batchId', data.batchId),
      },
    },
    ...afterDue(current.email, dueAtMs, nowMs, 'deadline-passed'),
  ];
}

function expireEmail({ data }: ExpireEmail, state: EmailState): readonly EmailEvent[] {
  const current = state.status === 'paused' ? state : requireScheduled(state, 'expire');
  const nowMs = requireInstant(data.now, 'now');
  const gate = sendGate(current.email, nowMs);
  if (gate.kind !== 'expire') {
    throw new IllegalStateError(
      current.status,
      `cannot expire: the deadline ${current.email.expiresAt ?? '(none)'} has not passed`,
    );
  }
  // Also before the deadline when the window's next opening is at or after it: the email can never go.
  return [expired(current.email, nowMs, gate.reason, gate.nextChanceMs)];
}

function retryEmail({ data }: RetryEmail, state: EmailState): readonly EmailEvent[] {
  const current = requireFailed(state);
  const nowMs = requireInstant(data.now, 'now');
  // Its last attempt may have reached the recipient: only its owner, knowingly, may risk a second copy (and
  // never a batch or a filter, which cannot tell these emails from the others).
  const inDoubt = current.lastError.kind === 'in-doubt';
  if (inDoubt && data.resendInDoubt !== true) {
    throw new IllegalStateError(
      'failed',
      'cannot retry: its last attempt may have reached the recipient (its outcome is in doubt); retry it on its own with resendInDoubt: true to accept a possible duplicate',
    );
  }
  const gate = sendGate(current.email, nowMs);
  if (gate.kind === 'expire') {
    throw new IllegalStateError(
      'failed',
      `cannot retry: the email's deadline ${current.email.expiresAt ?? ''} has passed`,
    );
  }
  // Its files are gone: a retry would fail at the relay's door. Schedule it again with them instead.
  if (current.email.attachmentsPurgedAt !== undefined) {
    throw new IllegalStateError(
      'failed',
      `cannot retry: its attachments were purged at ${current.email.attachmentsPurgedAt} (the retention after it failed); schedule it again with them`,
    );
  }
  return [
    {
      type: 'EmailRetryRequested',
      data: {
        requestedAt: formatInstant(nowMs),
        dueAt: formatInstant(nowMs),
        previousAttempts: current.attemptsMade,
        ...optional('reason', reasonText(data.reason)),
        ...(inDoubt ? { resendInDoubt: true as const } : {}),
      },
    },
    ...windowDeferral(gate, nowMs),
  ];
}

/** An owner's free-text reason (pause, retry), bounded like a cancel's. */
function reasonText(reason: unknown): string | undefined {
  if (reason === undefined || reason === '') return undefined;
  if (typeof reason !== 'string') {
    throw new ValidationError([{ field: 'reason', reason: 'must be a string' }]);
  }
  if (reason.length > MAX_CANCEL_REASON_LENGTH) {
    throw new ValidationError([
      { field: 'reason', reason: `must be at most ${MAX_CANCEL_REASON_LENGTH} characters` },
    ]);
  }
  return reason;
}

// Why each status refuses a command that needs another one; the text reaches the API's 409 as is.
const TOO_LATE: { readonly [Status in Exclude<EmailStatus, 'initial'>]: string } = {
  scheduled: 'no send attempt is in progress',
  attempting: 'the email is already being sent',
  sent: 'the email has already been sent',
  failed: 'the email has already failed',
  cancelled: 'the email has been cancelled',
  paused: 'the email is paused',
  expired: 'the email has expired',
};

function requireScheduled(state: EmailState, action: string): ScheduledState {
  if (state.status === 'scheduled') return state;
  if (state.status === 'initial') throw new NotFoundError();
  throw new IllegalStateError(state.status, `cannot ${action}: ${TOO_LATE[state.status]}`);
}

function requirePaused(state: EmailState, action: string): PausedState {
  if (state.status === 'paused') return state;
  if (state.status === 'initial') throw new NotFoundError();
  if (state.status === 'scheduled') {
    throw new IllegalStateError(state.status, `cannot ${action}: the email is not paused`);
  }
  throw new IllegalStateError(state.status, `cannot ${action}: ${TOO_LATE[state.status]}`);
}

function requireFailed(state: EmailState): FailedState {
  if (state.status === 'failed') return state;
  if (state.status === 'initial') throw new NotFoundError();
  const why =
    state.status === 'sent' || state.status === 'cancelled' || state.status === 'expired'
      ? TOO_LATE[state.status]
      : 'only a failed email can be retried';
  throw new IllegalStateError(state.status, `cannot retry: ${why}`);
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
