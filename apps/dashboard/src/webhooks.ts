// What the Webhooks pages show and check without the api: the event types to choose from, an endpoint's
// state in words, a receiver's answer made safe to show, the replay form's range.
import { localInputToIso } from './format';
import type { FieldIssue, SubscribableEvent, WebhookDelivery, WebhookEndpoint } from './types';

/**
 * The webhook event types an endpoint subscribes to, as libs/webhooks' WEBHOOK_EVENT_TYPES has them (a
 * spec keeps the two lists the same), each with what it means to the person choosing.
 */
export const WEBHOOK_EVENTS = [
  { type: 'email.scheduled', hint: 'accepted and due at its send time' },
  { type: 'email.rescheduled', hint: 'its send time changed' },
  { type: 'email.cancelled', hint: 'cancelled before it went out' },
  { type: 'email.deferred', hint: 'held back by a rate limit' },
  { type: 'email.attempt_failed', hint: 'one attempt failed; another will follow' },
  { type: 'email.sent', hint: 'the relay accepted it' },
  { type: 'email.failed', hint: 'failed for good: no attempt follows' },
  { type: 'email.in_doubt', hint: 'an attempt was cut off: it may or may not have gone out' },
  { type: 'email.paused', hint: 'paused: it does not send until resumed' },
  { type: 'email.resumed', hint: 'resumed: due again' },
  { type: 'email.expired', hint: 'its send-by deadline passed: never sent' },
  { type: 'email.retry_requested', hint: 'a failed email was given a new attempt budget' },
  { type: 'email.content_edited', hint: 'its content or recipients were edited before it went' },
  { type: 'email.attachments_purged', hint: "its attachments' bytes were deleted after retention" },
] as const satisfies readonly { type: SubscribableEvent; hint: string }[];

/** Subscribes to every event type, present and future. */
export const ALL_EVENTS = '*' satisfies SubscribableEvent;

/** The selection after ticking (or unticking) `type`: `*` stands alone, so it replaces the others. */
export function toggleEvent(
  selected: readonly SubscribableEvent[],
  type: SubscribableEvent,
  checked: boolean,
): SubscribableEvent[] {
  if (type === ALL_EVENTS) return checked ? [ALL_EVENTS] : [];
  const rest = selected.filter((item) => item !== type && item !== ALL_EVENTS);
  if (!checked) return rest;
  // In the order of the list, whatever the order of the clicks.
  return WEBHOOK_EVENTS.map((event) => event.type).filter(
    (item) => item === type || rest.includes(item),
  );
}

export function describeEvents(events: readonly string[]): string {
  if (events.includes(ALL_EVENTS)) return 'all events (*)';
  return events.length === 0 ? 'none' : events.join(', ');
}

export type EndpointTone = 'good' | 'warn' | 'bad';

/** Enabled, enabled but failing, or disabled (by its tenant, or by the dispatcher with its reason). */
export function endpointState(endpoint: Pick<WebhookEndpoint, 'enabled' | 'failingSince'>): {
  readonly label: string;
  readonly tone: EndpointTone;
} {
  if (!endpoint.enabled) return { label: 'disabled', tone: 'bad' };
  if (endpoint.failingSince) return { label: 'failing', tone: 'warn' };
  return { label: 'enabled', tone: 'good' };
}

/** A delivery the api will attempt again on request: any not yet delivered. */
export function canRetry(delivery: Pick<WebhookDelivery, 'status'>): boolean {
  return delivery.status !== 'delivered';
}

/** At most this much of a receiver's answer is shown: the api keeps 1,024 characters. */
export const EXCERPT_LIMIT = 1024;

/**
 * A receiver's answer as plain text that reads as what it is: control characters (an escape sequence, a
 * NUL) and the marks that reverse the direction of text become visible `\u{…}` escapes, tabs and line
 * breaks stay, and more than `limit` characters are cut. React renders it as text, never as markup.
 */
export function plainExcerpt(text: string | null | undefined, limit = EXCERPT_LIMIT): string {
  if (!text) return '';
  const chars = Array.from(text);
  const shown = chars
    .slice(0, limit)
    .map((char) =>
      /[\t\n\r]/.test(char) || !/[\p{Cc}\p{Cf}\u2028\u2029]/u.test(char)
        ? char
        : `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`,
    )
    .join('');
  return chars.length > limit ? `${shown}…` : shown;
}

/** The signed body, indented when it is JSON; as it came otherwise. */
export function formatPayload(payload: unknown): string {
  if (typeof payload === 'string') {
    try {
      return JSON.stringify(JSON.parse(payload) as unknown, null, 2);
    } catch {
      return payload;
    }
  }
  return JSON.stringify(payload, null, 2) ?? '';
}

/** The replay form's `datetime-local` values as the api's request, or the issues to show. */
export function replayRange(
  sinceLocal: string,
  untilLocal: string,
): { readonly since: string; readonly until?: string } | { readonly issues: FieldIssue[] } {
  const since = localInputToIso(sinceLocal);
  const until = untilLocal === '' ? undefined : localInputToIso(untilLocal);
  const issues: FieldIssue[] = [];
  if (since === undefined) issues.push({ field: 'since', reason: 'must be a date and time' });
  if (untilLocal !== '' && until === undefined)
    issues.push({ field: 'until', reason: 'must be a date and time, or empty for now' });
  // Both ends are inclusive: one instant is a range.
  if (since !== undefined && until !== undefined && until < since)
    issues.push({ field: 'until', reason: 'must not be before since' });
  if (issues.length > 0 || since === undefined) return { issues };
  return until === undefined ? { since } : { since, until };
}
