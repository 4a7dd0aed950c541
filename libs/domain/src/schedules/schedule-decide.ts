// Decides what happens to a schedule, given a command and the state folded from its stream. Pure, as the
// email's decide: time comes in with the command, events come out, nothing is written here.

import { decide } from '../decide';
import { DEFAULT_RULES, type DomainRules } from '../domain-rules';
import {
  ForbiddenError,
  IllegalStateError,
  NotFoundError,
  ValidationError,
  type ValidationIssue,
} from '../domain-errors';
import type { ScheduleEmail } from '../email-commands';
import { initialState } from '../email-state';
import { formatInstant, requireInstant } from '../instant';
import { optional } from '../optional';
import { occurrencesAfter, parseRecurrence } from './occurrences';
import type {
  CreateSchedule,
  DeleteSchedule,
  PauseSchedule,
  RecordOccurrence,
  ResumeSchedule,
  ScheduleCommand,
  SkipOccurrences,
} from './schedule-commands';
import type { CatchUpPolicy, ScheduleEmailTemplate, ScheduleEvent } from './schedule-events';
import { DEFAULT_SCHEDULE_RULES, type ScheduleRules } from './schedule-rules';
import { recurrenceOf, type LiveScheduleState, type ScheduleState } from './schedule-state';

const CATCH_UP_POLICIES: readonly CatchUpPolicy[] = ['skip', 'all'];

export function decideSchedule(
  command: ScheduleCommand,
  state: ScheduleState,
  rules: ScheduleRules = DEFAULT_SCHEDULE_RULES,
  emailRules: DomainRules = DEFAULT_RULES,
): readonly ScheduleEvent[] {
  switch (command.type) {
    case 'CreateSchedule':
      return createSchedule(command, state, rules, emailRules);
    case 'PauseSchedule':
      return pauseSchedule(command, state);
    case 'ResumeSchedule':
      return resumeSchedule(command, state);
    case 'DeleteSchedule':
      return deleteSchedule(command, state);
    case 'RecordOccurrence':
      return recordOccurrence(command, state);
    case 'SkipOccurrences':
      return skipOccurrences(command, state, rules);
    default: {
      const unknownCommand: never = command;
      throw new TypeError(`unknown command ${JSON.stringify(unknownCommand)}`);
    }
  }
}

function createSchedule(
  { data }: CreateSchedule,
  state: ScheduleState,
  rules: ScheduleRules,
  emailRules: DomainRules,
): readonly ScheduleEvent[] {
  if (state.status !== 'initial') {
    throw new IllegalStateError(
      state.status,
      'cannot create: a schedule with this id already exists',
    );
  }
  const nowMs = requireInstant(data.now, 'now');
  const issues: ValidationIssue[] = [];
  const recurrence = parseRecurrence(data, rules.minIntervalMs, nowMs);
  if (!recurrence.ok) issues.push(...recurrence.issues);
  const catchUp = data.catchUp ?? 'skip';
  if (!CATCH_UP_POLICIES.includes(catchUp as CatchUpPolicy)) {
    issues.push({ field: 'catchUp', reason: "must be 'skip' or 'all'" });
  }
  const expiresAfterMs = parseDurationMs(data.email.expiresAfter);
  if (data.email.expiresAfter !== undefined && expiresAfterMs === undefined) {
    issues.push({
      field: 'email.expiresAfter',
      reason: 'must be a positive ISO-8601 duration in days, hours, minutes, seconds (e.g. PT2H)',
    });
  }
  // The email is checked by the email's own rules, as an occurrence due now: the same refusals (and the same
  // sender identity check) as a one-off email, named under `email.`.
  const template = emailTemplate(data, nowMs, expiresAfterMs, issues, emailRules);
  if (issues.length > 0 || !recurrence.ok || template === undefined) {
    throw new ValidationError(issues);
  }
  if (template instanceof ForbiddenError) throw template;
  return [
    {
      type: 'ScheduleCreated',
      data: {
        scheduleId: data.scheduleId,
        tenantId: data.tenantId,
        rule: recurrence.recurrence.rule,
        timeZone: recurrence.recurrence.timeZone,
        startAt: recurrence.recurrence.startAt,
        ...optional('localStartAt', recurrence.localStartAt),
        ...optional('until', recurrence.recurrence.until),
        catchUp: catchUp as CatchUpPolicy,
        email: template,
        senderIdentity: data.senderIdentity,
        createdAt: formatInstant(nowMs),
      },
    },
  ];
}

