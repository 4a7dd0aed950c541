// Instants travel as ISO-8601 strings so events stay plain JSON. Parsing is strict because Date.parse alone is
// lenient in ways that would silently move an email: it rolls 2024-02-30 over to March 1st and accepts 24:00.

const ISO_INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

const MS_PER_MINUTE = 60_000;

// Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not. Neither reads the clock.
function utc(year: number, monthIndex: number, day: number, h = 0, m = 0, s = 0, ms = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(year, monthIndex, day);
  date.setUTCHours(h, m, s, ms);
  return date.getTime();
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(utc(year, month, 0)).getUTCDate();
}

/** Epoch milliseconds of an ISO-8601 date-time that names its offset (Z or ±hh:mm), else undefined. */
export function parseInstant(value: string): number | undefined {
  const match = ISO_INSTANT.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s = '0', fraction = '', sign, offH = '0', offM = '0'] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const offsetHours = Number(offH);
  const offsetMinutes = Number(offM);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const offset = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * MS_PER_MINUTE;
  return utc(year, month - 1, day, hour, minute, second, millis) - offset;
}

/** The canonical form every stored instant takes: UTC, millisecond precision, sortable as text. */
export function formatInstant(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/**
 * For instants the caller vouches for (`now`, lease deadlines): a malformed one is a bug in the caller, not
 * bad user input, so it throws a plain error rather than a ValidationError that would become a 400.
 */
export function requireInstant(value: string, what: string): number {
  const epochMs = parseInstant(value);
  if (epochMs === undefined)
    throw new TypeError(`${what} must be an ISO-8601 instant, got ${JSON.stringify(value)}`);
  return epochMs;
}
