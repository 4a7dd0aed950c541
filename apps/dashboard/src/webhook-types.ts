// The webhooks routes' requests and answers, written by hand after apps/api/src/webhooks (its views and DTOs,
// named in each comment) until api-schema.ts has them: once `npm run contract` has generated them, types.ts
// aliases the generated schemas instead and this file goes.

/** What an endpoint may subscribe to: a webhook event type, or `*` for all. */
export type SubscribableEvent =
  | 'email.scheduled'
  | 'email.rescheduled'
  | 'email.cancelled'
  | 'email.deferred'
  | 'email.attempt_failed'
  | 'email.sent'
  | 'email.failed'
  | 'email.in_doubt'
  | '*';

/** WebhookDeliveryStatus */
export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** WebhookView: an endpoint as the api shows it; its secret is never in it. */
export interface WebhookEndpoint {
  readonly id: string;
  /** The tenant whose events it receives. */
  readonly tenantId: string;
  readonly url: string;
  /** Webhook event types, or `*` for all of them. */
  readonly events: readonly string[];
  readonly description: string | null;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly disabledAt: string | null;
  /** The first failure of the current unbroken run of failed attempts. */
  readonly failingSince: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** CreatedWebhookView: the answer to a creation: the signing secret, shown this once. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  readonly secret: string;
}

/** RotatedWebhookView: the new secret, shown this once; the old one signs beside it until it expires. */
export interface RotatedWebhookSecret extends CreatedWebhookEndpoint {
  readonly previousSecretExpiresAt: string;
}

/** WebhookList */
export interface WebhookEndpointList {
  readonly items: readonly WebhookEndpoint[];
}

/** CreateWebhookDto */
export interface CreateWebhookRequest {
  url: string;
  events: SubscribableEvent[];
  description?: string | null;
  /** Admin keys only: the tenant whose events it receives (default: the key's own). */
  tenantId?: string;
}

/** UpdateWebhookDto */
export interface UpdateWebhookRequest {
  url?: string;
  events?: SubscribableEvent[];
  description?: string | null;
  enabled?: boolean;
}

/** DeliveryView */
export interface WebhookDelivery {
  readonly id: string;
  /** The `webhook-id` header: the same on every attempt, retry and replay. */
  readonly messageId: string;
  readonly eventType: string;
  /** Null for `webhook.test`. */
  readonly emailId: string | null;
  readonly status: WebhookDeliveryStatus;
  readonly attempts: number;
  readonly nextAttemptAt: string | null;
  readonly lastAttemptAt: string | null;
  readonly lastStatusCode: number | null;
  readonly lastLatencyMs: number | null;
  /** The start of the receiver's last answer: untrusted text. */
  readonly lastResponse: string | null;
  readonly lastError: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
}

/** DeliveryPage */
export interface WebhookDeliveryPage {
  readonly items: readonly WebhookDelivery[];
  readonly nextCursor: string | null;
}

/** DeliveryAttemptView */
export interface WebhookAttempt {
  readonly attempt: number;
  readonly startedAt: string;
  readonly statusCode: number | null;
  readonly latencyMs: number | null;
  readonly responseExcerpt: string | null;
  readonly error: string | null;
}

/** DeliveryDetailView */
export interface WebhookDeliveryDetail extends WebhookDelivery {
  readonly attemptLog: readonly WebhookAttempt[];
  /** The message's JSON body, as signed and sent on every attempt. */
  readonly payload: { readonly [key: string]: unknown };
}

/** ReplayWebhookDto: both instants inclusive; until defaults to now. */
export interface WebhookReplayRequest {
  since: string;
  until?: string;
}

/** ReplayResultView */
export interface WebhookReplayResult {
  readonly queued: number;
  readonly since: string;
  readonly until: string;
  /** The range held more than one call replays: call again from `nextSince` (the same `until`). */
  readonly truncated?: boolean;
  readonly nextSince?: string;
}

/** TestDeliveryView */
export interface WebhookTestResult {
  readonly deliveryId: string;
  readonly messageId: string;
}
