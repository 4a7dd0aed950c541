// When a schedule's occurrences fall. Both rule kinds are evaluated on WALL-CLOCK time, as if the zone were UTC
// (a "floating" time): "every Monday at 09:00" is 09:00 on the clock of the schedule's zone whatever its
// offset that day. Each wall-clock occurrence then becomes an instant by resolveLocalTime, the one DST rule of
// the domain (rules/local-time.ts): a time in the spring-forward gap moves forward by the gap's length, a time
// the fall-back overlap repeats is the earlier instant. Two wall-clock occurrences the gap moves onto the same
// instant are one occurrence.

import { CronExpressionParser } from 'cron-parser';
import { RRule, type Options as RRuleOptions } from 'rrule';
import type { ValidationIssue } from '../domain-errors';
import { formatInstant, parseInstant } from '../instant';
import {
  canonicalTimeZone,
  isLocalDateTime,
  resolveLocalTime,
  wallClockAt,
} from '../rules/local-time';
import type { RecurrenceRule } from './schedule-events';
import { MIN_INTERVAL_SAMPLE } from './schedule-rules';

/** A validated recurrence: what the occurrences are computed from. */
export interface Recurrence {
  readonly rule: RecurrenceRule;
  readonly timeZone: string;
  readonly startAt: string;
  readonly until?: string;
}

/** The recurrence of a create request, or every field at fault. */
export type RecurrenceParse =
  | {
      readonly ok: true;
      readonly recurrence: Recurrence;
      /** The wall-clock start, when startAt was given as one. */
      readonly localStartAt: string | undefined;
    }
  | { readonly ok: false; readonly issues: readonly ValidationIssue[] };

export const MAX_RULE_LENGTH = 500;

/** How far before the create request's time startAt may be: the rule is walked from it. */
export const MAX_START_IN_PAST_MS = 24 * 60 * 60 * 1000;
/** A rule with no occurrence this far after startAt is refused (it would search for years on every call). */
const SEARCH_YEARS = 10;
const WEEKDAYS: readonly string[] = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;
const PERIOD_MS: Partial<Record<number, number>> = {
  [RRule.WEEKLY]: 7 * 24 * 60 * 60 * 1000,
  [RRule.DAILY]: 24 * 60 * 60 * 1000,
  [RRule.HOURLY]: 60 * 60 * 1000,
  [RRule.MINUTELY]: 60 * 1000,
};

/**
 * Wall-clock times just before the cursor's may still resolve after it when a spring-forward gap lies between
 * (02:30 in the gap resolves to 03:30): near a transition, the search starts this far back. Larger than any
 * zone's offset change.
 */
const TRANSITION_SLACK_MS = 3 * 60 * 60 * 1000;

