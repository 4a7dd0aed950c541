import {
  formatDuration,
  formatInstant,
  formatRelative,
  isoToLocalInput,
  localInputToIso,
  splitAddresses,
} from '../src/format';
import { describeEvent } from '../src/timeline';

describe('the dashboard’s formatting', () => {
  it('shows an instant in the asked timezone, with the zone', () => {
    expect(formatInstant('2030-01-01T12:00:00.000Z', 'Europe/Berlin')).toBe(
      '1 Jan 2030, 13:00:00 CET',
    );
    expect(formatInstant(null)).toBe('—');
  });

  it.each([
    [250, '250 ms'],
    [1_500, '1.5 s'],
    [42_000, '42 s'],
    [185_000, '3 min 5 s'],
    [7_260_000, '2 h 1 min'],
    [-2_000, '−2.0 s'],
  ])('reads %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('says how far an instant is from now', () => {
    const now = Date.parse('2030-01-01T12:00:00Z');
    expect(formatRelative('2030-01-01T12:00:10Z', now)).toBe('in 10 s');
    expect(formatRelative('2030-01-01T11:57:00Z', now)).toBe('3 min 0 s ago');
  });

  it('round-trips the date-time picker’s local value through an instant', () => {
    const iso = localInputToIso('2030-06-01T09:30:15');
    expect(iso).toBeDefined();
    expect(isoToLocalInput(iso ?? '')).toBe('2030-06-01T09:30:15');
    expect(localInputToIso('tomorrow')).toBeUndefined();
  });

  it('splits recipients on commas and semicolons, but not inside a quoted name', () => {
    expect(splitAddresses('"Doe, Jane" <jane@x.example>, bob@x.example; carol@x.example')).toEqual([
      '"Doe, Jane" <jane@x.example>',
      'bob@x.example',
      'carol@x.example',
    ]);
  });
});

describe('the timeline', () => {
  const at = '2030-01-01T12:00:00.000Z';

  it('says why an attempt failed and when the next one is due', () => {
    const entry = describeEvent(
      {
        revision: 2,
        type: 'EmailFailed',
        recordedAt: at,
        data: {
          attempt: 1,
          failure: { kind: 'transient', code: 451, message: 'try later' },
          final: false,
          retryAt: '2030-01-01T12:00:30.000Z',
        },
      },
      'UTC',
    );
    expect(entry).toMatchObject({ title: 'Attempt 1 failed', tone: 'warn' });
    expect(entry.facts).toEqual([
      ['error', 'transient · 451 · try later'],
      ['next attempt', '1 Jan 2030, 12:00:30 UTC'],
    ]);
  });

  it('names a rate-limit deferral and a final failure', () => {
    expect(
      describeEvent({
        revision: 1,
        type: 'EmailDeferred',
        recordedAt: at,
        data: { limit: 'sender', until: at },
      }).title,
    ).toBe('Deferred by a rate limit');
    expect(
      describeEvent({
        revision: 3,
        type: 'EmailFailed',
        recordedAt: at,
        data: { attempt: 3, final: true },
      }),
    ).toMatchObject({ title: 'Failed for good (attempt 3)', tone: 'bad' });
  });

  it('shows an event type it does not know by name, with its fields as text', () => {
    expect(
      describeEvent({
        revision: 4,
        type: 'EmailFutureThing',
        recordedAt: at,
        data: { n: 1, x: { y: 2 } },
      }),
    ).toMatchObject({
      title: 'EmailFutureThing',
      facts: [
        ['n', '1'],
        ['x', '{"y":2}'],
      ],
    });
  });
});
