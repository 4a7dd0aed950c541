// The webhooks routes' answers, written by hand until api-schema.ts has them: once `npm run contract` has
// generated them, types.ts aliases the generated schemas instead and this file goes.

export type WebhookDeliveryStatus = 'pending' | 'delivered' | 'failed';

/** An endpoint as the api shows it; its secret is never in it. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly url: string;
  /** Webhook event types, or `*` for all of them. */
  readonly events: string[];
  readonly description: string | null;
  readonly enabled: boolean;
  readonly disabledReason: string | null;
  readonly disabledAt: string | null;
  /** The first failure of the current unbroken run of failed attempts. */
  readonly failingSince: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The answer to a creation: the signing secret, shown this once. */
export interface CreatedWebhookEndpoint extends WebhookEndpoint {
  readonly secret: string;
}

/** The answer to a rotation: the new secret, shown this once; the old one signs until it expires. */
export interface RotatedWebhookSecret extends CreatedWebhookEndpoint {
  readonly previousSecretExpiresAt: string | null;
}

export interface WebhookEndpointList {
  readonly items: WebhookEndpoint[];
}

export interface CreateWebhookRequest {
  readonly url: string;
  readonly events: string[];
  readonly description?: string;
}

export interface UpdateWebhookRequest {
  readonly url?: string;
  readonly events?: string[];
  readonly description?: string;
  readonly enabled?: boolean;
}

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

export interface WebhookDeliveryPage {
  readonly items: WebhookDelivery[];
  readonly nextCursor: string | null;
}

export interface WebhookAttempt {
  readonly attempt: number;
  readonly startedAt: string;
  readonly statusCode: number | null;
  readonly latencyMs: number | null;
  readonly responseExcerpt: string | null;
  readonly error: string | null;
}

export interface WebhookDeliveryDetail extends WebhookDelivery {
  readonly attemptLog: WebhookAttempt[];
  /** The signed body: the JSON text, or the api's parse of it. */
  readonly payload: unknown;
}

export interface WebhookReplayRequest {
  readonly since: string;
  readonly until?: string;
}

export interface WebhookReplayResult {
  readonly queued: number;
  readonly since: string;
  readonly until: string | null;
}

export interface WebhookTestResult {
  readonly deliveryId: string;
  readonly messageId: string;
}
