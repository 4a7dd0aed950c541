// 10,000 generated bad values for the new ScheduleEmail fields (timeZone, sendAt read in a zone,
// deliveryWindow, expiresAt): each is refused as a ValidationError naming that field and only that field, and
// nothing else is ever thrown, since anything else would reach a caller as a 500 instead of a 400.

import fc from 'fast-check';
import { decide } from './decide';
import { ValidationError } from './domain-errors';
import { initialState } from './email-state';
import { plus, scheduleEmail, SCHEDULED_AT, SEND_AT } from './testing/email-fixtures';

const DAY_MS = 86_400_000;
const VALID_WINDOW = { timeZone: 'Europe/Paris', days: ['mon'], start: '09:00', end: '17:00' };

/** Anything JSON could carry that is not a string. */
const notAString = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);
const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
const offset = fc
  .tuple(fc.constantFrom('+', '-'), two(23), two(59))
  .map(([sign, h, m]) => `${sign}${h}:${m}`);

const badTimeZone = fc.oneof(
  offset,
  fc.constantFrom('', ' ', 'Z', 'Mars/Olympus', 'Europe/Pariss', 'Europe/', '/Paris', 'GMT+25'),
  fc
    .tuple(fc.constantFrom('Europe', 'America', 'Asia', 'Mars'), fc.nat(1_000_000))
    .map(([area, n]) => `${area}/Nowhere${n}`),
  fc.integer({ min: 58, max: 200 }).map((n) => `Europe/${'x'.repeat(n)}`),
  fc.string({ maxLength: 20 }).map((s) => `0${s}`),
  notAString,
);

const badLocalTime = fc.oneof(
  // Dates that do not exist, hours and minutes out of range.
  fc
    .tuple(
      fc.integer({ min: 2030, max: 2030 }),
      fc.constantFrom('02-30', '02-29', '04-31', '13-01', '00-10'),
    )
    .map(([y, md]) => `${y}-${md}T10:00`),
  fc
    .tuple(
      two(99).filter((h) => Number(h) > 23),
      two(59),
    )
    .map(([h, m]) => `2030-01-02T${h}:${m}`),
  // Past the scheduling horizon (a year).
  fc.integer({ min: 2, max: 50 }).map((years) => `${2030 + years}-06-01T10:00`),
  fc.constantFrom('2030-01-02', '10:00', '2030-01-02 10:00', '2030-01-02T10', 'tomorrow'),
  fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-/.test(s)),
  notAString,
);

const badWindow = fc
  .oneof(
    notAString.filter((v) => v !== null && (typeof v !== 'object' || Array.isArray(v))),
    fc.string(),
    fc.record({ key: fc.constantFrom('timeZone'), value: badTimeZone }),
    fc.record({
      key: fc.constantFrom('days'),
      value: fc.oneof(
        fc.constant([]),
        fc.array(
          fc
            .string({ maxLength: 4 })
            .filter((d) => !['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].includes(d)),
          {
            minLength: 1,
            maxLength: 3,
          },
        ),
        fc.constant(['mon', 'mon']),
        fc.constant(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun', 'mon']),
        notAString.filter((v) => !Array.isArray(v)),
      ),
    }),
    fc.record({
      key: fc.constantFrom('start', 'end'),
      value: fc.oneof(
        fc
          .tuple(two(99), two(99))
          .filter(([h, m]) => Number(h) > 23 || Number(m) > 59)
          .map(([h, m]) => `${h}:${m}`),
        fc.constantFrom('9:00', '09:00:00', '0900', '', 'noon'),
        notAString,
      ),
    }),
    fc.record({ key: fc.constantFrom('extra', 'tz', 'from'), value: fc.string() }),
  )
  .map((bad) =>
    typeof bad === 'object' && bad !== null && 'key' in bad && typeof bad.key === 'string'
      ? { ...VALID_WINDOW, [bad.key]: (bad as { value: unknown }).value }
      : bad,
  );

const badExpiresAt = fc.oneof(
  // The past, now, at or before sendAt.
  fc.integer({ min: -400 * DAY_MS, max: 0 }).map((ms) => plus(SCHEDULED_AT, ms)),
  fc.integer({ min: -60 * 60_000, max: 0 }).map((ms) => plus(SEND_AT, ms)),
  // Wall-clock without a timeZone to read it in.
  fc.constantFrom('2030-01-01T12:00', '2030-01-02T00:00:00'),
  fc.constantFrom('2030-02-30T10:00:00Z', '2030-01-01T24:00:00Z', 'in two hours', ''),
  fc.string({ maxLength: 30 }).filter((s) => !/^\d{4}-/.test(s)),
  notAString.filter((v) => v !== null),
);

type Case = { field: string; data: Record<string, unknown> };
const cases: fc.Arbitrary<Case> = fc.oneof(
  badTimeZone.map((timeZone) => ({
    field: 'timeZone',
    data: { sendAt: '2030-01-01T11:00', timeZone },
  })),
  badLocalTime.map((sendAt) => ({ field: 'sendAt', data: { sendAt, timeZone: 'Europe/Paris' } })),
  badWindow.map((deliveryWindow) => ({ field: 'deliveryWindow', data: { deliveryWindow } })),
  badExpiresAt.map((expiresAt) => ({ field: 'expiresAt', data: { expiresAt } })),
);

describe('ScheduleEmail with bad time fields', () => {
  it('refuses 10,000 generated bad values, each as a ValidationError naming its field', () => {
    fc.assert(
      fc.property(cases, ({ field, data }) => {
        try {
          decide(scheduleEmail(data), initialState);
        } catch (error: unknown) {
          // Plain checks, not expect(): fast-check reports the counterexample, and 10,000 runs stay cheap.
          if (!(error instanceof ValidationError) || error.issues.length === 0) throw error;
          return error.issues.every(
            ({ field: named }) => named === field || named.startsWith(`${field}.`),
          );
        }
        return false;
      }),
      { numRuns: 10_000 },
    );
  });
});
