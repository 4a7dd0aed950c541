// The one DST rule (local-time.ts), on the 2027 transitions of four zones: a wall-clock time in a gap moves
// forward by the gap's length; one in an overlap is the earlier of its two instants.

import {
  canonicalTimeZone,
  isLocalDateTime,
  MAX_TIME_ZONE_LENGTH,
  resolveLocalTime,
  wallClockAt,
} from './local-time';

describe('resolveLocalTime', () => {
  it.each([
    // Europe/Paris: 02:00 CET → 03:00 CEST on 28 March; 03:00 CEST → 02:00 CET on 31 October.
    ['Europe/Paris', 'before the gap', '2027-03-28T01:59', '2027-03-28T00:59:00.000Z'],
    [
      'Europe/Paris',
      'in the gap: +1 h, 03:30 CEST',
      '2027-03-28T02:30',
      '2027-03-28T01:30:00.000Z',
    ],
    ['Europe/Paris', 'just after the gap', '2027-03-28T03:00', '2027-03-28T01:00:00.000Z'],
    [
      'Europe/Paris',
      'in the overlap: the earlier, CEST',
      '2027-10-31T02:30',
      '2027-10-31T00:30:00.000Z',
    ],
    ['Europe/Paris', 'after the overlap, CET', '2027-10-31T03:00', '2027-10-31T02:00:00.000Z'],
    // America/New_York: 02:00 EST → 03:00 EDT on 14 March; 02:00 EDT → 01:00 EST on 7 November.
    ['America/New_York', 'in the gap: 03:30 EDT', '2027-03-14T02:30', '2027-03-14T07:30:00.000Z'],
    [
      'America/New_York',
      'in the overlap: the earlier, EDT',
      '2027-11-07T01:30',
      '2027-11-07T05:30:00.000Z',
    ],
    ['America/New_York', 'after the overlap, EST', '2027-11-07T02:00', '2027-11-07T07:00:00.000Z'],
    // Australia/Sydney (southern hemisphere): DST ends on 4 April (03:00 AEDT → 02:00 AEST), starts on
    // 3 October (02:00 AEST → 03:00 AEDT).
    [
      'Australia/Sydney',
      'in the overlap: the earlier, AEDT',
      '2027-04-04T02:30',
      '2027-04-03T15:30:00.000Z',
    ],
    ['Australia/Sydney', 'after the overlap, AEST', '2027-04-04T03:00', '2027-04-03T17:00:00.000Z'],
    ['Australia/Sydney', 'in the gap: 03:30 AEDT', '2027-10-03T02:30', '2027-10-02T16:30:00.000Z'],
    // Asia/Kolkata: +05:30 all year, so the European transition dates are ordinary there.
    ['Asia/Kolkata', 'on Paris’s gap date', '2027-03-28T02:30', '2027-03-27T21:00:00.000Z'],
    ['Asia/Kolkata', 'on Paris’s overlap date', '2027-10-31T02:30', '2027-10-30T21:00:00.000Z'],
    [
      'Asia/Kolkata',
      'with seconds and a fraction',
      '2027-07-01T09:00:05.250',
      '2027-07-01T03:30:05.250Z',
    ],
  ])('%s %s: %s → %s', (timeZone, _, local, instant) => {
    expect(resolveLocalTime(local, timeZone)).toBe(instant);
  });

  it('keeps the wall-clock hour on both sides of a transition (a gap has no 02:30)', () => {
    expect(wallClockAt(Date.parse('2027-03-28T01:30:00Z'), 'Europe/Paris').toString()).toBe(
      '2027-03-28T03:30:00+02:00[Europe/Paris]',
    );
    expect(wallClockAt(Date.parse('2027-10-31T00:30:00Z'), 'Europe/Paris').hour).toBe(2);
    expect(wallClockAt(Date.parse('2027-10-31T01:30:00Z'), 'Europe/Paris').hour).toBe(2);
  });

  it.each([
    ['an impossible date', '2027-02-29T10:00'],
    ['an hour 24', '2027-03-01T24:00'],
    ['an offset', '2027-03-01T10:00+01:00'],
    ['a Z', '2027-03-01T10:00Z'],
    ['a date alone', '2027-03-01'],
    ['free text', 'tomorrow 9am'],
  ])('resolves nothing from %s', (_, local) => {
    expect(resolveLocalTime(local, 'Europe/Paris')).toBeUndefined();
  });
});

describe('isLocalDateTime', () => {
  it.each([
    ['2027-03-28T02:30', true],
    ['2027-03-28T02:30:15', true],
    ['2027-03-28T02:30:15.123456789', true],
    ['2027-03-28T02:30Z', false],
    ['2027-03-28T02:30:00+02:00', false],
    ['2027-03-28 02:30', false],
    [20270328, false],
    [undefined, false],
  ])('%p → %p', (value, expected) => {
    expect(isLocalDateTime(value)).toBe(expected);
  });
});

describe('canonicalTimeZone', () => {
  it.each([
    ['Europe/Paris', 'Europe/Paris'],
    ['europe/paris', 'Europe/Paris'],
    ['America/New_York', 'America/New_York'],
    ['Australia/Sydney', 'Australia/Sydney'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['UTC', 'UTC'],
  ])('accepts %p as %p', (input, expected) => {
    expect(canonicalTimeZone(input)).toBe(expected);
  });

  it.each([
    ['an offset', '+02:00'],
    ['a negative offset', '-05:00'],
    ['Z', 'Z'],
    ['the empty string', ''],
    ['an unknown place', 'Mars/Olympus'],
    ['a name one past the limit', `Europe/${'x'.repeat(MAX_TIME_ZONE_LENGTH - 6)}`],
    ['a number', 1],
    ['null', null],
    ['an object', { timeZone: 'Europe/Paris' }],
  ])('refuses %s', (_, input) => {
    expect(canonicalTimeZone(input)).toBeUndefined();
  });

  it('holds the limit at 64 characters', () => {
    expect(MAX_TIME_ZONE_LENGTH).toBe(64);
    expect(`Europe/${'x'.repeat(MAX_TIME_ZONE_LENGTH - 6)}`).toHaveLength(65);
  });
});
