import type { DeliveryWindow } from '../email-events';
import { nextOpening, parseDeliveryWindow } from './delivery-window';

// 1 March 2027 is a Monday.
const OFFICE: DeliveryWindow = {
  timeZone: 'UTC',
  days: ['mon', 'tue', 'wed', 'thu', 'fri'],
  start: '09:00',
  end: '17:30',
};
/** Friday night only: opens Friday 22:00 and stays open into Saturday morning. */
const FRIDAY_NIGHT: DeliveryWindow = {
  timeZone: 'UTC',
  days: ['fri'],
  start: '22:00',
  end: '06:00',
};

const at = (iso: string): number => Date.parse(iso);
const opening = (window: DeliveryWindow, iso: string): string =>
  new Date(nextOpening(window, at(iso))).toISOString();

describe('nextOpening', () => {
  it.each([
    ['inside the window: the same instant', '2027-03-03T12:00:00.000Z', '2027-03-03T12:00:00.000Z'],
    [
      'at its opening minute: the same instant',
      '2027-03-03T09:00:00.000Z',
      '2027-03-03T09:00:00.000Z',
    ],
    ['before hours: that morning', '2027-03-03T07:00:00.000Z', '2027-03-03T09:00:00.000Z'],
    [
      'at its closing minute: closed, the next morning',
      '2027-03-03T17:30:00.000Z',
      '2027-03-04T09:00:00.000Z',
    ],
    ['after hours: the next morning', '2027-03-03T18:00:00.000Z', '2027-03-04T09:00:00.000Z'],
    [
      'Friday evening: the weekend is skipped',
      '2027-03-05T18:00:00.000Z',
      '2027-03-08T09:00:00.000Z',
    ],
    ['on Saturday: Monday morning', '2027-03-06T12:00:00.000Z', '2027-03-08T09:00:00.000Z'],
    ['late on Sunday: Monday morning', '2027-03-07T23:59:00.000Z', '2027-03-08T09:00:00.000Z'],
  ])('office hours, %s', (_, now, expected) => {
    expect(opening(OFFICE, now)).toBe(expected);
  });

  it.each([
    ['Friday before it opens: 22:00', '2027-03-05T21:00:00.000Z', '2027-03-05T22:00:00.000Z'],
    ['Friday at 23:00: open', '2027-03-05T23:00:00.000Z', '2027-03-05T23:00:00.000Z'],
    [
      'Saturday at 03:00: still open (Friday’s window)',
      '2027-03-06T03:00:00.000Z',
      '2027-03-06T03:00:00.000Z',
    ],
    [
      'Saturday at 06:00: closed until next Friday',
      '2027-03-06T06:00:00.000Z',
      '2027-03-12T22:00:00.000Z',
    ],
    [
      'Saturday at 22:00: Saturday is not listed',
      '2027-03-06T22:00:00.000Z',
      '2027-03-12T22:00:00.000Z',
    ],
    [
      'Thursday at 03:00: Wednesday is not listed',
      '2027-03-04T03:00:00.000Z',
      '2027-03-05T22:00:00.000Z',
    ],
  ])('a window crossing midnight, %s', (_, now, expected) => {
    expect(opening(FRIDAY_NIGHT, now)).toBe(expected);
  });

  describe('across a DST change the window keeps its local hours', () => {
    const paris: DeliveryWindow = {
      timeZone: 'Europe/Paris',
      days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'],
      start: '09:00',
      end: '17:00',
    };

    it('opens at 09:00 CET (08:00Z) before and 09:00 CEST (07:00Z) after 28 March', () => {
      expect(opening(paris, '2027-03-27T05:00:00.000Z')).toBe('2027-03-27T08:00:00.000Z');
      expect(opening(paris, '2027-03-27T16:00:00.000Z')).toBe('2027-03-28T07:00:00.000Z');
      expect(opening(paris, '2027-03-28T06:30:00.000Z')).toBe('2027-03-28T07:00:00.000Z');
      expect(opening(paris, '2027-03-28T07:30:00.000Z')).toBe('2027-03-28T07:30:00.000Z');
    });

    it('closes at 17:00 local on both sides of 31 October', () => {
      // 17:00 CEST = 15:00Z on Saturday 30th; 17:00 CET = 16:00Z on Sunday 31st.
      expect(opening(paris, '2027-10-30T15:30:00.000Z')).toBe('2027-10-31T08:00:00.000Z');
      expect(opening(paris, '2027-10-31T15:30:00.000Z')).toBe('2027-10-31T15:30:00.000Z');
    });

    it('New York office hours: Monday after the change opens at 13:00Z, not 14:00Z', () => {
      const newYork: DeliveryWindow = { ...OFFICE, timeZone: 'America/New_York', end: '17:00' };
      expect(opening(newYork, '2027-03-12T22:00:00.000Z')).toBe('2027-03-15T13:00:00.000Z');
    });

    it('a start inside the spring gap opens when the gap ends, by the one DST rule', () => {
      const night: DeliveryWindow = {
        timeZone: 'Europe/Paris',
        days: ['sun'],
        start: '02:30',
        end: '04:00',
      };
      // 02:30 does not exist on 28 March: 03:30 CEST, 01:30Z.
      expect(opening(night, '2027-03-28T00:00:00.000Z')).toBe('2027-03-28T01:30:00.000Z');
    });

    it('a window the spring gap empties (02:30–03:00 on 28 March) does not open that day', () => {
      const gap: DeliveryWindow = {
        timeZone: 'Europe/Paris',
        days: ['sun'],
        start: '02:30',
        end: '03:00',
      };
      // It would open at 03:30 CEST and close at 03:00 CEST: never open; the next Sunday's is real.
      expect(opening(gap, '2027-03-28T00:00:00.000Z')).toBe('2027-04-04T00:30:00.000Z');
    });
  });
});

