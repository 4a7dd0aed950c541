// A worker that claimed an attempt and then vanished leaves us not knowing whether the relay got the message.
// Resending risks a duplicate; not resending risks losing the email. A duplicate is the lesser harm: the
// Message-ID derived from the email id stays the same, so receivers and operators can recognise it. Hence
// 'resend' is the default, and 'fail' (hand it to a human) is the opt-in for senders who cannot bear duplicates.

import type { InDoubtFailReason, InDoubtResolution } from '../email-events';
import type { AttemptingState, EmailState } from '../email-state';
import { parseInstant } from '../instant';

export type InDoubtPolicy = InDoubtResolution;

export const DEFAULT_IN_DOUBT_POLICY: InDoubtPolicy = 'resend';

/** In-doubt resolutions an email may have before it fails for review (IN_DOUBT_MAX_RESENDS's default). */
export const DEFAULT_MAX_IN_DOUBT_RESENDS = 3;

export type InDoubtDecision =
  | { readonly resolution: 'resend' }
  | { readonly resolution: 'fail'; readonly reason: InDoubtFailReason };

/**
 * An in-doubt attempt never uses up maxAttempts: under 'resend' the last allowed attempt lost to a dead
 * worker is sent again, not dropped. What stops an email that kills every worker that touches it (a poison
 * email) is a bound of its own: past `maxResends` in-doubt resolutions in a row (none of its attempts answered
by the relay in between) it fails, saying so.
 */
export function inDoubtResolution(
  policy: InDoubtPolicy,
  inDoubtCount: number,
  maxResends: number,
): InDoubtDecision {
  if (policy === 'fail') return { resolution: 'fail', reason: 'policy' };
  return inDoubtCount > maxResends
    ? { resolution: 'fail', reason: 'in-doubt-limit' }
    : { resolution: 'resend' };
}

/** True when the email is stuck in an attempt whose lease has run out by `now` (ISO-8601). */
export function isSendInDoubt(state: EmailState, now: string): state is AttemptingState {
  if (state.status !== 'attempting') return false;
  const nowMs = parseInstant(now);
  const leaseMs = parseInstant(state.leaseUntil);
  return nowMs !== undefined && leaseMs !== undefined && nowMs >= leaseMs;
}
