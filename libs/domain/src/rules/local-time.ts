// Wall-clock times in a named zone. The zone rules come from the runtime's IANA database through Temporal
// (@js-temporal/polyfill, the TC39 champions' polyfill), never from an offset table of ours. One rule for the two kinds of wall-clock time a
// zone's transitions make odd, Temporal's (and RFC 5545's) "compatible" disambiguation:
//   - a time that does not exist (the spring-forward gap) moves forward by the gap's length:
//     02:30 on 2027-03-28 in Europe/Paris is 03:30 CEST;
//   - a time that exists twice (the fall-back overlap) is the earlier of the two instants:
//     02:30 on 2027-10-31 in Europe/Paris is 02:30 CEST, not CET.

import { Temporal } from '@js-temporal/polyfill';
import { formatInstant } from '../instant';

/** YYYY-MM-DDTHH:MM[:SS[.fff]] with no offset and no zone: a wall-clock time. */
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/;

export const MAX_TIME_ZONE_LENGTH = 64;

/** The zone's canonical IANA name, or undefined when the runtime knows no such zone. */
export function canonicalTimeZone(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '' || value.length > MAX_TIME_ZONE_LENGTH)
    return undefined;
  // Offsets ("+02:00") are valid Temporal zones but not places: their DST never follows the recipient.
  if (!/^[A-Za-z]/.test(value)) return undefined;
  try {
    return Temporal.ZonedDateTime.from({ timeZone: value, year: 2000, month: 1, day: 1 })
      .timeZoneId;
  } catch {
    return undefined;
  }
}

export function isLocalDateTime(value: unknown): value is string {
  return typeof value === 'string' && LOCAL_DATE_TIME.test(value);
}

/** The instant (canonical ISO, UTC) a wall-clock time in `timeZone` means, or undefined if it is no date. */
export function resolveLocalTime(local: string, timeZone: string): string | undefined {
  if (!isLocalDateTime(local)) return undefined;
  try {
    const instant = Temporal.PlainDateTime.from(local, { overflow: 'reject' })
      .toZonedDateTime(timeZone, { disambiguation: 'compatible' })
      .toInstant();
    return formatInstant(instant.epochMilliseconds);
  } catch {
    return undefined;
  }
}

/** The wall-clock date and time of an instant in a zone. */
export function wallClockAt(epochMs: number, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(epochMs).toZonedDateTimeISO(timeZone);
}
