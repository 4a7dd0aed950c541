// Wall-clock times in a chosen IANA zone, for the forms that send them as such (sendAt + timeZone): the zones
// to offer, an instant as a wall-clock time there, and the instant a wall-clock time means there. The api
// resolves with Temporal's "compatible" rule (docs/TIME.md); the preview here follows the same rule with
// Intl alone, so the dashboard does not ship a Temporal polyfill (a spec holds the two to the same answers).

import type { DeliveryWindow, Weekday } from './types';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** The browser's zone; the compose form's default. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** The zones the runtime knows, with `current` among them (a runtime may list an alias under another name). */
export function timeZoneOptions(current: string): readonly string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes(current) ? zones : [current, ...zones];
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

function parts(epochMs: number, timeZone: string): Record<string, number> {
  const formatted = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(epochMs));
  return Object.fromEntries(
    formatted
      .filter((part) => part.type !== 'literal')
      .map((part) => [part.type, Number(part.value)]),
  );
}

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(epochMs: number, timeZone: string): number {
  const p = parts(epochMs, timeZone);
  const wall = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, p.hour, p.minute, p.second);
  return wall - Math.floor(epochMs / 1000) * 1000;
}

/** An instant as a `datetime-local` value (to the second) in `timeZone`. */
export function wallClockIn(epochMs: number, timeZone: string): string {
  const p = parts(epochMs, timeZone);
  const pad = (n: number | undefined): string => String(n ?? 0).padStart(2, '0');
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/**
 * The instant a wall-clock time means in `timeZone` (ISO, UTC), by the api's rule: a time in a gap moves
 * forward by the gap's length, a time in an overlap is the earlier instant. Undefined if it is no date.
 */
export function resolveWallClock(local: string, timeZone: string): string | undefined {
  const m = LOCAL.exec(local);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((n) => Number(n ?? 0));
  const asUtc = Date.UTC(year ?? 0, (month ?? 1) - 1, day, hour, minute, second);
  // Date.UTC rolls 31 April over into May: a time that does not read back is no date.
  const normalised = m[6] === undefined ? `${local}:00` : local;
  if (Number.isNaN(asUtc) || new Date(asUtc).toISOString().slice(0, 19) !== normalised)
    return undefined;
  // Zone offsets a day either side bracket any transition near this time.
  const before = offsetAt(asUtc - 86_400_000, timeZone);
  const after = offsetAt(asUtc + 86_400_000, timeZone);
  const fits = [before, after].filter((offset) => offsetAt(asUtc - offset, timeZone) === offset);
  // In an overlap both fit: the larger offset is the earlier instant. In a gap neither does: the offset
  // before the transition moves the time forward by the gap.
  const offset = fits.length === 0 ? before : Math.max(...fits);
  return new Date(asUtc - offset).toISOString();
}

/** The delivery-window editor's fields, as typed. */
export interface WindowDraft {
  readonly enabled: boolean;
  /** '' follows the email's own zone. */
  readonly timeZone: string;
  readonly days: readonly Weekday[];
  readonly start: string;
  readonly end: string;
}

export function defaultWindow(): WindowDraft {
  return {
    enabled: false,
    timeZone: '',
    days: ['mon', 'tue', 'wed', 'thu', 'fri'],
    start: '09:00',
    end: '17:30',
  };
}

/** The days after ticking (or unticking) `day`, in week order. */
export function toggleDay(days: readonly Weekday[], day: Weekday, checked: boolean): Weekday[] {
  return WEEKDAYS.filter((item) => (item === day ? checked : days.includes(item)));
}

/** The window to send, or undefined when the editor is off; the api checks the rest (400 naming the field). */
export function windowRequest(draft: WindowDraft, emailZone: string): DeliveryWindow | undefined {
  if (!draft.enabled) return undefined;
  return {
    timeZone: draft.timeZone === '' ? emailZone : draft.timeZone,
    days: [...draft.days],
    start: draft.start,
    end: draft.end,
  };
}

/** "mon tue wed 09:00–17:30 Europe/Paris", "fri 22:00–06:00 (next day) UTC". */
export function describeWindow(window: DeliveryWindow): string {
  const overnight = window.end <= window.start ? ' (next day)' : '';
  return `${window.days.join(' ')} ${window.start}–${window.end}${overnight} ${window.timeZone}`;
}
