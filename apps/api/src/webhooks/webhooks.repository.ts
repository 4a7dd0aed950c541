import type { Pool } from 'pg';
import { migrateSchema } from '@app/schema-migrations';
import {
  WEBHOOKS_MIGRATIONS,
  WEBHOOKS_SCHEMA,
  enqueueDeliveries,
  type DeliveryToEnqueue,
  type EndpointSubscription,
  type EnqueueOptions,
} from '@app/webhooks';

/** One row of `webhooks.endpoints`. */
export interface EndpointRow {
  readonly id: string;
  readonly tenant_id: string;
  readonly url: string;
  readonly description: string | null;
  readonly event_types: string[];
  readonly enabled: boolean;
  readonly disabled_reason: string | null;
  readonly disabled_at: Date | null;
  readonly failing_since: Date | null;
  readonly secret: string;
  readonly previous_secret: string | null;
  readonly previous_secret_expires_at: Date | null;
  readonly created_at: Date;
  readonly updated_at: Date;
}

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One row of `webhooks.deliveries` as the log shows it (no payload, no lease). */
export interface DeliveryRow {
  readonly id: string;
  readonly message_id: string;
  readonly event_type: string;
  readonly email_id: string | null;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly next_attempt_at: Date | null;
  readonly last_attempt_at: Date | null;
  readonly last_status_code: number | null;
  readonly last_latency_ms: number | null;
  readonly last_response: string | null;
  readonly last_error: string | null;
  readonly created_at: Date;
  readonly delivered_at: Date | null;
  /** created_at as Postgres's own text at microsecond precision: the page cursor's part. */
  readonly created_at_text: string;
}

export interface DeliveryDetailRow extends DeliveryRow {
  readonly event_commit: string | null;
  readonly event_prepare: string | null;
  readonly event_at: Date;
  readonly payload: string;
}

export interface AttemptRow {
  readonly attempt: number;
  readonly started_at: Date;
  readonly status_code: number | null;
  readonly latency_ms: number | null;
  readonly response_excerpt: string | null;
  readonly error: string | null;
}

/**
 * Whose endpoints a caller may touch: a tenant id (a sender key: its own only), or `undefined` for any
 * (an admin, by id). Every lookup filters on it, so another tenant's endpoint is simply not found.
 */
export type Owner = string | undefined;

export interface NewEndpoint {
  readonly id: string;
  readonly tenantId: string;
  readonly url: string;
  readonly description: string | null;
  readonly eventTypes: readonly string[];
  readonly secret: string;
}

/** What a PATCH changes; an absent field stays as it is, a null description is cleared. */
export interface EndpointChanges {
  readonly url?: string;
  readonly description?: string | null;
  readonly eventTypes?: readonly string[];
  readonly enabled?: boolean;
}