/** Parses and checks a create request's rule, zone and bounds; `minIntervalMs` is ScheduleRules'. */
export function parseRecurrence(
  input: {
    readonly rrule?: unknown;
    readonly cron?: unknown;
    readonly timeZone: unknown;
    readonly startAt: unknown;
    readonly until?: unknown;
  },
  minIntervalMs: number,
  nowMs?: number,
): RecurrenceParse {
  const issues: ValidationIssue[] = [];
  const rule = parseRule(input.rrule, input.cron, issues);
  const timeZone = canonicalTimeZone(input.timeZone);
  if (timeZone === undefined) {
    issues.push({
      field: 'timeZone',
      reason: 'must be an IANA time zone name such as Europe/Paris',
    });
  }
  const startAt = timeZone === undefined ? undefined : instantIn(input.startAt, timeZone);
  if (timeZone !== undefined && startAt === undefined) {
    issues.push({
      field: 'startAt',
      reason:
        'must be a wall-clock time in timeZone (2027-01-04T09:00) or an ISO-8601 instant with an offset',
    });
  } else if (
    startAt !== undefined &&
    nowMs !== undefined &&
    startAt < nowMs - MAX_START_IN_PAST_MS
  ) {
    issues.push({ field: 'startAt', reason: 'must not be more than a day in the past' });
  }
  const until =
    input.until === undefined || timeZone === undefined
      ? undefined
      : instantIn(input.until, timeZone);
  if (input.until !== undefined && timeZone !== undefined) {
    if (until === undefined) {
      issues.push({
        field: 'until',
        reason: 'must be a wall-clock time in timeZone or an ISO-8601 instant with an offset',
      });
    } else if (startAt !== undefined && until <= startAt) {
      issues.push({ field: 'until', reason: 'must be after startAt' });
    }
  }
  if (issues.length > 0 || rule === undefined || timeZone === undefined || startAt === undefined) {
    return { ok: false, issues };
  }
  const recurrence: Recurrence = {
    rule,
    timeZone,
    startAt: formatInstant(startAt),
    ...(until === undefined ? {} : { until: formatInstant(until) }),
  };
  const field = 'rrule' in rule ? 'rrule' : 'cron';
  const unreachable =
    'rrule' in rule ? rruleReachProblem(rule.rrule, floating(startAt, timeZone)) : undefined;
  if (unreachable !== undefined) return { ok: false, issues: [{ field, reason: unreachable }] };
  // Within the search horizon: a yearly rule's 100 occurrences would be a century's walk.
  const sample = occurrencesAfter(
    recurrence,
    startAt - 1,
    MIN_INTERVAL_SAMPLE,
    startAt + SEARCH_YEARS * YEAR_MS,
  );
  if (sample.length === 0) {
    return {
      ok: false,
      issues: [{ field, reason: 'has no occurrence between startAt and until' }],
    };
  }
  for (let i = 1; i < sample.length; i++) {
    const gap = (sample[i] ?? 0) - (sample[i - 1] ?? 0);
    if (gap < minIntervalMs) {
      return {
        ok: false,
        issues: [{ field, reason: `fires more often than once every ${minIntervalMs / 1000} s` }],
      };
    }
  }
  return {
    ok: true,
    recurrence,
    localStartAt: isLocalDateTime(input.startAt) ? input.startAt : undefined,
  };
}

/**
 * Up to `count` occurrence instants (epoch ms) strictly after `afterMs`, ascending and distinct, within
 * [startAt, until]; with `beforeMs`, only those before it.
 */
export function occurrencesAfter(
  recurrence: Recurrence,
  afterMs: number,
  count: number,
  beforeMs = Number.POSITIVE_INFINITY,
): number[] {
  const startMs = instant(recurrence.startAt);
  const untilMs =
    recurrence.until === undefined ? Number.POSITIVE_INFINITY : instant(recurrence.until);
  const found: number[] = [];
  if (count <= 0) return found;
  const { timeZone } = recurrence;
  const nearTransition =
    offsetMs(afterMs - TRANSITION_SLACK_MS, timeZone) !==
    offsetMs(afterMs + TRANSITION_SLACK_MS, timeZone);
  const fromWall = Math.max(
    floating(startMs, timeZone),
    floating(afterMs, timeZone) - (nearTransition ? TRANSITION_SLACK_MS : 0),
  );
  const untilWall =
    untilMs === Number.POSITIVE_INFINITY
      ? untilMs
      : floating(untilMs, timeZone) + TRANSITION_SLACK_MS;
  // Resolved but not yet final, by instant. A time in a gap resolves to the instant of a later wall-clock
  // time (02:30 → that of 03:30), so it is final only once the rule has reached that wall-clock time; any
  // other time is final at once (later wall-clock times never resolve before it).
  const pending: { at: number; finalAtWall: number }[] = [];
  let done = false;
  const emit = (at: number): void => {
    if (at >= beforeMs || at > untilMs) {
      done = true;
      return;
    }
    const last = found[found.length - 1];
    if (at > afterMs && at >= startMs && (last === undefined || at > last)) found.push(at);
    if (found.length >= count) done = true;
  };
  visitWallClock(recurrence.rule, floating(startMs, timeZone), fromWall, (wall) => {
    if (wall > untilWall) return false;
    const at = resolveFloating(wall, timeZone);
    if (at === undefined) return true;
    pending.push({ at, finalAtWall: floating(at, timeZone) });
    pending.sort((x, y) => x.at - y.at);
    for (let head = pending[0]; !done && head && wall >= head.finalAtWall; head = pending[0]) {
      pending.shift();
      emit(head.at);
    }
    return !done;
  });
  for (const { at } of pending) if (!done) emit(at);
  return found;
}

