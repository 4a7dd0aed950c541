// What stands between a due email and an attempt, besides the rate limits: its send-by deadline and its
// delivery window. One function, used by decide (a claim outside them is refused) and by the worker (which
// turns the answer into ExpireEmail or DeferSend), so the two can never disagree.

import type { DeliveryWindow, ExpiryReason } from '../email-events';
import type { EmailDetails } from '../email-state';
import { parseInstant } from '../instant';
import { nextOpening } from './delivery-window';

export type SendGate =
  | { readonly kind: 'open' }
  /** The window is closed: not before its next opening. */
  | { readonly kind: 'window'; readonly untilMs: number }
  /** The deadline has passed, or the next chance comes at or after it. */
  | { readonly kind: 'expire'; readonly reason: ExpiryReason; readonly nextChanceMs?: number };

/**
 * Whether an attempt may start at `atMs` for an email with these details. `cause` names what made `atMs`
 * the next chance (a retry's backoff, a rate limit's slot), for the expiry reason when it lands past the
 * deadline; at `atMs` = now it is 'deadline-passed'.
 */
export function sendGate(
  email: Pick<EmailDetails, 'expiresAt' | 'deliveryWindow'>,
  atMs: number,
  cause: ExpiryReason = 'deadline-passed',
): SendGate {
  const expiresMs = email.expiresAt === undefined ? undefined : parseInstant(email.expiresAt);
  if (expiresMs !== undefined && atMs >= expiresMs) {
    return cause === 'deadline-passed'
      ? { kind: 'expire', reason: cause }
      : { kind: 'expire', reason: cause, nextChanceMs: atMs };
  }
  const window: DeliveryWindow | undefined = email.deliveryWindow;
  if (window === undefined) return { kind: 'open' };
  const openingMs = nextOpening(window, atMs);
  if (openingMs === atMs) return { kind: 'open' };
  if (expiresMs !== undefined && openingMs >= expiresMs) {
    return { kind: 'expire', reason: 'window-after-deadline', nextChanceMs: openingMs };
  }
  return { kind: 'window', untilMs: openingMs };
}
