import { ApiProperty } from '@nestjs/swagger';
import {
  DELIVERY_STATUSES,
  type AttemptRow,
  type DeliveryDetailRow,
  type DeliveryRow,
  type DeliveryStatus,
} from './webhooks.repository';

/** One message to one endpoint, and how its delivery stands. */
export class DeliveryView {
  readonly id!: string;
  /** `webhook-id`: the same on every attempt, retry and replay of this message. */
  readonly messageId!: string;
  /** `email.sent`, ..., or `webhook.test`. */
  readonly eventType!: string;
  /** Null for `webhook.test`. */
  readonly emailId!: string | null;
  @ApiProperty({ enum: DELIVERY_STATUSES, enumName: 'WebhookDeliveryStatus' })
  readonly status!: DeliveryStatus;
  readonly attempts!: number;
  /** While pending: not before then (the next retry); null once delivered or failed. */
  readonly nextAttemptAt!: string | null;
  readonly lastAttemptAt!: string | null;
  /** The receiver's HTTP status of the last attempt; null when it got none (timeout, refused). */
  readonly lastStatusCode!: number | null;
  readonly lastLatencyMs!: number | null;
  /** The start of the receiver's answer to the last attempt, capped and sanitised. */
  readonly lastResponse!: string | null;
  /** What went wrong with the last attempt when no answer came (timeout, connection refused, ...). */
  readonly lastError!: string | null;
  readonly createdAt!: string;
  readonly deliveredAt!: string | null;
}

/** A page of `GET /v1/webhooks/:id/deliveries`, newest first. */
export class DeliveryPage {
  @ApiProperty({ type: [DeliveryView] })
  readonly items!: readonly DeliveryView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor!: string | null;
}

/** One attempt of a delivery. */
export class DeliveryAttemptView {
  /** 1 for the first attempt. */
  readonly attempt!: number;
  readonly startedAt!: string;
  readonly statusCode!: number | null;
  readonly latencyMs!: number | null;
  readonly responseExcerpt!: string | null;
  readonly error!: string | null;
}

/** `GET /v1/webhooks/:id/deliveries/:deliveryId`: the delivery, its attempts and what is sent. */
export class DeliveryDetailView extends DeliveryView {
  @ApiProperty({ type: [DeliveryAttemptView] })
  readonly attemptLog!: readonly DeliveryAttemptView[];
  /** The message's JSON body, as signed and sent on every attempt. */
  @ApiProperty({ type: 'object', additionalProperties: true })
  readonly payload!: Record<string, unknown>;
}

/** `POST /v1/webhooks/:id/test`: the test message queued. */
export class TestDeliveryView {
  readonly deliveryId!: string;
  readonly messageId!: string;
}

/** `POST /v1/webhooks/:id/replay`. */
export class ReplayResultView {
  /** Messages queued again (or for the first time) for this endpoint. */
  readonly queued!: number;
  readonly since!: string;
  readonly until!: string;
  /** True when the range held more than one call replays: call again from `nextSince`. */
  readonly truncated?: boolean;
  /** With `truncated`: the `since` of the next call (the same `until`). */
  readonly nextSince?: string;
}

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

export function toDeliveryView(row: DeliveryRow): DeliveryView {
  return {
    id: row.id,
    messageId: row.message_id,
    eventType: row.event_type,
    emailId: row.email_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: iso(row.next_attempt_at),
    lastAttemptAt: iso(row.last_attempt_at),
    lastStatusCode: row.last_status_code,
    lastLatencyMs: row.last_latency_ms,
    lastResponse: row.last_response,
    lastError: row.last_error,
    createdAt: row.created_at.toISOString(),
    deliveredAt: iso(row.delivered_at),
  };
}

export function toDeliveryDetailView(
  row: DeliveryDetailRow,
  attempts: readonly AttemptRow[],
): DeliveryDetailView {
  return {
    ...toDeliveryView(row),
    attemptLog: attempts.map((attempt) => ({
      attempt: attempt.attempt,
      startedAt: attempt.started_at.toISOString(),
      statusCode: attempt.status_code,
      latencyMs: attempt.latency_ms,
      responseExcerpt: attempt.response_excerpt,
      error: attempt.error,
    })),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
  };
}