function emailTemplate(
  data: CreateSchedule['data'],
  nowMs: number,
  expiresAfterMs: number | undefined,
  issues: ValidationIssue[],
  emailRules: DomainRules,
): ScheduleEmailTemplate | ForbiddenError | undefined {
  const { expiresAfter, ...email } = data.email;
  let events;
  try {
    events = decide(
      {
        type: 'ScheduleEmail',
        data: {
          ...email,
          emailId: data.scheduleId,
          tenantId: data.tenantId,
          ...optional(
            'expiresAt',
            expiresAfterMs === undefined ? undefined : formatInstant(nowMs + expiresAfterMs),
          ),
          senderIdentity: data.senderIdentity,
          now: data.now,
        },
      },
      initialState,
      emailRules,
    );
  } catch (error) {
    if (error instanceof ValidationError) {
      issues.push(...error.issues.map((issue) => ({ ...issue, field: `email.${issue.field}` })));
      return undefined;
    }
    if (error instanceof ForbiddenError) {
      return new ForbiddenError({ ...error.issue, field: `email.${error.issue.field}` });
    }
    throw error;
  }
  const scheduled = events[0];
  if (scheduled?.type !== 'EmailScheduled') throw new TypeError('ScheduleEmail scheduled nothing');
  const e = scheduled.data;
  return {
    from: e.from,
    to: e.to,
    cc: e.cc,
    bcc: e.bcc,
    subject: e.subject,
    ...optional('text', e.text),
    ...optional('html', e.html),
    tags: e.tags,
    maxAttempts: e.maxAttempts,
    ...optional('deliveryWindow', e.deliveryWindow),
    ...optional('expiresAfter', expiresAfter as string | undefined),
  };
}

function pauseSchedule({ data }: PauseSchedule, state: ScheduleState): readonly ScheduleEvent[] {
  const live = requireLive(state, 'pause');
  if (live.status !== 'active') {
    throw new IllegalStateError(live.status, 'cannot pause: the schedule is already paused');
  }
  return [
    { type: 'SchedulePaused', data: { pausedAt: formatInstant(requireInstant(data.now, 'now')) } },
  ];
}

function resumeSchedule({ data }: ResumeSchedule, state: ScheduleState): readonly ScheduleEvent[] {
  const live = requireLive(state, 'resume');
  if (live.status !== 'paused') {
    throw new IllegalStateError(live.status, 'cannot resume: the schedule is not paused');
  }
  return [
    {
      type: 'ScheduleResumed',
      data: { resumedAt: formatInstant(requireInstant(data.now, 'now')) },
    },
  ];
}

function deleteSchedule({ data }: DeleteSchedule, state: ScheduleState): readonly ScheduleEvent[] {
  requireLive(state, 'delete');
  return [
    {
      type: 'ScheduleDeleted',
      data: { deletedAt: formatInstant(requireInstant(data.now, 'now')) },
    },
  ];
}

function recordOccurrence(
  { data }: RecordOccurrence,
  state: ScheduleState,
): readonly ScheduleEvent[] {
  const live = requireActive(state, 'record an occurrence');
  const nowMs = requireInstant(data.now, 'now');
  if (typeof data.emailId !== 'string' || data.emailId === '') {
    throw new TypeError('emailId must be a non-empty string');
  }
  const next = nextOccurrence(live);
  // Only the next one: recording another would leave a hole (or a double) in the sequence.
  if (next === undefined || formatInstant(next) !== data.occurrenceAt) {
    throw new IllegalStateError(
      'active',
      `cannot record occurrence ${data.occurrenceAt}: the next one is ${next === undefined ? 'none' : formatInstant(next)}`,
    );
  }
  return [
    {
      type: 'OccurrenceScheduled',
      data: {
        occurrenceAt: data.occurrenceAt,
        emailId: data.emailId,
        scheduledAt: formatInstant(nowMs),
      },
    },
  ];
}

function skipOccurrences(
  { data }: SkipOccurrences,
  state: ScheduleState,
  rules: ScheduleRules,
): readonly ScheduleEvent[] {
  const live = requireActive(state, 'skip occurrences');
  const nowMs = requireInstant(data.now, 'now');
  if (data.invalid !== undefined) {
    const next = nextOccurrence(live);
    if (next === undefined || formatInstant(next) !== data.invalid.occurrenceAt) return [];
    const at = formatInstant(next);
    return [
      {
        type: 'OccurrencesSkipped',
        data: {
          from: at,
          to: at,
          count: 1,
          reason: 'invalid',
          detail: data.invalid.detail,
          skippedAt: formatInstant(nowMs),
        },
      },
    ];
  }
  const skip = skipBound(live, nowMs, data.graceMs);
  if (skip === undefined) return [];
  const skipped = occurrencesAfter(
    recurrenceOf(live.schedule),
    requireInstant(live.cursor, 'cursor'),
    rules.maxSkipCount,
    skip.beforeMs,
  );
  const first = skipped[0];
  const last = skipped[skipped.length - 1];
  if (first === undefined || last === undefined) return [];
  return [
    {
      type: 'OccurrencesSkipped',
      data: {
        from: formatInstant(first),
        to: formatInstant(last),
        count: skipped.length,
        reason: skip.reason,
        skippedAt: formatInstant(nowMs),
      },
    },
  ];
}

