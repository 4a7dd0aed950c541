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

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: performance.now() - started };
}

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
    expect(ms).toBeLessThan(300);
  });

  it('refuses a cron expression that never fires, quickly', () => {
    const { value, ms } = timed(() => refusedFields({ cron: '0 0 30 2 *' }));
    expect(value).toEqual(['cron']);
    expect(ms).toBeLessThan(300);
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
    expect(ms).toBeLessThan(100);
  });
});
