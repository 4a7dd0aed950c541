import { ApiProperty } from '@nestjs/swagger';
import { SUBSCRIBABLE_EVENTS } from './dto/create-webhook.dto';
import type { EndpointRow } from './webhooks.repository';

// Response views: classes only so that OpenAPI can describe them (the swagger plugin reads the `.view.ts`
// files at `nest build`); the api answers with plain objects of these shapes.

/** An endpoint as `GET /v1/webhooks` and `GET /v1/webhooks/:id` show it: never its secret. */
export class WebhookView {
  readonly id!: string;
  /** The tenant whose events it receives. */
  readonly tenantId!: string;
  readonly url!: string;
  /** Webhook event types (`email.sent`, ...) or `*` for every one, present and future. */
  @ApiProperty({ enum: SUBSCRIBABLE_EVENTS, enumName: 'WebhookEventSubscription', isArray: true })
  readonly events!: readonly string[];
  readonly description!: string | null;
  /** False once disabled (through the api, or by the dispatcher after failing for too long). */
  readonly enabled!: boolean;
  /** Why it is disabled; null while enabled. */
  readonly disabledReason!: string | null;
  readonly disabledAt!: string | null;
  /** When its current run of failed attempts began; null after a success. */
  readonly failingSince!: string | null;
  readonly createdAt!: string;
  readonly updatedAt!: string;
}

/** `POST /v1/webhooks`: the endpoint and its signing secret, shown this once. */
export class CreatedWebhookView extends WebhookView {
  /** `whsec_…`: verify each delivery's `webhook-signature` with it (Standard Webhooks). */
  readonly secret!: string;
}

/** `POST /v1/webhooks/:id/rotate-secret`: the new secret, shown this once. */
export class RotatedWebhookView extends CreatedWebhookView {
  /**
   * Until then deliveries carry a signature by the previous secret too (WEBHOOK_SECRET_OVERLAP after the
   * rotation). A second rotation before it ends drops the older secret at once.
   */
  readonly previousSecretExpiresAt!: string;
}

/** `GET /v1/webhooks`. */
export class WebhookList {
  @ApiProperty({ type: [WebhookView] })
  readonly items!: readonly WebhookView[];
}

const iso = (value: Date | null): string | null => (value === null ? null : value.toISOString());

export function toWebhookView(row: EndpointRow): WebhookView {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    events: row.event_types,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    disabledAt: iso(row.disabled_at),
    failingSince: iso(row.failing_since),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