/**
 * Occurrences before `beforeMs` are skipped: under catchUp 'skip' those more than the grace in the past, and
 * under either policy those whose email would already have expired.
 */
function skipBound(
  live: LiveScheduleState,
  nowMs: number,
  graceMs: number,
): { beforeMs: number; reason: 'catch-up skip' | 'expired' } | undefined {
  const missed = live.schedule.catchUp === 'skip' ? nowMs - graceMs : undefined;
  const expiresAfterMs = parseDurationMs(live.schedule.email.expiresAfter);
  const expired = expiresAfterMs === undefined ? undefined : nowMs - expiresAfterMs + 1;
  if (missed === undefined && expired === undefined) return undefined;
  if (expired === undefined || (missed !== undefined && missed >= expired)) {
    return { beforeMs: missed ?? 0, reason: 'catch-up skip' };
  }
  return { beforeMs: expired, reason: 'expired' };
}

/** The next occurrence still to come, as epoch ms; undefined when the rule has ended. */
export function nextOccurrence(live: LiveScheduleState): number | undefined {
  return occurrencesAfter(recurrenceOf(live.schedule), requireInstant(live.cursor, 'cursor'), 1)[0];
}

/** What the occurrence runner should do with a schedule now. */
export type OccurrenceStep =
  | { readonly kind: 'none' }
  | { readonly kind: 'wait'; readonly untilMs: number }
  | { readonly kind: 'skip' }
  | { readonly kind: 'create'; readonly occurrenceAt: string };

/**
 * The runner's next step: create the next occurrence once it is within `leadMs` of now, skip it (and any
 * others) when the policy or its expiry says so, wait for it, or nothing (inactive, or the rule has ended).
 */
export function occurrenceStep(
  state: ScheduleState,
  nowMs: number,
  leadMs: number,
  graceMs: number,
): OccurrenceStep {
  if (state.status !== 'active') return { kind: 'none' };
  const next = nextOccurrence(state);
  if (next === undefined) return { kind: 'none' };
  if (next > nowMs + leadMs) return { kind: 'wait', untilMs: next };
  const skip = skipBound(state, nowMs, graceMs);
  if (skip !== undefined && next < skip.beforeMs) return { kind: 'skip' };
  return { kind: 'create', occurrenceAt: formatInstant(next) };
}

/** The ScheduleEmail that makes an occurrence's email: the template, due at the occurrence. */
export function occurrenceEmail(
  schedule: LiveScheduleState['schedule'],
  occurrenceAt: string,
  emailId: string,
  now: string,
): ScheduleEmail {
  const { expiresAfter, ...email } = schedule.email;
  const expiresAfterMs = parseDurationMs(expiresAfter);
  return {
    type: 'ScheduleEmail',
    data: {
      ...email,
      emailId,
      tenantId: schedule.tenantId,
      sendAt: occurrenceAt,
      timeZone: schedule.timeZone,
      ...optional(
        'expiresAt',
        expiresAfterMs === undefined
          ? undefined
          : formatInstant(requireInstant(occurrenceAt, 'occurrenceAt') + expiresAfterMs),
      ),
      scheduleId: schedule.scheduleId,
      occurrenceAt,
      senderIdentity: schedule.senderIdentity,
      now,
    },
  };
}

const DURATION = /^P(?:(\d{1,5})D)?(?:T(?:(\d{1,6})H)?(?:(\d{1,8})M)?(?:(\d{1,10})S)?)?$/;

/** Milliseconds of an ISO-8601 duration of days, hours, minutes and seconds (no months: they vary). */
export function parseDurationMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = DURATION.exec(value);
  if (!match || value === 'P' || value.endsWith('T')) return undefined;
  const [, d = '0', h = '0', m = '0', s = '0'] = match;
  const ms = (((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60 + Number(s)) * 1000;
  return ms > 0 ? ms : undefined;
}

function requireLive(state: ScheduleState, action: string): LiveScheduleState {
  if (state.status === 'initial') throw new NotFoundError('no such schedule');
  if (state.status === 'deleted') {
    throw new IllegalStateError('deleted', `cannot ${action}: the schedule has been deleted`);
  }
  return state;
}

function requireActive(state: ScheduleState, action: string): LiveScheduleState {
  const live = requireLive(state, action);
  if (live.status !== 'active') {
    throw new IllegalStateError(live.status, `cannot ${action}: the schedule is ${live.status}`);
  }
  return live;
}