/** The wall-clock time of an instant in a zone, as epoch ms of the same clock reading in UTC. */
function floating(epochMs: number, timeZone: string): number {
  return epochMs + offsetMs(epochMs, timeZone);
}

function offsetMs(epochMs: number, timeZone: string): number {
  return wallClockAt(epochMs, timeZone).offsetNanoseconds / 1_000_000;
}

function resolveFloating(wall: number, timeZone: string): number | undefined {
  const local = new Date(wall).toISOString().slice(0, 23);
  const resolved = resolveLocalTime(local, timeZone);
  return resolved === undefined ? undefined : parseInstant(resolved);
}

/**
 * Calls `visit` with each wall-clock occurrence at or after `fromWall`, in order, until it answers false or
 * the rule ends. `startWall` anchors the rule (RRULE's DTSTART: intervals count from it).
 */
function visitWallClock(
  rule: RecurrenceRule,
  startWall: number,
  fromWall: number,
  visit: (wall: number) => boolean,
): void {
  if ('rrule' in rule) {
    const options = RRule.parseString(rule.rrule);
    const compiled = new RRule({
      ...options,
      dtstart: new Date(phaseStart(options, startWall, fromWall)),
    });
    compiled.all((date) => {
      const wall = date.getTime();
      return wall < fromWall ? true : visit(wall);
    });
    return;
  }
  const expression = CronExpressionParser.parse(rule.cron, {
    currentDate: new Date(Math.max(startWall, fromWall) - 1),
    tz: 'UTC',
  });
  while (expression.hasNext()) {
    if (!visit(expression.next().toDate().getTime())) return;
  }
}

/**
 * DTSTART moved forward by whole periods of FREQ×INTERVAL to the last one at or before `fromWall`: rrule walks
 * every period from DTSTART, so without this each call would walk the schedule's whole past. Exact: the same
 * periods remain, and the defaults DTSTART gives (time of day, weekday) are kept by whole days and weeks.
 * COUNT counts from DTSTART, and months and years are not of fixed length: those are walked from startAt.
 */
function phaseStart(options: Partial<RRuleOptions>, startWall: number, fromWall: number): number {
  const period = options.freq === undefined ? undefined : PERIOD_MS[options.freq];
  if (period === undefined || options.count != null || fromWall <= startWall) return startWall;
  const step = period * (options.interval ?? 1);
  return startWall + Math.floor((fromWall - startWall) / step) * step;
}

/**
 * Rules rrule would search forever (it has no bound when hours or minutes never line up with the interval)
 * or for seconds (days no calendar has, walked to the year 9999) are refused here, before any walk.
 */
