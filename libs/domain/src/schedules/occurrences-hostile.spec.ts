// Rules a client can send that rrule or cron-parser would walk for seconds or forever: each is refused quickly
// (400 naming the rule) or accepted and cheap to compute, whatever the schedule's age.

import { ValidationError } from '../domain-errors';
import type { CreateSchedule } from './schedule-commands';
import { decideSchedule } from './schedule-decide';
import { occurrencesAfter, parseRecurrence } from './occurrences';

const NOW = '2027-01-04T00:00:00.000Z'; // a Monday
const MINUTE = 60_000;

function create(
  rule: { rrule?: string; cron?: string },
  startAt = '2027-01-04T00:02',
): CreateSchedule {
  return {
    type: 'CreateSchedule',
    data: {
      scheduleId: '0190c0de-0000-7000-8000-0000000000bb',
      tenantId: 'tenant-acme',
      ...rule,
      timeZone: 'Europe/Paris',
      startAt,
      email: { from: 'news@acme.example', to: 'ann@example.com', subject: 'S', text: 'Hi' },
      senderIdentity: { kind: 'domains', domains: ['acme.example'] },
      now: NOW,
    },
  };
}

/** The refused fields, or [] when accepted; any other exception fails the test. */
function refusedFields(rule: { rrule?: string; cron?: string }, startAt?: string): string[] {
  try {
    decideSchedule(create(rule, startAt), { status: 'initial' });
    return [];
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((issue) => issue.field);
    throw error;
  }
}

/**
 * What a hostile rule costs is this process's CPU time, not wall time: on a loaded CI machine the scheduler
 * stretches wall time (one clean run saw a 10-year walk take over 300 ms of it), while a search without end
 * burns CPU whatever else runs.
 */
function timed<T>(run: () => T): { value: T; ms: number } {
  const started = process.cpuUsage();
  const value = run();
  const used = process.cpuUsage(started);
  return { value, ms: (used.user + used.system) / 1000 };
}

/** A create-time check walks at most SEARCH_YEARS of the rule: ~100–300 ms of CPU here, unloaded. */
const CHECK_CPU_MS = 1_000;
/** The next occurrences from a cursor are computed from it, never walked from startAt. */
const NEXT_CPU_MS = 250;

describe('hostile recurrence rules', () => {
  it.each([
    'FREQ=DAILY;INTERVAL=-1',
    'FREQ=DAILY;INTERVAL=0',
    'FREQ=DAILY;INTERVAL=1.5',
    'FREQ=DAILY;COUNT=0',
    'FREQ=SECONDLY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30',
    'FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31',
    'FREQ=HOURLY;INTERVAL=48;BYHOUR=1',
    'FREQ=MINUTELY;INTERVAL=120;BYMINUTE=30',
    'FREQ=DAILY;INTERVAL=7;BYDAY=TU',
    'FREQ=DAILY;BYDAY=XX',
    'FREQ=DAILY;BYSETPOS=400',
  ])('refuses %s quickly, naming rrule', (rrule) => {
    const { value, ms } = timed(() => refusedFields({ rrule }));
    expect(value).toEqual(['rrule']);
    expect(ms).toBeLessThan(CHECK_CPU_MS);
  });

  it('refuses a cron expression that never fires, quickly', () => {
    const { value, ms } = timed(() => refusedFields({ cron: '0 0 30 2 *' }));
    expect(value).toEqual(['cron']);
    expect(ms).toBeLessThan(CHECK_CPU_MS);
  });

  it('refuses a startAt more than a day before now, naming startAt', () => {
    expect(refusedFields({ rrule: 'FREQ=MINUTELY' }, '1900-01-01T00:00')).toEqual(['startAt']);
    expect(refusedFields({ rrule: 'FREQ=DAILY' }, '2027-01-03T09:00')).toEqual([]);
  });

  it('computes from the cursor, not from startAt, keeping the interval phase', () => {
    const parsed = parseRecurrence(
      {
        rrule: 'FREQ=MINUTELY;INTERVAL=7',
        timeZone: 'UTC',
        startAt: '2027-01-04T00:02',
      },
      MINUTE,
    );
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
    const cursor = Date.parse('2029-01-04T00:00:00Z'); // two years on: ~150,000 occurrences past
    const { value, ms } = timed(() => occurrencesAfter(parsed.recurrence, cursor, 3));
    const start = Date.parse('2027-01-04T00:02:00Z');
    expect(value).toHaveLength(3);
    for (const at of value) expect((at - start) % (7 * MINUTE)).toBe(0);
    expect((value[0] ?? 0) - cursor).toBeLessThanOrEqual(7 * MINUTE);
    expect(ms).toBeLessThan(NEXT_CPU_MS);
  });
});

