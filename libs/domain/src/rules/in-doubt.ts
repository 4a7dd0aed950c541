// A worker that claimed an attempt and then vanished leaves us not knowing whether the relay got the message.
// Resending risks a duplicate; not resending risks losing the email. A duplicate is the lesser harm: the
// Message-ID derived from the email id stays the same, so receivers and operators can recognise it. Hence
// 'resend' is the default, and 'fail' (hand it to a human) is the opt-in for senders who cannot bear duplicates.

import type { InDoubtResolution } from '../email-events';
import type { AttemptingState, EmailState } from '../email-state';
import { parseInstant } from '../instant';

export type InDoubtPolicy = InDoubtResolution;

export const DEFAULT_IN_DOUBT_POLICY: InDoubtPolicy = 'resend';

/**
 * The in-doubt attempt counts: it may well have reached the relay. So when it was the last one allowed, there
 * is nothing left to resend with and the email fails whatever the policy.
 */
export function inDoubtResolution(
  policy: InDoubtPolicy,
  attempt: number,
  maxAttempts: number,
): InDoubtResolution {
  return policy === 'resend' && attempt < maxAttempts ? 'resend' : 'fail';
}

/** True when the email is stuck in an attempt whose lease has run out by `now` (ISO-8601). */
export function isSendInDoubt(state: EmailState, now: string): state is AttemptingState {
  if (state.status !== 'attempting') return false;
  const nowMs = parseInstant(now);
  const leaseMs = parseInstant(state.leaseUntil);
  return nowMs !== undefined && leaseMs !== undefined && nowMs >= leaseMs;
}
