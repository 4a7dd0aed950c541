import { randomUUID } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { subscribesTo, type WebhookMessage } from './webhook-messages';

/** What a delivery is made from: one message for one endpoint. */
export interface DeliveryToEnqueue {
  readonly endpointId: string;
  /** `webhook-id`: one per source event (webhookMessageId), or a fresh one for a test. */
  readonly messageId: string;
  readonly eventType: string;
  /** Null for a test message. */
  readonly emailId: string | null;
  /** The source event's position; null for a test message. */
  readonly position: { readonly commit: bigint; readonly prepare: bigint } | null;
  readonly eventAt: Date;
  /** The JSON text signed and sent on every attempt. */
  readonly payload: string;
}

/** The part of an endpoint that decides whether it receives a message. */
export interface EndpointSubscription {
  readonly id: string;
  readonly tenantId: string;
  readonly eventTypes: readonly string[];
}

/**
 * The deliveries of `messages` to the endpoints subscribed to them: only an endpoint of the message's own tenant
 * ever receives it. Kept in the messages' order, which enqueueDeliveries keeps.
 */
export function deliveriesFor(
  messages: readonly WebhookMessage[],
  endpoints: readonly EndpointSubscription[],
): DeliveryToEnqueue[] {
  const deliveries: DeliveryToEnqueue[] = [];
  for (const message of messages) {
    const payload = JSON.stringify(message.payload);
    for (const endpoint of endpoints) {
      if (endpoint.tenantId !== message.tenantId) continue;
      if (!subscribesTo(endpoint.eventTypes, message.type)) continue;
      deliveries.push({
        endpointId: endpoint.id,
        messageId: message.payload.id,
        eventType: message.type,
        emailId: message.emailId,
        position: message.event.position,
        eventAt: message.event.recordedAt,
        payload,
      });
    }
  }
  return deliveries;
}

export interface EnqueueOptions {
  /**
   * What to do with a message the endpoint already has a delivery of. `keep` (the fan-out, which may see an
   * event again after a crash before its checkpoint moved): leave it as it is, so a delivered message is not
   * sent again. `again` (replay, manual retry): back to pending and due now with the whole retry schedule
   * again, its attempt log kept; one in flight is left to finish as that re-send.
   */
  readonly existing: 'keep' | 'again';
}

/**
 * The one way rows enter `webhooks.deliveries`: each becomes pending and due now. Runs on the caller's client
 * so the fan-out can move its checkpoint in the same transaction. Returns how many rows were inserted or made
 * pending again.
 */
export async function enqueueDeliveries(
  db: Pool | PoolClient,
  deliveries: readonly DeliveryToEnqueue[],
  options: EnqueueOptions,
): Promise<number> {
  if (deliveries.length === 0) return 0;
  const rows = deliveries.map((delivery) => ({
    id: randomUUID(),
    endpoint_id: delivery.endpointId,
    message_id: delivery.messageId,
    event_type: delivery.eventType,
    email_id: delivery.emailId,
    event_commit: delivery.position?.commit.toString() ?? null,
    event_prepare: delivery.position?.prepare.toString() ?? null,
    event_at: delivery.eventAt.toISOString(),
    payload: delivery.payload,
  }));
  const onConflict =
    options.existing === 'again'
      ? // A delivery in flight keeps its lease: that attempt is the re-send, and no other dispatcher may
        // start a second one beside it (nor its outcome be dropped as a lost lease).
        `DO UPDATE SET status = 'pending', next_attempt_at = now(), delivered_at = NULL,
                       round_base = webhooks.deliveries.attempts`
      : 'DO NOTHING';
  const result = await db.query(
    `INSERT INTO webhooks.deliveries
       (id, endpoint_id, message_id, event_type, email_id, event_commit, event_prepare, event_at, payload,
        status, next_attempt_at)
     SELECT x.id, x.endpoint_id, x.message_id, x.event_type, x.email_id, x.event_commit, x.event_prepare,
            x.event_at, x.payload, 'pending', now()
       FROM jsonb_to_recordset($1::jsonb) AS x(id uuid, endpoint_id uuid, message_id text, event_type text,
            email_id text, event_commit bigint, event_prepare bigint, event_at timestamptz, payload text)
     ON CONFLICT (endpoint_id, message_id) ${onConflict}`,
    [JSON.stringify(rows)],
  );
  return result.rowCount ?? 0;
}
