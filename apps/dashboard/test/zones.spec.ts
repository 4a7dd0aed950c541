import { WEEKDAYS as DOMAIN_WEEKDAYS, resolveLocalTime } from '@app/domain';
import {
  WEEKDAYS,
  defaultWindow,
  describeWindow,
  resolveWallClock,
  toggleDay,
  wallClockIn,
  windowRequest,
} from '../src/zones';

/** Every quarter hour from 00:00 to 04:45 of a day: the hours any 2027 transition of these zones falls in. */
function quarterHours(date: string): string[] {
  return Array.from({ length: 20 }, (_, i) => {
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `${date}T${pad(Math.floor(i / 4))}:${pad((i % 4) * 15)}`;
  });
}

describe('wall-clock times in a chosen zone', () => {
  it('follows the api’s DST rule: a skipped time moves forward, a repeated one is the earlier', () => {
    expect(resolveWallClock('2027-03-28T02:30', 'Europe/Paris')).toBe('2027-03-28T01:30:00.000Z');
    expect(resolveWallClock('2027-10-31T02:30', 'Europe/Paris')).toBe('2027-10-31T00:30:00.000Z');
  });

  it.each([
    ['Europe/Paris', ['2027-03-28', '2027-10-31']],
    ['America/New_York', ['2027-03-14', '2027-11-07']],
    ['Australia/Sydney', ['2027-04-04', '2027-10-03']],
    ['Australia/Lord_Howe', ['2027-04-04', '2027-10-03']],
    ['Asia/Kolkata', ['2027-03-28', '2027-10-31']],
  ])('previews the instant the api resolves, in %s around its 2027 transitions', (zone, dates) => {
    for (const local of dates.flatMap(quarterHours)) {
      const api = resolveLocalTime(local, zone);
      expect([local, resolveWallClock(local, zone)]).toEqual([
        local,
        api === undefined ? undefined : new Date(api).toISOString(),
      ]);
    }
  });

  it('refuses what is no date, as the api does', () => {
    for (const text of ['2027-02-30T09:00', '2027-13-01T09:00', '2027-01-01T24:00', '9:00', '']) {
      expect(resolveWallClock(text, 'Europe/Paris')).toBeUndefined();
    }
  });

  it('shows an instant as the wall-clock time of a zone', () => {
    expect(wallClockIn(Date.parse('2027-07-01T12:00:00Z'), 'Asia/Kolkata')).toBe(
      '2027-07-01T17:30:00',
    );
    expect(wallClockIn(Date.parse('2027-01-01T00:00:00Z'), 'America/New_York')).toBe(
      '2026-12-31T19:00:00',
    );
  });
});

describe('the delivery-window editor', () => {
  it('offers the days the api knows, in its order', () => {
    expect(WEEKDAYS).toEqual(DOMAIN_WEEKDAYS);
    expect(toggleDay(['fri', 'mon'], 'wed', true)).toEqual(['mon', 'wed', 'fri']);
    expect(toggleDay(['mon', 'wed'], 'mon', false)).toEqual(['wed']);
  });

  it('sends no window while off, and the email’s zone until another is picked', () => {
    expect(windowRequest(defaultWindow(), 'Europe/Paris')).toBeUndefined();
    const on = { ...defaultWindow(), enabled: true };
    expect(windowRequest(on, 'Europe/Paris')).toEqual({
      timeZone: 'Europe/Paris',
      days: ['mon', 'tue', 'wed', 'thu', 'fri'],
      start: '09:00',
      end: '17:30',
    });
    expect(windowRequest({ ...on, timeZone: 'Asia/Tokyo' }, 'Europe/Paris')?.timeZone).toBe(
      'Asia/Tokyo',
    );
  });

  it('says when a window crosses midnight', () => {
    expect(
      describeWindow({ timeZone: 'UTC', days: ['fri', 'sat'], start: '22:00', end: '06:00' }),
    ).toBe('fri sat 22:00–06:00 (next day) UTC');
    expect(
      describeWindow({ timeZone: 'Europe/Paris', days: ['mon'], start: '09:00', end: '17:30' }),
    ).toBe('mon 09:00–17:30 Europe/Paris');
  });
});
