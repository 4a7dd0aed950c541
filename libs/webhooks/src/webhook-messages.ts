import {
  evolve,
  initialState,
  senderEventData,
  type EmailEvent,
  type EmailScheduled,
  type EmailState,
} from '@app/domain';
import type { RecordedEvent } from '@app/event-store';
import { emailIdOfStream, toEmailEvent } from '@app/email-streams';

/**
 * The webhook event types, stable and documented (docs/WEBHOOKS.md). Each names an outcome a client can act
 * on; the worker's claim of an email (EmailSendAttempted) is internal and has none.
 */
export const WEBHOOK_EVENT_TYPES = [
  'email.scheduled',
  'email.rescheduled',
  'email.cancelled',
  'email.deferred',
  'email.attempt_failed',
  'email.sent',
  'email.failed',
  'email.in_doubt',
  'email.paused',
  'email.resumed',
  'email.expired',
  'email.retry_requested',
  'email.content_edited',
  'email.attachments_purged',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent by `POST /v1/webhooks/:id/test` only; never subscribed to. */
export const WEBHOOK_TEST_TYPE = 'webhook.test';

/** What an endpoint subscribes to: event types, or `*` for every one, present and future. */
export const ALL_WEBHOOK_EVENTS = '*';

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** Whether an endpoint subscribed to `subscribed` receives `type`. */
export function subscribesTo(subscribed: readonly string[], type: string): boolean {
  return subscribed.includes(ALL_WEBHOOK_EVENTS) || subscribed.includes(type);
}

/** The body of one webhook message, as documented: the JSON that is signed and sent. */
export interface WebhookPayload {
  readonly type: string;
  /** The message id, also sent as `webhook-id`. */
  readonly id: string;
  /** When the source event was recorded (ISO-8601). */
  readonly timestamp: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** One message derived from one event of an email's stream, addressed to its tenant. */
export interface WebhookMessage {
  readonly tenantId: string;
  readonly emailId: string;
  readonly type: WebhookEventType;
  readonly event: RecordedEvent;
  readonly payload: WebhookPayload;
}

/**
 * A message id per source event: stable across retries, restarts and replays, so a receiver deduplicates on
 * `webhook-id` alone.
 */
export function webhookMessageId(eventId: string): string {
  return `msg_${eventId.replace(/-/g, '')}`;
}

function typeOf(event: EmailEvent): WebhookEventType | undefined {
  switch (event.type) {
    case 'EmailScheduled':
      return 'email.scheduled';
    case 'EmailRescheduled':
      return 'email.rescheduled';
    case 'EmailCancelled':
      return 'email.cancelled';
    case 'EmailDeferred':
      return 'email.deferred';
    case 'EmailSent':
      return 'email.sent';
    case 'EmailFailed':
      return event.data.final ? 'email.failed' : 'email.attempt_failed';
    case 'EmailSendInDoubt':
      return 'email.in_doubt';
    case 'EmailPaused':
      return 'email.paused';
    case 'EmailResumed':
      return 'email.resumed';
    case 'EmailExpired':
      return 'email.expired';
    case 'EmailRetryRequested':
      return 'email.retry_requested';
    case 'EmailContentEdited':
      return 'email.content_edited';
    case 'EmailAttachmentsPurged':
      return 'email.attachments_purged';
    case 'EmailSendAttempted':
      return undefined;
  }
}

/**
 * The event's own fields as its tenant sees them (senderEventData), without what the payload already carries.
 */
function eventFields(event: EmailEvent): Record<string, unknown> {
  switch (event.type) {
    case 'EmailScheduled': {
      // The bodies stay out: a webhook says what happened, and the history has the content.
      const { from, to, cc, bcc, subject, requestedSendAt, sendAt, maxAttempts, scheduledAt } =
        event.data;
      return {
        from,
        to,
        cc,
        bcc,
        subject,
        requestedSendAt,
        sendAt,
        maxAttempts,
        scheduledAt,
        ...askedTiming(event.data),
        ...contentSummary(event.data),
      };
    }
    case 'EmailContentEdited': {
      // Which parts changed, not what they now say (as for EmailScheduled, the history has the content).
      const { editedAt, changes, removed } = event.data;
      return {
        editedAt,
        changed: Object.keys(changes),
        ...(removed === undefined ? {} : { removed }),
      };
    }
    case 'EmailSendAttempted':
    case 'EmailRescheduled':
    case 'EmailCancelled':
    case 'EmailDeferred':
    case 'EmailSent':
    case 'EmailFailed':
    case 'EmailSendInDoubt':
    case 'EmailPaused':
    case 'EmailResumed':
    case 'EmailExpired':
    case 'EmailRetryRequested':
    case 'EmailAttachmentsPurged':
      // What the tenant's own history shows it: no relay text, no worker ids.
      return { ...senderEventData(event) };
  }
}

/**
 * The messages of one email's stream, read from its first event (revision 0) so that each message carries the
 * state folded up to its own revision: `status` is the email's status right after that event. Only the events
 * at or after `fromRevision` give messages.
 */
export function webhookMessagesOf(
  stream: readonly RecordedEvent[],
  fromRevision = 0,
): WebhookMessage[] {
  const messages: WebhookMessage[] = [];
  let state: EmailState = initialState;
  for (const recorded of stream) {
    const event = toEmailEvent(recorded);
    state = evolve(state, event);
    if (recorded.revision < fromRevision || state.status === 'initial') continue;
    const type = typeOf(event);
    if (type === undefined) continue;
    const emailId = emailIdOfStream(recorded.streamName) ?? state.email.emailId;
    const id = webhookMessageId(recorded.id);
    messages.push({
      tenantId: state.email.tenantId,
      emailId,
      type,
      event: recorded,
      payload: {
        type,
        id,
        timestamp: recorded.recordedAt.toISOString(),
        data: {
          ...eventFields(event),
          emailId,
          revision: recorded.revision,
          status: state.status,
          tags: state.email.tags,
          ...(state.email.metadata === undefined ? {} : { metadata: state.email.metadata }),
        },
      },
    });
  }
  return messages;
}

/** What the email carries besides its bodies: its attachments as records (never bytes) and its template. */
function contentSummary(data: EmailScheduled['data']): Record<string, unknown> {
  const { replyTo, attachments, template } = data;
  return {
    ...(replyTo === undefined ? {} : { replyTo }),
    ...(attachments === undefined ? {} : { attachments }),
    ...(template === undefined ? {} : { template: { id: template.id, version: template.version } }),
  };
}

/** What the owner asked about time and grouping, as far as it was asked (absent fields stay absent). */
function askedTiming(data: EmailScheduled['data']): Record<string, unknown> {
  const { timeZone, localSendAt, deliveryWindow, expiresAt, batchId, scheduleId, occurrenceAt } =
    data;
  const asked = {
    timeZone,
    localSendAt,
    deliveryWindow,
    expiresAt,
    batchId,
    scheduleId,
    occurrenceAt,
  };
  return Object.fromEntries(Object.entries(asked).filter(([, value]) => value !== undefined));
}