function rruleReachProblem(body: string, startWall: number): string | undefined {
  const options = RRule.parseString(body);
  const start = new Date(startWall);
  const interval = options.interval ?? 1;
  const hours = list(options.byhour) ?? range(24);
  const weekdays =
    options.byweekday == null
      ? null
      : (Array.isArray(options.byweekday) ? options.byweekday : [options.byweekday]).map((w) =>
          typeof w === 'number' ? w : typeof w === 'string' ? WEEKDAYS.indexOf(w) : w.weekday,
        );
  if (options.freq === RRule.HOURLY && !aligned(hours, start.getUTCHours(), interval, 24)) {
    return 'never fires: INTERVAL never reaches a BYHOUR hour';
  }
  if (options.freq === RRule.MINUTELY) {
    const times = hours.flatMap((h) =>
      (list(options.byminute) ?? range(60)).map((m) => h * 60 + m),
    );
    const from = start.getUTCHours() * 60 + start.getUTCMinutes();
    if (!aligned(times, from, interval, 24 * 60)) {
      return 'never fires: INTERVAL never reaches a BYHOUR/BYMINUTE time';
    }
  }
  if (options.freq === RRule.DAILY && weekdays !== null) {
    // rrule's weekdays count from Monday = 0; getUTCDay from Sunday = 0.
    if (!aligned(weekdays, (start.getUTCDay() + 6) % 7, interval, 7)) {
      return 'never fires: INTERVAL never reaches a BYDAY weekday';
    }
  }
  // The calendar filters alone, probed yearly (a few years a millisecond): a day no calendar has is refused.
  const days = new RRule({
    freq: RRule.YEARLY,
    dtstart: start,
    // In a yearly rule with BYMONTH, an n-th weekday counts within each month, as in a monthly one.
    bymonth:
      options.bymonth ?? (options.freq === RRule.MONTHLY ? range(12).map((m) => m + 1) : null),
    bymonthday: options.bymonthday ?? null,
    byyearday: options.byyearday ?? null,
    byweekno: options.byweekno ?? null,
    wkst: options.wkst ?? null,
    byweekday:
      options.freq === RRule.MONTHLY || options.freq === RRule.YEARLY
        ? (options.byweekday ?? null)
        : weekdays,
  }).all((_, i) => i < 1)[0];
  if (days === undefined || days.getTime() - startWall > SEARCH_YEARS * YEAR_MS) {
    return `has no occurrence within ${SEARCH_YEARS} years of startAt`;
  }
  return undefined;
}

