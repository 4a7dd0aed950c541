// Editing a scheduled or paused email's content (PATCH /v1/emails/:id, If-Match its revision): the form's
// values, and the JSON merge patch that changes only what was edited (null removes a part).
import { formatAddresses, splitAddresses } from './format';
import { type KeyValueRow, objectToRows, rowsToObject } from './message-parts';
import type { EmailView, HistoryEvent } from './types';

export interface ContentDraft {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Addresses as typed, comma-separated. */
  readonly to: string;
  readonly cc: string;
  readonly bcc: string;
  readonly replyTo: string;
  readonly metadata: readonly KeyValueRow[];
}

export interface Bodies {
  readonly text?: string;
  readonly html?: string;
}

/**
 * The email's text and html now: as scheduled, then as each content edit changed or removed them. The
 * read model's row has no bodies; the history has them all.
 */
export function currentBodies(events: readonly Pick<HistoryEvent, 'type' | 'data'>[]): Bodies {
  let bodies: Record<'text' | 'html', string | undefined> = { text: undefined, html: undefined };
  const stringOr = (value: unknown, otherwise: string | undefined): string | undefined =>
    typeof value === 'string' ? value : otherwise;
  for (const { type, data } of events) {
    if (type === 'EmailScheduled') {
      bodies = { text: stringOr(data.text, undefined), html: stringOr(data.html, undefined) };
    } else if (type === 'EmailContentEdited') {
      const changes = (data.changes ?? {}) as Record<string, unknown>;
      const removed = Array.isArray(data.removed) ? (data.removed as unknown[]) : [];
      bodies = {
        text: removed.includes('text') ? undefined : stringOr(changes.text, bodies.text),
        html: removed.includes('html') ? undefined : stringOr(changes.html, bodies.html),
      };
    }
  }
  return {
    ...(bodies.text === undefined ? {} : { text: bodies.text }),
    ...(bodies.html === undefined ? {} : { html: bodies.html }),
  };
}

export function contentDraft(email: EmailView, bodies: Bodies): ContentDraft {
  return {
    subject: email.subject,
    text: bodies.text ?? '',
    html: bodies.html ?? '',
    to: formatAddresses(email.to),
    cc: formatAddresses(email.cc),
    bcc: formatAddresses(email.bcc),
    replyTo: formatAddresses(email.replyTo ?? []),
    metadata: objectToRows(email.metadata),
  };
}

/**
 * The PATCH body: each part that differs from the form's start, an emptied optional part as null (removed).
 * An unchanged part is left out, so an edit of the subject never re-sends (or re-checks) the recipients.
 */
export function contentChanges(before: ContentDraft, after: ContentDraft): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  if (after.subject !== before.subject) changes.subject = after.subject;
  for (const body of ['text', 'html'] as const) {
    if (after[body] !== before[body]) changes[body] = after[body] === '' ? null : after[body];
  }
  for (const list of ['to', 'cc', 'bcc', 'replyTo'] as const) {
    const was = splitAddresses(before[list]);
    const now = splitAddresses(after[list]);
    if (now.join('\n') === was.join('\n')) continue;
    // `to` is required: an empty list is sent as one, for the api to refuse by name.
    changes[list] = now.length === 0 && list !== 'to' ? null : now;
  }
  const metadataBefore = rowsToObject(before.metadata);
  const metadataAfter = rowsToObject(after.metadata);
  if (JSON.stringify(metadataAfter) !== JSON.stringify(metadataBefore))
    changes.metadata = metadataAfter ?? null;
  return changes;
}