/** A small seeded generator (mulberry32): the same rules on every run, so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RRULE_PARTS: Readonly<Record<string, readonly string[]>> = {
  FREQ: ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY', 'MINUTELY', 'SECONDLY', 'FOO', ''],
  INTERVAL: ['1', '2', '3', '7', '13', '48', '120', '0', '-1', '1.5', 'x', '99999999'],
  COUNT: ['1', '3', '1000', '0', '-2', 'many'],
  BYHOUR: ['0', '9', '23', '24', '-1', '1,13', '9,x'],
  BYMINUTE: ['0', '30', '59', '60', '0,15,30,45'],
  BYSECOND: ['0', '30', '61'],
  BYMONTH: ['1', '2', '4', '12', '13', '0', '2,4'],
  BYMONTHDAY: ['1', '15', '29', '30', '31', '-1', '0', '32', '30,31'],
  BYDAY: ['MO', 'TU,TH', '1MO', '-1FR', '5SU', 'XX', 'MO,SA,SU', '53MO'],
  BYYEARDAY: ['1', '60', '366', '-1', '0', '400'],
  BYWEEKNO: ['1', '53', '-1', '0', '60'],
  BYSETPOS: ['1', '-1', '2', '400', '0'],
  WKST: ['MO', 'SU', 'ZZ'],
};
const CRON_FIELDS = [
  '*',
  '0',
  '30',
  '*/5',
  '*/0',
  '1-5',
  '31',
  '2',
  '60',
  'L',
  '?',
  'MON',
  '5-1',
  '29',
  'x',
];

function garble(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const junk = ';=,-*/ 0123456789ABCZ'.charAt(Math.floor(next() * 21));
  return next() < 0.5
    ? text.slice(0, at) + junk + text.slice(at)
    : text.slice(0, at) + text.slice(at + 1);
}

function generatedRule(next: () => number): { rrule: string } | { cron: string } {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  if (next() < 0.7) {
    const parts = Object.entries(RRULE_PARTS)
      .filter(([name]) => name === 'FREQ' || next() < 0.3)
      .map(([name, values]) => `${name}=${pick(values)}`);
    const rrule = parts.join(';');
    return { rrule: next() < 0.2 ? garble(rrule, next) : rrule };
  }
  const fields = Array.from({ length: next() < 0.8 ? 5 : 6 }, () => pick(CRON_FIELDS));
  const cron = fields.join(' ');
  return { cron: next() < 0.2 ? garble(cron, next) : cron };
}

describe('generated rules', () => {
  it('are each refused naming the rule, or accepted with their next 5 occurrences computed quickly', () => {
    const next = random(18);
    let spent = 0;
    let accepted = 0;
    for (let i = 0; i < 600; i++) {
      const rule = generatedRule(next);
      const field = 'rrule' in rule ? 'rrule' : 'cron';
      const { value: refused, ms } = timed(() => refusedFields(rule));
      spent += ms;
      if (refused.length > 0) {
        expect({ rule, refused }).toEqual({ rule, refused: [field] });
      } else {
        accepted++;
        const parsed = parseRecurrence(
          { ...rule, timeZone: 'Europe/Paris', startAt: '2027-01-04T00:02' },
          MINUTE,
        );
        if (!parsed.ok) throw new Error(JSON.stringify({ rule, issues: parsed.issues }));
        const later = timed(() =>
          occurrencesAfter(parsed.recurrence, Date.parse('2029-06-01T00:00:00Z'), 5),
        );
        expect({ rule, ms: later.ms < NEXT_CPU_MS }).toEqual({ rule, ms: true });
      }
      expect({ rule, ms: ms < CHECK_CPU_MS }).toEqual({ rule, ms: true });
    }
    expect(accepted).toBeGreaterThan(20);
    expect(spent).toBeLessThan(10_000);
  });
});