function list(value: number | number[] | null | undefined): number[] | undefined {
  if (value === null || value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Whether from + k×interval (mod cycle) reaches one of `targets` for some k ≥ 0. */
function aligned(
  targets: readonly number[],
  from: number,
  interval: number,
  cycle: number,
): boolean {
  const step = gcd(interval, cycle);
  return targets.some((t) => (((t - from) % step) + step) % step === 0);
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

function parseRule(
  rrule: unknown,
  cron: unknown,
  issues: ValidationIssue[],
): RecurrenceRule | undefined {
  if ((rrule === undefined) === (cron === undefined)) {
    issues.push({ field: 'rrule', reason: 'give exactly one of rrule and cron' });
    return undefined;
  }
  if (rrule !== undefined) {
    const problem = rruleProblem(rrule);
    if (problem) issues.push({ field: 'rrule', reason: problem });
    return problem ? undefined : { rrule: (rrule as string).replace(/^RRULE:/i, '') };
  }
  const problem = cronProblem(cron);
  if (problem) issues.push({ field: 'cron', reason: problem });
  return problem ? undefined : { cron: (cron as string).trim() };
}

function rruleProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return 'must be a non-empty RRULE string';
  if (value.length > MAX_RULE_LENGTH) return `must be at most ${MAX_RULE_LENGTH} characters`;
  const body = value.replace(/^RRULE:/i, '');
  if (/[\r\n]/.test(body)) return 'must be one RRULE line';
  // The schedule's own fields say these, in its zone; inside the rule they would be read as UTC.
  if (/(^|;)\s*(DTSTART|TZID|UNTIL)\s*=/i.test(body)) {
    return 'must not contain DTSTART, TZID or UNTIL: use startAt, timeZone and until';
  }
  // rrule reads these with parseInt and loops forever on INTERVAL=0 or -1.
  for (const [, part, number] of body.matchAll(/(?:^|;)\s*(INTERVAL|COUNT)\s*=([^;]*)/gi)) {
    if (!/^\s*[1-9]\d{0,5}\s*$/.test(number ?? '')) {
      return `${(part ?? '').toUpperCase()} must be a whole number from 1 to 999999`;
    }
  }
  try {
    const options = RRule.parseString(body);
    if (options.freq === undefined) return 'must have a FREQ (e.g. FREQ=WEEKLY;BYDAY=MO)';
    // The shortest allowed interval is a minute: seconds-level rules only add ways for rrule to search forever.
    if (options.freq === RRule.SECONDLY) return 'must not be SECONDLY: use MINUTELY or coarser';
    // rrule checks none of these ranges, and an hour it never reaches is a search without end.
    for (const [part, values, min, max] of [
      ['BYHOUR', options.byhour, 0, 23],
      ['BYMINUTE', options.byminute, 0, 59],
      ['BYSECOND', options.bysecond, 0, 59],
      ['BYMONTH', options.bymonth, 1, 12],
      ['BYMONTHDAY', options.bymonthday, -31, 31],
      ['BYYEARDAY', options.byyearday, -366, 366],
      ['BYWEEKNO', options.byweekno, -53, 53],
    ] as const) {
      const bad = (list(values) ?? []).find(
        (v) => !Number.isInteger(v) || v < min || v > max || (v === 0 && min < 0),
      );
      if (bad !== undefined) return `${part} must be whole numbers from ${min} to ${max}`;
    }
    // BYSETPOS=n fires only in periods with n candidates: one that never has them is found by walking to the
    // year 9999. The first or the last (BYSETPOS=1 / -1, e.g. the last weekday of a month) is always there.
    if ((list(options.bysetpos) ?? []).some((p) => p !== 1 && p !== -1)) {
      return 'BYSETPOS may only be 1 or -1 (the first or last of each period)';
    }
    // A day step over the calendar (every 120 days on the 81st day of the year) may never land: walked to 9999.
    const calendar = [options.bymonthday, options.bymonth, options.byyearday, options.byweekno];
    const dayStep = options.freq !== RRule.MONTHLY && options.freq !== RRule.YEARLY;
    if (dayStep && (options.interval ?? 1) > 1 && calendar.some((f) => f != null)) {
      return 'INTERVAL must be 1 with BYMONTH, BYMONTHDAY, BYYEARDAY or BYWEEKNO below FREQ=MONTHLY';
    }
    // rrule 2.8.1 loops forever on these when DTSTART falls on a day the filter drops; the same rule reads
    // as FREQ=DAILY or WEEKLY with BYHOUR and BYMINUTE.
    const dayFilter = [
      options.byweekday,
      options.bymonthday,
      options.bymonth,
      options.byyearday,
      options.byweekno,
    ];
    if (
      options.freq === RRule.MINUTELY &&
      options.byhour != null &&
      dayFilter.some((f) => f != null)
    ) {
      return 'MINUTELY with BYHOUR and a day filter: use FREQ=DAILY or WEEKLY with BYHOUR and BYMINUTE';
    }
    // The n-th weekday of a month goes to 5 (of a year, 53); rrule searches to the year 9999 for a 6th.
    const nthMax = options.freq === RRule.YEARLY && options.bymonth == null ? 53 : 5;
    const weekdays = options.byweekday == null ? [] : [options.byweekday].flat();
    if (weekdays.some((w) => typeof w === 'object' && w !== null && Math.abs(w.n ?? 0) > nthMax)) {
      return `BYDAY's n-th weekday must be within -${nthMax}..${nthMax} here`;
    }
    // Building it checks what parsing lets through (BYDAY=XX, BYSETPOS=400).
    new RRule({ ...options, dtstart: new Date(0) });
  } catch (error) {
    return `is not a valid RRULE: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

function cronProblem(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '')
    return 'must be a non-empty cron expression';
  if (value.length > MAX_RULE_LENGTH) return `must be at most ${MAX_RULE_LENGTH} characters`;
  const fields = value.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    return 'must have 5 fields (minute hour day month weekday) or 6 (seconds first)';
  }
  try {
    CronExpressionParser.parse(value, { tz: 'UTC' });
  } catch (error) {
    return `is not a valid cron expression: ${error instanceof Error ? error.message : String(error)}`;
  }
  return undefined;
}

/** A wall-clock time in the zone, or an instant: as epoch ms. */
function instantIn(value: unknown, timeZone: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const resolved = isLocalDateTime(value) ? resolveLocalTime(value, timeZone) : value;
  return resolved === undefined ? undefined : parseInstant(resolved);
}

function instant(value: string): number {
  const ms = parseInstant(value);
  if (ms === undefined) throw new TypeError(`not an instant: ${value}`);
  return ms;
}