export interface DeliveryCursor {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ` */
  readonly createdAt: string;
  readonly id: string;
}

const ENDPOINT_COLUMNS = `id, tenant_id, url, description, event_types, enabled, disabled_reason, disabled_at,
  failing_since, secret, previous_secret, previous_secret_expires_at, created_at, updated_at`;
const DELIVERY_COLUMNS = `id, message_id, event_type, email_id, status, attempts, next_attempt_at,
  last_attempt_at, last_status_code, last_latency_ms, last_response, last_error, created_at, delivered_at,
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_text`;
const OWNED = `id = $1 AND ($2::text IS NULL OR tenant_id = $2)`;

/** Why an endpoint disabled through the api is disabled (the dispatcher writes its own reasons). */
export const DISABLED_BY_REQUEST = 'disabled through the API';

/** `webhooks.endpoints`, `webhooks.deliveries` and `webhooks.attempts` as the api reads and edits them. */
export class WebhooksRepository {
  constructor(private readonly pool: Pool) {}

  /** Creates or updates the `webhooks` schema; the api runs it at start. */
  migrate(): Promise<void> {
    return migrateSchema(this.pool, WEBHOOKS_SCHEMA, WEBHOOKS_MIGRATIONS);
  }

  /**
   * Inserts the endpoint unless its tenant already has `maxPerTenant`: counted and inserted under a lock per
   * tenant, so two creates racing at the limit cannot both pass. Undefined when the tenant is full.
   */
  async create(endpoint: NewEndpoint, maxPerTenant: number): Promise<EndpointRow | undefined> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('webhooks:endpoints:' || $1))`, [
        endpoint.tenantId,
      ]);
      const { rows: counted } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM webhooks.endpoints WHERE tenant_id = $1`,
        [endpoint.tenantId],
      );
      if ((counted[0]?.n ?? 0) >= maxPerTenant) {
        await client.query('ROLLBACK');
        return undefined;
      }
      const { rows } = await client.query<EndpointRow>(
        `INSERT INTO webhooks.endpoints (id, tenant_id, url, description, event_types, secret)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${ENDPOINT_COLUMNS}`,
        [
          endpoint.id,
          endpoint.tenantId,
          endpoint.url,
          endpoint.description,
          [...endpoint.eventTypes],
          endpoint.secret,
        ],
      );
      await client.query('COMMIT');
      return rows[0];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The tenant's endpoints, oldest first. */
  async list(tenantId: string): Promise<EndpointRow[]> {
    const { rows } = await this.pool.query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhooks.endpoints WHERE tenant_id = $1 ORDER BY created_at, id`,
      [tenantId],
    );
    return rows;
  }

  async get(id: string, owner: Owner): Promise<EndpointRow | undefined> {
    const { rows } = await this.pool.query<EndpointRow>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhooks.endpoints WHERE ${OWNED}`,
      [id, owner ?? null],
    );
    return rows[0];
  }

  /**
   * Applies a PATCH. Enabling clears the reason, the time and the failing run it was disabled for (its pending
   * deliveries resume); disabling an enabled endpoint records that it was asked for.
   */
  async update(
    id: string,
    owner: Owner,
    changes: EndpointChanges,
  ): Promise<EndpointRow | undefined> {
    const { rows } = await this.pool.query<EndpointRow>(
      `UPDATE webhooks.endpoints SET
         url = coalesce($3, url),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END,
         event_types = coalesce($6, event_types),
         enabled = coalesce($7, enabled),
         disabled_reason = CASE WHEN $7 IS TRUE THEN NULL
                                WHEN $7 IS FALSE AND enabled THEN $8 ELSE disabled_reason END,
         disabled_at = CASE WHEN $7 IS TRUE THEN NULL
                            WHEN $7 IS FALSE AND enabled THEN now() ELSE disabled_at END,
         failing_since = CASE WHEN $7 IS TRUE THEN NULL ELSE failing_since END,
         updated_at = now()
       WHERE ${OWNED}
       RETURNING ${ENDPOINT_COLUMNS}`,
      [
        id,
        owner ?? null,
        changes.url ?? null,
        changes.description !== undefined,
        changes.description ?? null,
        changes.eventTypes === undefined ? null : [...changes.eventTypes],
        changes.enabled ?? null,
        DISABLED_BY_REQUEST,
      ],
    );
    return rows[0];
  }

  /**
   * The new secret signs from now on; the one it replaces keeps signing beside it for `overlapMs`. Only one
   * previous secret is kept: rotating again inside the overlap drops the older one at once.
   */
  async rotateSecret(
    id: string,
    owner: Owner,
    secret: string,
    overlapMs: number,
  ): Promise<EndpointRow | undefined> {
    const { rows } = await this.pool.query<EndpointRow>(
      `UPDATE webhooks.endpoints SET
         previous_secret = secret,
         previous_secret_expires_at = now() + $4 * interval '1 millisecond',
         secret = $3,
         updated_at = now()
       WHERE ${OWNED}
       RETURNING ${ENDPOINT_COLUMNS}`,
      [id, owner ?? null, secret, overlapMs],
    );
    return rows[0];
  }

  /** Deletes the endpoint, its deliveries and their attempts (ON DELETE CASCADE). */
  async delete(id: string, owner: Owner): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM webhooks.endpoints WHERE ${OWNED}`, [
      id,
      owner ?? null,
    ]);
    return (rowCount ?? 0) > 0;
  }

  /** Queues deliveries the one way there is (`@app/webhooks` enqueueDeliveries); how many rows it touched. */
  enqueue(deliveries: readonly DeliveryToEnqueue[], options: EnqueueOptions): Promise<number> {
    return enqueueDeliveries(this.pool, deliveries, options);
  }

  /** A page of the endpoint's deliveries, newest first by (created_at, id); one more row tells a next page. */
  async deliveries(
    endpointId: string,
    filter: { readonly status?: DeliveryStatus; readonly after?: DeliveryCursor },
    limit: number,
  ): Promise<DeliveryRow[]> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhooks.deliveries
        WHERE endpoint_id = $1
          AND ($2::text IS NULL OR status = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
        ORDER BY created_at DESC, id DESC
        LIMIT $5`,
      [
        endpointId,
        filter.status ?? null,
        filter.after?.createdAt ?? null,
        filter.after?.id ?? null,
        limit,
      ],
    );
    return rows;
  }

  async delivery(endpointId: string, deliveryId: string): Promise<DeliveryDetailRow | undefined> {
    const { rows } = await this.pool.query<DeliveryDetailRow>(
      `SELECT ${DELIVERY_COLUMNS}, event_commit, event_prepare, event_at, payload
         FROM webhooks.deliveries WHERE endpoint_id = $1 AND id = $2`,
      [endpointId, deliveryId],
    );
    return rows[0];
  }

  async deliveryByMessage(endpointId: string, messageId: string): Promise<DeliveryRow | undefined> {
    const { rows } = await this.pool.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhooks.deliveries WHERE endpoint_id = $1 AND message_id = $2`,
      [endpointId, messageId],
    );
    return rows[0];
  }

  /** The attempt log of one delivery, first attempt first. */
  async attempts(deliveryId: string): Promise<AttemptRow[]> {
    const { rows } = await this.pool.query<AttemptRow>(
      `SELECT attempt, started_at, status_code, latency_ms, response_excerpt, error
         FROM webhooks.attempts WHERE delivery_id = $1 ORDER BY attempt`,
      [deliveryId],
    );
    return rows;
  }
}

/** The part of an endpoint deliveriesFor reads. */
export function subscriptionOf(endpoint: EndpointRow): EndpointSubscription {
  return { id: endpoint.id, tenantId: endpoint.tenant_id, eventTypes: endpoint.event_types };
}

/** A stored delivery as enqueueDeliveries takes it again (manual retry): the very message, byte for byte. */
export function deliveryAgain(endpointId: string, row: DeliveryDetailRow): DeliveryToEnqueue {
  return {
    endpointId,
    messageId: row.message_id,
    eventType: row.event_type,
    emailId: row.email_id,
    position:
      row.event_commit === null || row.event_prepare === null
        ? null
        : { commit: BigInt(row.event_commit), prepare: BigInt(row.event_prepare) },
    eventAt: row.event_at,
    payload: row.payload,
  };
}
