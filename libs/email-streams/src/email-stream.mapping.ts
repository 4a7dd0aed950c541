// Domain events ↔ event-store events: stream naming, metadata and event ids.

import { EMAIL_EVENT_SCHEMA_VERSION, isEmailEventType, type EmailEvent } from '@app/domain';
import type { EventToAppend, RecordedEvent } from '@app/event-store';
import { uuidV5 } from './uuid-v5';

export const EMAIL_CATEGORY = 'email';

/** Fixed namespace of event ids derived from a decision id. */
const EVENT_ID_NAMESPACE = '8da41dd5-4233-485f-82ad-f97e3608bb9e';
/** Fixed namespace of email ids derived from (tenant, Idempotency-Key). */
const IDEMPOTENCY_NAMESPACE = '373a0892-405d-4a8f-977f-f6c89f45891d';

const EMAIL_STREAM_PREFIX = `${EMAIL_CATEGORY}-`;

/** One email's stream: `email-<email id>`, in the `email` category. */
export function emailStreamName(emailId: string): string {
  return `${EMAIL_STREAM_PREFIX}${emailId}`;
}

/** The email id of an email's stream (what `emailStreamName` was given); undefined for any other stream. */
export function emailIdOfStream(streamName: string): string | undefined {
  return streamName.startsWith(EMAIL_STREAM_PREFIX)
    ? streamName.slice(EMAIL_STREAM_PREFIX.length)
    : undefined;
}

export function emailIdForIdempotencyKey(tenantId: string, key: string): string {
  // JSON keeps the pair unambiguous whatever characters either part holds.
  return uuidV5(JSON.stringify([tenantId, key]), IDEMPOTENCY_NAMESPACE);
}

/**
 * An event id names one decision (one request, one job execution), never a slot: ids from (stream, revision,
 * type) made two workers claiming one email at one revision write the same ids, and the store took the
 * second claim for a retry of the first, so both sent (ADR 0006). The decision's own retries (the same
 * `decisionId`) get the same ids back, so re-sending an append that did commit is still a no-op; any other
 * decision at that revision is a ConcurrencyError.
 */
export function eventId(decisionId: string, index: number): string {
  return uuidV5(`${decisionId}:${index}`, EVENT_ID_NAMESPACE);
}

export interface EmailEventMetadata {
  readonly [key: string]: unknown;
  readonly correlationId?: string;
  readonly requestHash?: string;
}

export function toEventsToAppend(
  decisionId: string,
  events: readonly EmailEvent[],
  metadata: EmailEventMetadata = {},
): EventToAppend[] {
  return events.map((event, index) => ({
    id: eventId(decisionId, index),
    type: event.type,
    data: { ...event.data },
    metadata: { ...metadata, schemaVersion: EMAIL_EVENT_SCHEMA_VERSION },
  }));
}

export function toEmailEvent(recorded: RecordedEvent): EmailEvent {
  if (!isEmailEventType(recorded.type)) {
    throw new TypeError(
      `Stream ${recorded.streamName} holds an unknown event type ${recorded.type} at revision ${recorded.revision}`,
    );
  }
  return { type: recorded.type, data: recorded.data } as EmailEvent;
}
