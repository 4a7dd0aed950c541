// Domain events ↔ event-store events: stream naming, metadata and deterministic event ids.

import { EMAIL_EVENT_SCHEMA_VERSION, isEmailEventType, type EmailEvent } from '@app/domain';
import type { EventToAppend, ExpectedRevision, RecordedEvent } from '@app/event-store';
import { uuidV5 } from './uuid-v5';

export const EMAIL_CATEGORY = 'email';

/** Fixed namespace of event ids: changing it would make retried appends duplicates. */
const EVENT_ID_NAMESPACE = '8da41dd5-4233-485f-82ad-f97e3608bb9e';
/** Fixed namespace of email ids derived from (tenant, Idempotency-Key). */
const IDEMPOTENCY_NAMESPACE = '373a0892-405d-4a8f-977f-f6c89f45891d';

export function emailStreamName(emailId: string): string {
  return `${EMAIL_CATEGORY}-${emailId}`;
}

export function emailIdForIdempotencyKey(tenantId: string, key: string): string {
  // JSON keeps the pair unambiguous whatever characters either part holds.
  return uuidV5(JSON.stringify([tenantId, key]), IDEMPOTENCY_NAMESPACE);
}

/** The same decision at the same revision always yields the same ids, so a retried append is a no-op. */
export function eventId(
  streamName: string,
  expectedRevision: ExpectedRevision,
  index: number,
  type: string,
): string {
  return uuidV5(`${streamName}:${String(expectedRevision)}:${index}:${type}`, EVENT_ID_NAMESPACE);
}

export interface EmailEventMetadata {
  readonly [key: string]: unknown;
  readonly correlationId?: string;
  readonly requestHash?: string;
}

export function toEventsToAppend(
  streamName: string,
  expectedRevision: ExpectedRevision,
  events: readonly EmailEvent[],
  metadata: EmailEventMetadata = {},
): EventToAppend[] {
  return events.map((event, index) => ({
    id: eventId(streamName, expectedRevision, index, event.type),
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