describe('parseDeliveryWindow', () => {
  const valid = { timeZone: 'Europe/Paris', days: ['mon', 'tue'], start: '09:00', end: '17:30' };
  const fieldsOf = (input: unknown, field?: string): string[] => {
    const parsed = parseDeliveryWindow(input, field);
    return parsed.ok ? [] : parsed.issues.map((issue) => issue.field);
  };

  it('takes a valid window, with its zone canonical and its days in week order', () => {
    expect(
      parseDeliveryWindow({ ...valid, timeZone: 'europe/paris', days: ['sun', 'mon', 'wed'] }),
    ).toEqual({
      ok: true,
      window: {
        timeZone: 'Europe/Paris',
        days: ['mon', 'wed', 'sun'],
        start: '09:00',
        end: '17:30',
      },
    });
  });

  it.each([undefined, null])('takes %p as no window', (input) => {
    expect(parseDeliveryWindow(input)).toEqual({ ok: true, window: undefined });
  });

  it.each<[string, unknown, string[]]>([
    ['a string', 'mon-fri 9-5', ['deliveryWindow']],
    ['a list', [valid], ['deliveryWindow']],
    [
      'an empty object',
      {},
      [
        'deliveryWindow.timeZone',
        'deliveryWindow.days',
        'deliveryWindow.start',
        'deliveryWindow.end',
      ],
    ],
    ['an unknown field', { ...valid, tz: 'UTC' }, ['deliveryWindow.tz']],
    ['an offset for a zone', { ...valid, timeZone: '+02:00' }, ['deliveryWindow.timeZone']],
    ['an unknown zone', { ...valid, timeZone: 'Mars/Olympus' }, ['deliveryWindow.timeZone']],
    ['no days', { ...valid, days: [] }, ['deliveryWindow.days']],
    ['days as a string', { ...valid, days: 'mon tue' }, ['deliveryWindow.days']],
    ['an unknown day', { ...valid, days: ['mon', 'funday'] }, ['deliveryWindow.days']],
    ['a day in capitals', { ...valid, days: ['Mon'] }, ['deliveryWindow.days']],
    ['a repeated day', { ...valid, days: ['mon', 'mon'] }, ['deliveryWindow.days']],
    [
      'eight days',
      { ...valid, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'mon'] },
      ['deliveryWindow.days'],
    ],
    ['a start without its leading zero', { ...valid, start: '9:00' }, ['deliveryWindow.start']],
    ['an end at 24:00', { ...valid, end: '24:00' }, ['deliveryWindow.end']],
    ['a start with seconds', { ...valid, start: '09:00:00' }, ['deliveryWindow.start']],
    ['a numeric end', { ...valid, end: 1730 }, ['deliveryWindow.end']],
    ['an end equal to the start', { ...valid, end: '09:00' }, ['deliveryWindow.end']],
  ])('refuses %s, naming the field', (_, input, fields) => {
    expect(fieldsOf(input)).toEqual(fields);
  });

  it('names fields under the prefix it is given (a batch row, a schedule’s email)', () => {
    expect(fieldsOf({ ...valid, start: 'noon' }, 'email.deliveryWindow')).toEqual([
      'email.deliveryWindow.start',
    ]);
  });
});
