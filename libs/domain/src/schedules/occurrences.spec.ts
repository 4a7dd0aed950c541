// Occurrences are wall-clock times in the schedule's zone, resolved by the domain's one DST rule.

import { occurrencesAfter, parseRecurrence, type Recurrence } from './occurrences';

const MINUTE = 60_000;

function recurrence(
  input: Parameters<typeof parseRecurrence>[0],
  minIntervalMs = MINUTE,
): Recurrence {
  const parsed = parseRecurrence(input, minIntervalMs);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.recurrence;
}

function iso(instants: readonly number[]): string[] {
  return instants.map((ms) => new Date(ms).toISOString());
}

describe('occurrencesAfter', () => {
  it('keeps a weekly 09:00 Europe/Paris at 09:00 local across both 2027 DST changes', () => {
    const weekly = recurrence({
      rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0',
      timeZone: 'Europe/Paris',
      startAt: '2027-03-15T00:00',
    });
    expect(iso(occurrencesAfter(weekly, 0, 3))).toEqual([
      '2027-03-15T08:00:00.000Z', // CET, +01:00
      '2027-03-22T08:00:00.000Z',
      '2027-03-29T07:00:00.000Z', // CEST after 2027-03-28, still 09:00 on the clock
    ]);
    expect(iso(occurrencesAfter(weekly, Date.parse('2027-10-20T00:00Z'), 2))).toEqual([
      '2027-10-25T07:00:00.000Z', // the change is on 2027-10-31: Monday 25 is still CEST
      '2027-11-01T08:00:00.000Z', // CET again
    ]);
  });

  it('moves a 02:30 daily occurrence forward by the gap on the gap day, then back to 02:30', () => {
    const daily = recurrence({
      rrule: 'FREQ=DAILY',
      timeZone: 'Europe/Paris',
      startAt: '2027-03-27T02:30',
    });
    expect(iso(occurrencesAfter(daily, 0, 3))).toEqual([
      '2027-03-27T01:30:00.000Z', // 02:30 CET
      '2027-03-28T01:30:00.000Z', // 02:30 does not exist: 03:30 CEST
      '2027-03-29T00:30:00.000Z', // 02:30 CEST
    ]);
  });

  it('takes the earlier instant of a time the fall-back overlap repeats', () => {
    const daily = recurrence({
      cron: '30 2 * * *',
      timeZone: 'Europe/Paris',
      startAt: '2027-10-31T00:00',
    });
    expect(iso(occurrencesAfter(daily, 0, 1))).toEqual(['2027-10-31T00:30:00.000Z']); // 02:30 CEST
  });

  it('creates once an occurrence the gap moves onto the instant of another, in instant order', () => {
    const halfHourly = recurrence({
      cron: '*/30 2-3 * * *',
      timeZone: 'Europe/Paris',
      startAt: '2027-03-28T00:00',
    });
    // 02:00 → 03:00 CEST and 02:30 → 03:30 CEST, the same instants as 03:00 and 03:30 themselves.
    expect(iso(occurrencesAfter(halfHourly, 0, 3))).toEqual([
      '2027-03-28T01:00:00.000Z',
      '2027-03-28T01:30:00.000Z',
      '2027-03-29T00:00:00.000Z',
    ]);
  });

  it('reads 5-field cron as minutes and 6-field cron with seconds first', () => {
    const five = recurrence({
      cron: '0 9 * * 1-5',
      timeZone: 'America/New_York',
      startAt: '2027-03-12T00:00',
    });
    expect(iso(occurrencesAfter(five, 0, 2))).toEqual([
      '2027-03-12T14:00:00.000Z', // Friday, EST
      '2027-03-15T13:00:00.000Z', // Monday, EDT after 2027-03-14
    ]);
    const six = recurrence(
      { cron: '*/15 * * * * *', timeZone: 'Asia/Kolkata', startAt: '2027-01-01T00:00' },
      1_000,
    );
    expect(iso(occurrencesAfter(six, 0, 3))).toEqual([
      '2026-12-31T18:30:00.000Z',
      '2026-12-31T18:30:15.000Z',
      '2026-12-31T18:30:30.000Z',
    ]);
  });

  it('ends at until, inclusive', () => {
    const daily = recurrence({
      rrule: 'FREQ=DAILY;BYHOUR=9;BYMINUTE=0',
      timeZone: 'Australia/Sydney', // AEDT (+11:00) until 2027-04-04
      startAt: '2027-04-01T00:00',
      until: '2027-04-03T09:00',
    });
    expect(iso(occurrencesAfter(daily, 0, 10))).toEqual([
      '2027-03-31T22:00:00.000Z', // AEDT
      '2027-04-01T22:00:00.000Z',
      '2027-04-02T22:00:00.000Z', // until 09:00 on the 3rd, itself an occurrence
    ]);
  });

  it('answers only occurrences strictly after the cursor and before the bound', () => {
    const hourly = recurrence({ cron: '0 * * * *', timeZone: 'UTC', startAt: '2027-01-01T00:00' });
    const after = Date.parse('2027-01-01T01:00:00Z');
    expect(iso(occurrencesAfter(hourly, after, 5, Date.parse('2027-01-01T04:00:00Z')))).toEqual([
      '2027-01-01T02:00:00.000Z',
      '2027-01-01T03:00:00.000Z',
    ]);
  });
});

describe('parseRecurrence refusals name the field', () => {
  const base = { timeZone: 'Europe/Paris', startAt: '2027-01-01T09:00' };
  it.each([
    [{ ...base, rrule: 'FREQ=NEVER' }, 'rrule'],
    [{ ...base, rrule: 'BYHOUR=9' }, 'rrule'],
    [{ ...base, rrule: 'FREQ=DAILY;DTSTART=20270101T000000Z' }, 'rrule'],
    [{ ...base, rrule: 'FREQ=DAILY', cron: '0 9 * * *' }, 'rrule'],
    [{ ...base }, 'rrule'],
    [{ ...base, cron: '0 9 * *' }, 'cron'],
    [{ ...base, cron: '61 9 * * *' }, 'cron'],
    [{ ...base, cron: '@daily' }, 'cron'],
    [{ ...base, cron: '* * * * *', timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ ...base, cron: '0 9 * * *', timeZone: '+02:00' }, 'timeZone'],
    [{ ...base, cron: '0 9 * * *', startAt: '2027-02-30T09:00' }, 'startAt'],
    [{ ...base, cron: '0 9 * * *', startAt: 'tomorrow' }, 'startAt'],
    [{ ...base, cron: '0 9 * * *', until: '2026-01-01T00:00' }, 'until'],
    [
      { ...base, startAt: '2027-01-01T09:01', cron: '0 9 * * *', until: '2027-01-01T10:00' },
      'cron',
    ],
  ])('%j → %s', (input, field) => {
    const parsed = parseRecurrence(input, MINUTE);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.issues.map((issue) => issue.field)).toContain(field);
  });

  it('refuses a rule firing more often than the minimum interval, which a deployment can lower', () => {
    const everySecond = { ...base, cron: '* * * * * *' };
    expect(parseRecurrence(everySecond, MINUTE)).toEqual({
      ok: false,
      issues: [{ field: 'cron', reason: 'fires more often than once every 60 s' }],
    });
    expect(parseRecurrence(everySecond, 1_000).ok).toBe(true);
    expect(parseRecurrence({ ...base, rrule: 'FREQ=SECONDLY;INTERVAL=30' }, MINUTE).ok).toBe(false);
  });
});
