// Send windows ("quiet hours" seen from the other side): an email may only start an attempt while its window
// is open. Computed in the window's own zone on wall-clock days, so a window keeps its local hours across DST
// (local-time.ts says how a start or end that falls in a gap or an overlap resolves).

import { Temporal } from '@js-temporal/polyfill';
import type { ValidationIssue } from '../domain-errors';
import type { DeliveryWindow, Weekday } from '../email-events';
import { canonicalTimeZone } from './local-time';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

const CLOCK_TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export type DeliveryWindowParse =
  | { readonly ok: true; readonly window: DeliveryWindow | undefined }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

/** Checks a window as the caller sent it; issues name `deliveryWindow.<field>`. */
export function parseDeliveryWindow(input: unknown, field = 'deliveryWindow'): DeliveryWindowParse {
  if (input === undefined || input === null) return { ok: true, window: undefined };
  if (typeof input !== 'object' || Array.isArray(input)) {
    return {
      ok: false,
      issues: [{ field, reason: 'must be an object {timeZone, days, start, end}' }],
    };
  }
  const raw = input as Record<string, unknown>;
  const issues: ValidationIssue[] = [];
  const unknown = Object.keys(raw).filter(
    (key) => !['timeZone', 'days', 'start', 'end'].includes(key),
  );
  for (const key of unknown)
    issues.push({ field: `${field}.${key}`, reason: 'is not a known field' });
  const timeZone = canonicalTimeZone(raw.timeZone);
  if (timeZone === undefined) {
    issues.push({
      field: `${field}.timeZone`,
      reason: 'must be an IANA time zone name such as Europe/Paris',
    });
  }
  const days = raw.days;
  const dayList = Array.isArray(days) ? days : [];
  if (!Array.isArray(days) || days.length === 0 || days.length > 7) {
    issues.push({
      field: `${field}.days`,
      reason: 'must be a list of 1 to 7 days: mon, tue, wed, thu, fri, sat, sun',
    });
  } else if (!dayList.every((day): day is Weekday => WEEKDAYS.includes(day as Weekday))) {
    issues.push({
      field: `${field}.days`,
      reason: 'must hold only mon, tue, wed, thu, fri, sat, sun',
    });
  } else if (new Set(dayList).size !== dayList.length) {
    issues.push({ field: `${field}.days`, reason: 'must not repeat a day' });
  }
  for (const key of ['start', 'end'] as const) {
    if (typeof raw[key] !== 'string' || !CLOCK_TIME.test(raw[key])) {
      issues.push({
        field: `${field}.${key}`,
        reason: 'must be a time of day HH:MM (00:00 to 23:59)',
      });
    }
  }
  if (issues.length === 0 && raw.start === raw.end) {
    issues.push({
      field: `${field}.end`,
      reason: 'must differ from start (a window open all day needs none)',
    });
  }
  if (issues.length > 0 || timeZone === undefined) return { ok: false, issues };
  const ordered = WEEKDAYS.filter((day) => dayList.includes(day));
  return {
    ok: true,
    window: { timeZone, days: ordered, start: raw.start as string, end: raw.end as string },
  };
}

/**
 * The earliest instant at or after `atMs` at which the window is open: `atMs` itself when it is open then.
 * A window that crosses midnight belongs to the day it opens on (fri 22:00–06:00 is open into Saturday
 * morning). Always found within eight days, since a valid window opens at least once a week.
 */
export function nextOpening(window: DeliveryWindow, atMs: number): number {
  const day = Temporal.Instant.fromEpochMilliseconds(atMs)
    .toZonedDateTimeISO(window.timeZone)
    .toPlainDate();
  const start = Temporal.PlainTime.from(window.start);
  const end = Temporal.PlainTime.from(window.end);
  const crossesMidnight = Temporal.PlainTime.compare(end, start) <= 0;
  let earliest = Number.POSITIVE_INFINITY;
  // From the day before (a window that opened yesterday evening may still be open) to eight days on.
  for (let offset = -1; offset <= 8; offset += 1) {
    const date = day.add({ days: offset });
    if (!window.days.includes(WEEKDAYS[date.dayOfWeek - 1] as Weekday)) continue;
    const openMs = instantOf(date, start, window.timeZone);
    const closeMs = instantOf(crossesMidnight ? date.add({ days: 1 }) : date, end, window.timeZone);
    // A spring gap can swallow a short window whole (02:30–03:00 opens at 03:30): no opening that day.
    if (openMs >= closeMs) continue;
    if (openMs <= atMs && atMs < closeMs) return atMs;
    if (openMs > atMs && openMs < earliest) earliest = openMs;
  }
  return earliest;
}

function instantOf(date: Temporal.PlainDate, time: Temporal.PlainTime, timeZone: string): number {
  return date.toPlainDateTime(time).toZonedDateTime(timeZone, { disambiguation: 'compatible' })
    .epochMilliseconds;
}
