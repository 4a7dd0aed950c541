// When an email should go out. A time without an offset is refused rather than guessed: "09:00" means a
// different instant in every timezone, and guessing wrong sends the email hours early or late.

import { formatInstant, parseInstant } from '../instant';

export type SendAtResolution =
  | {
      readonly ok: true;
      /** The instant asked for, normalised; `now` when nothing was asked. */
      readonly requestedSendAt: string;
      /** When it is due: a past request means "as soon as possible", so never before now. */
      readonly sendAt: string;
    }
  | { readonly ok: false; readonly reason: string };

const MS_PER_DAY = 86_400_000;

function describeDuration(ms: number): string {
  return ms % MS_PER_DAY === 0 ? `${ms / MS_PER_DAY} days` : `${ms} ms`;
}

/**
 * Resolves a requested send time against `nowMs`. Instants are stored in one canonical UTC form so they sort
 * as text and compare without parsing; the caller's offset is not kept.
 */
export function resolveSendAt(
  requested: unknown,
  nowMs: number,
  horizonMs: number,
): SendAtResolution {
  if (requested === undefined) {
    const now = formatInstant(nowMs);
    return { ok: true, requestedSendAt: now, sendAt: now };
  }
  const requestedMs = typeof requested === 'string' ? parseInstant(requested) : undefined;
  if (requestedMs === undefined) {
    return { ok: false, reason: 'must be an ISO-8601 date-time with a timezone (Z or ±hh:mm)' };
  }
  if (requestedMs - nowMs > horizonMs) {
    return { ok: false, reason: `must be at most ${describeDuration(horizonMs)} from now` };
  }
  return {
    ok: true,
    requestedSendAt: formatInstant(requestedMs),
    sendAt: formatInstant(Math.max(requestedMs, nowMs)),
  };
}
