import { formatInstant, parseInstant, requireInstant } from './instant';

describe('parseInstant', () => {
  it.each([
    ['UTC with Z', '2030-01-01T10:00:00Z', '2030-01-01T10:00:00.000Z'],
    ['milliseconds', '2030-01-01T10:00:00.123Z', '2030-01-01T10:00:00.123Z'],
    ['one fractional digit', '2030-01-01T10:00:00.5Z', '2030-01-01T10:00:00.500Z'],
    ['nanoseconds, truncated to ms', '2030-01-01T10:00:00.123456789Z', '2030-01-01T10:00:00.123Z'],
    ['no seconds', '2030-01-01T10:00Z', '2030-01-01T10:00:00.000Z'],
    ['a positive offset', '2030-01-01T12:00:00+02:00', '2030-01-01T10:00:00.000Z'],
    ['a negative offset', '2030-01-01T05:00:00-05:00', '2030-01-01T10:00:00.000Z'],
    ['a half-hour offset', '2030-01-01T15:30:00+05:30', '2030-01-01T10:00:00.000Z'],
    ['an offset crossing midnight', '2030-01-01T01:00:00+03:00', '2029-12-31T22:00:00.000Z'],
    ['-00:00', '2030-01-01T10:00:00-00:00', '2030-01-01T10:00:00.000Z'],
    ['29 February in a leap year', '2028-02-29T00:00:00Z', '2028-02-29T00:00:00.000Z'],
    [
      'a two-digit year, not mapped to the 1900s',
      '0050-06-01T00:00:00Z',
      '0050-06-01T00:00:00.000Z',
    ],
  ])('accepts %s', (_, input, canonical) => {
    const ms = parseInstant(input);
    expect(ms).toBeDefined();
    expect(formatInstant(ms as number)).toBe(canonical);
  });

  it.each([
    ['no timezone', '2030-01-01T10:00:00'],
    ['a date alone', '2030-01-01'],
    ['a space instead of T', '2030-01-01 10:00:00Z'],
    ['a lowercase t and z', '2030-01-01t10:00:00z'],
    ['an offset without a colon', '2030-01-01T10:00:00+0200'],
    ['an hour-only offset', '2030-01-01T10:00:00+02'],
    ['30 February', '2030-02-30T10:00:00Z'],
    ['29 February in a common year', '2030-02-29T10:00:00Z'],
    ['31 April', '2030-04-31T10:00:00Z'],
    ['month 13', '2030-13-01T10:00:00Z'],
    ['month 0', '2030-00-01T10:00:00Z'],
    ['day 0', '2030-01-00T10:00:00Z'],
    ['24:00', '2030-01-01T24:00:00Z'],
    ['minute 60', '2030-01-01T10:60:00Z'],
    ['a leap second', '2030-01-01T23:59:60Z'],
    ['an offset of 24 hours', '2030-01-01T10:00:00+24:00'],
    ['ten fractional digits', '2030-01-01T10:00:00.1234567890Z'],
    ['a five-digit year', '+12030-01-01T10:00:00Z'],
    ['surrounding spaces', ' 2030-01-01T10:00:00Z '],
    ['a trailing newline', '2030-01-01T10:00:00Z\n'],
    ['epoch milliseconds as text', '1893492000000'],
    ['an empty string', ''],
  ])('rejects %s', (_, input) => {
    expect(parseInstant(input)).toBeUndefined();
  });
});

describe('requireInstant', () => {
  it('returns the epoch milliseconds of a valid instant', () => {
    expect(requireInstant('1970-01-01T00:00:01Z', 'now')).toBe(1000);
  });

  it('throws a TypeError naming the value: a bad "now" is a bug, not user input', () => {
    expect(() => requireInstant('yesterday', 'now')).toThrow(
      new TypeError('now must be an ISO-8601 instant, got "yesterday"'),
    );
  });
});
