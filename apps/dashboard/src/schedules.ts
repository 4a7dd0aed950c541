// The Schedules pages without the api: the create form's request, which actions a schedule's status allows,
// its history in words.

import { formatInstant, splitAddresses, splitTags } from './format';
import type { CatchUpPolicy, CreateScheduleRequest, HistoryEvent } from './types';
import type { TimelineEntry } from './timeline';
import {
  type WindowDraft,
  browserTimeZone,
  resolveWallClock,
  wallClockIn,
  windowRequest,
} from './zones';

/** The create form's fields, as typed; `startAt` and `until` are wall-clock times in `timeZone`. */
export interface ScheduleDraft {
  readonly ruleKind: 'rrule' | 'cron';
  readonly rule: string;
  readonly timeZone: string;
  readonly startAt: string;
  readonly until: string;
  readonly catchUp: CatchUpPolicy;
  readonly from: string;
  readonly to: string;
  readonly cc: string;
  readonly bcc: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly tags: string;
  readonly maxAttempts: string;
  /** ISO-8601 duration, e.g. PT2H. */
  readonly expiresAfter: string;
}

export function blankSchedule(nowMs: number): ScheduleDraft {
  const timeZone = browserTimeZone();
  return {
    ruleKind: 'rrule',
    rule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0',
    timeZone,
    // The next whole hour.
    startAt: wallClockIn(Math.ceil(nowMs / 3_600_000) * 3_600_000, timeZone),
    until: '',
    catchUp: 'skip',
    from: '',
    to: '',
    cc: '',
    bcc: '',
    subject: '',
    text: '',
    html: '',
    tags: '',
    maxAttempts: '',
    expiresAfter: '',
  };
}

function optionalText(value: string): string | undefined {
  return value.trim() === '' ? undefined : value.trim();
}

function addresses(value: string): string[] | undefined {
  return value.trim() === '' ? undefined : splitAddresses(value);
}

/**
 * The body of `POST /v1/schedules`: the rule under its kind's name, `startAt` as the wall-clock time typed
 * (the api resolves it in `timeZone`), `until` as the instant it means there (undefined while it is no date:
 * the api then names the field). Empty optional fields are left out.
 */
export function scheduleCreateRequest(
  draft: ScheduleDraft,
  window: WindowDraft,
): CreateScheduleRequest & Record<string, unknown> {
  const until =
    draft.until === '' ? undefined : (resolveWallClock(draft.until, draft.timeZone) ?? draft.until);
  return {
    [draft.ruleKind]: draft.rule.trim(),
    timeZone: draft.timeZone,
    startAt: draft.startAt,
    until,
    catchUp: draft.catchUp,
    email: {
      from: draft.from.trim(),
      to: addresses(draft.to) ?? [],
      cc: addresses(draft.cc),
      bcc: addresses(draft.bcc),
      subject: draft.subject,
      text: draft.text === '' ? undefined : draft.text,
      html: draft.html === '' ? undefined : draft.html,
      tags: splitTags(draft.tags),
      maxAttempts: draft.maxAttempts === '' ? undefined : Number(draft.maxAttempts),
      deliveryWindow: windowRequest(window, draft.timeZone),
      expiresAfter: optionalText(draft.expiresAfter),
    },
  };
}

/** The actions a schedule's status allows (the api answers 409 to any other). */
export function scheduleActions(status: string): readonly ('pause' | 'resume' | 'delete')[] {
  if (status === 'active') return ['pause', 'delete'];
  if (status === 'paused') return ['resume', 'delete'];
  return [];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return typeof value === 'number' ? String(value) : undefined;
}

function instant(value: unknown, timeZone: string): string | undefined {
  return typeof value === 'string' ? formatInstant(value, timeZone) : undefined;
}

function facts(...pairs: (readonly [string, string | undefined])[]): (readonly [string, string])[] {
  return pairs.filter((pair): pair is readonly [string, string] => pair[1] !== undefined);
}

/** One entry of a schedule's history, instants in the schedule's zone; an unknown type by its name. */
export function describeScheduleEvent(event: HistoryEvent, timeZone: string): TimelineEntry {
  const d = event.data;
  const base = { revision: event.revision, recordedAt: event.recordedAt };
  switch (event.type) {
    case 'ScheduleCreated':
      return {
        ...base,
        title: 'Created',
        tone: 'neutral',
        facts: facts(['starts', instant(d.startAt, timeZone)], ['catch-up', text(d.catchUp)]),
      };
    case 'SchedulePaused':
      return { ...base, title: 'Paused', tone: 'warn', facts: [] };
    case 'ScheduleResumed':
      return { ...base, title: 'Resumed', tone: 'neutral', facts: [] };
    case 'ScheduleDeleted':
      return { ...base, title: 'Deleted', tone: 'bad', facts: [] };
    case 'OccurrenceScheduled':
      return {
        ...base,
        title: 'Occurrence created',
        tone: 'good',
        facts: facts(['occurrence', instant(d.occurrenceAt, timeZone)], ['email', text(d.emailId)]),
      };
    case 'OccurrencesSkipped':
      return {
        ...base,
        title: `${text(d.count) ?? 'Some'} occurrence(s) skipped`,
        tone: 'warn',
        facts: facts(
          ['why', text(d.reason)],
          ['from', instant(d.from, timeZone)],
          ['to', instant(d.to, timeZone)],
        ),
      };
    default:
      return {
        ...base,
        title: event.type,
        tone: 'neutral',
        facts: Object.entries(d).map(
          ([name, value]) => [name, text(value) ?? JSON.stringify(value)] as const,
        ),
      };
  }
}
