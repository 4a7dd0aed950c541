import { inTransaction } from '@app/platform';
import type { Pool, PoolClient } from 'pg';

/** A delivery this dispatcher holds the lease of, with what it needs to attempt it. */
export interface ClaimedDelivery {
  readonly id: string;
  readonly endpointId: string;
  readonly url: string;
  /** The current secret, then the previous one while its overlap lasts: each signs. */
  readonly secrets: readonly string[];
  readonly messageId: string;
  readonly eventType: string;
  readonly eventAt: Date;
  readonly payload: string;
  /** Attempts made before this one. */
  readonly attempts: number;
  /** Of those, the ones since the last manual retry or replay: where the retry schedule stands. */
  readonly roundAttempts: number;
  /** The lease as claimed: the outcome is recorded only if it is still this one. */
  readonly leaseUntil: Date;
}

export interface ClaimOptions {
  readonly dispatcherId: string;
  /** Deliveries to claim at most (the free slots of this dispatcher). */
  readonly limit: number;
  /** Attempts in flight to one endpoint at most, over all dispatchers. */
  readonly endpointConcurrency: number;
  readonly leaseMs: number;
}

/**
 * A delivery (`d`) that may be attempted now: pending and due, its lease free or expired, no earlier message of
 * the same email to the same endpoint still pending, and not past the fan-out's checkpoint. The last: a replay
 * may enqueue an event the fan-out has not reached, and an earlier event of that email, still to be fanned out,
 * has no row yet to hold it back; once the fan-out has passed it, every earlier one has its row.
 * Both of the claim's statements use it, so an endpoint is picked only for what it can be given (endpoints
 * whose due deliveries all wait behind earlier ones never take a dispatcher's slots).
 */
const CLAIMABLE = `
  d.status = 'pending' AND d.next_attempt_at <= now()
  AND (d.lease_until IS NULL OR d.lease_until <= now())
  AND NOT EXISTS (
    SELECT 1 FROM webhooks.deliveries earlier
     WHERE earlier.endpoint_id = d.endpoint_id AND earlier.email_id = d.email_id
       AND earlier.status = 'pending'
       AND (earlier.event_commit, earlier.event_prepare) < (d.event_commit, d.event_prepare))
  AND (d.event_commit IS NULL
       OR (d.event_commit, d.event_prepare) <= (SELECT commit_position, prepare_position
                                                  FROM webhooks.checkpoint WHERE name = 'fan-out'))`;

/**
 * Claims due deliveries: pending, due, no lease or an expired one (its attempt counts as lost and is made
 * again, with the same webhook-id), of an enabled endpoint, with no earlier pending delivery of the same email
 * to the same endpoint (messages of one email arrive in order), and never more than `endpointConcurrency`
 * unexpired leases per endpoint. The endpoints' rows are locked (SKIP LOCKED) for the claim, so dispatchers
 * claiming at once share the endpoints instead of both counting the same free slots.
 */
export async function claimDueDeliveries(
  pool: Pool,
  options: ClaimOptions,
): Promise<ClaimedDelivery[]> {
  return inTransaction(pool, async (client) => {
    const { rows: endpoints } = await client.query<{ id: string }>(
      `SELECT e.id FROM webhooks.endpoints e
        WHERE e.enabled
          AND EXISTS (SELECT 1 FROM webhooks.deliveries d WHERE d.endpoint_id = e.id AND ${CLAIMABLE})
        ORDER BY random()
        LIMIT $1
        FOR NO KEY UPDATE OF e SKIP LOCKED`,
      [options.limit],
    );
    if (endpoints.length === 0) return [];
    const { rows } = await client.query<ClaimedRow>(
      `WITH in_flight AS (
         SELECT endpoint_id, count(*)::int AS n FROM webhooks.deliveries
          WHERE endpoint_id = ANY($1::uuid[]) AND status = 'pending' AND lease_until > now()
          GROUP BY endpoint_id
       ), due AS (
         SELECT d.id, d.endpoint_id, d.next_attempt_at,
                row_number() OVER (PARTITION BY d.endpoint_id
                                   ORDER BY d.next_attempt_at, d.event_commit, d.event_prepare) AS rank
           FROM webhooks.deliveries d
          WHERE d.endpoint_id = ANY($1::uuid[]) AND ${CLAIMABLE}
       ), picked AS (
         SELECT due.id FROM due LEFT JOIN in_flight USING (endpoint_id)
          WHERE due.rank <= $2 - coalesce(in_flight.n, 0)
          ORDER BY due.next_attempt_at
          LIMIT $3
       )
       UPDATE webhooks.deliveries d
          -- to the millisecond: the lease is compared again, as a JavaScript Date, when the outcome is recorded
          SET lease_until = date_trunc('milliseconds', now() + $4 * interval '1 millisecond'),
              leased_by = $5
         FROM picked, webhooks.endpoints e
        WHERE d.id = picked.id AND e.id = d.endpoint_id
          AND d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until <= now())
      RETURNING d.id, d.endpoint_id, e.url, e.secret,
                CASE WHEN e.previous_secret_expires_at > now() THEN e.previous_secret END AS previous_secret,
                d.message_id, d.event_type, d.event_at, d.payload, d.attempts,
                d.attempts - d.round_base AS round_attempts, d.lease_until`,
      [
        endpoints.map((endpoint) => endpoint.id),
        options.endpointConcurrency,
        options.limit,
        options.leaseMs,
        options.dispatcherId,
      ],
    );
    return rows.map((row) => ({
      id: row.id,
      endpointId: row.endpoint_id,
      url: row.url,
      secrets: row.previous_secret === null ? [row.secret] : [row.secret, row.previous_secret],
      messageId: row.message_id,
      eventType: row.event_type,
      eventAt: row.event_at,
      payload: row.payload,
      attempts: row.attempts,
      roundAttempts: row.round_attempts,
      leaseUntil: row.lease_until,
    }));
  });
}

interface ClaimedRow {
  readonly id: string;
  readonly endpoint_id: string;
  readonly url: string;
  readonly secret: string;
  readonly previous_secret: string | null;
  readonly message_id: string;
  readonly event_type: string;
  readonly event_at: Date;
  readonly payload: string;
  readonly attempts: number;
  readonly round_attempts: number;
  readonly lease_until: Date;
}

/** What one attempt came to, already sanitised for storage. */
export interface AttemptRecord {
  readonly startedAt: Date;
  readonly statusCode: number | null;
  readonly latencyMs: number;
  readonly responseExcerpt: string | null;
  readonly error: string | null;
  /** 2xx. */
  readonly succeeded: boolean;
  /** When the next attempt is due; undefined after a success or the last attempt (then failed). */
  readonly nextAttemptAt: Date | undefined;
}

export type RecordedOutcome =
  | { readonly kind: 'delivered'; readonly firstSuccess: boolean }
  | { readonly kind: 'retry' }
  | { readonly kind: 'failed' }
  /** The lease was no longer ours (it expired and another dispatcher took it, or the api retried it). */
  | { readonly kind: 'lease-lost' };

export interface EndpointDisabling {
  readonly disableAfterMs: number;
}

/**
 * Records an attempt and its consequence in one transaction, only while this dispatcher still holds the lease
 * it claimed: the attempt row, the delivery (delivered, pending again later, or failed), and the endpoint
 * (a 2xx clears failing_since; a failure starts it, and disables the endpoint once it is older than
 * `disableAfterMs`). Returns the endpoint's disabled reason too when this attempt disabled it.
 */
export async function recordAttempt(
  pool: Pool,
  dispatcherId: string,
  delivery: ClaimedDelivery,
  attempt: AttemptRecord,
  disabling: EndpointDisabling,
): Promise<{ outcome: RecordedOutcome; disabledReason?: string }> {
  const status = attempt.succeeded ? 'delivered' : attempt.nextAttemptAt ? 'pending' : 'failed';
  const parameters = [
    delivery.id,
    dispatcherId,
    delivery.leaseUntil,
    status,
    attempt.nextAttemptAt ?? null,
    attempt.startedAt,
    attempt.statusCode,
    attempt.latencyMs,
    attempt.responseExcerpt,
    attempt.error,
  ];
  if (attempt.succeeded) {
    // The common case in one statement (one round trip, its own transaction): a 2xx also ends the endpoint's
    // run of failures.
    const { rows } = await pool.query<RecordedRow>(
      `${RECORD}, endpoint AS (
         UPDATE webhooks.endpoints SET failing_since = NULL
          WHERE id = (SELECT endpoint_id FROM delivery) AND failing_since IS NOT NULL)
       SELECT attempts, first_success FROM delivery`,
      parameters,
    );
    const recorded = rows[0];
    return {
      outcome: recorded
        ? { kind: 'delivered', firstSuccess: recorded.first_success }
        : { kind: 'lease-lost' },
    };
  }
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<RecordedRow>(
      `${RECORD} SELECT attempts, first_success FROM delivery`,
      parameters,
    );
    if (!rows[0]) return { outcome: { kind: 'lease-lost' } };
    const disabledReason = await noteFailure(client, delivery.endpointId, attempt, disabling);
    return { outcome: { kind: status === 'pending' ? 'retry' : 'failed' }, disabledReason };
  });
}

interface RecordedRow {
  readonly attempts: number;
  readonly first_success: boolean;
}

/**
 * The delivery's new state and its attempt row, only under the lease as claimed ($2 leased_by, $3
 * lease_until): nothing when another dispatcher took it over or the api made it pending again meanwhile.
 * `first_success` reads the attempts before this one (the statement's snapshot).
 */
const RECORD = `
  WITH delivery AS (
    UPDATE webhooks.deliveries
       SET status = $4, attempts = attempts + 1,
           next_attempt_at = $5, lease_until = NULL, leased_by = NULL,
           last_attempt_at = $6, last_status_code = $7, last_latency_ms = $8,
           last_response = $9, last_error = $10,
           delivered_at = CASE WHEN $4 = 'delivered' THEN now() ELSE delivered_at END
     WHERE id = $1 AND leased_by = $2 AND lease_until = $3 AND status = 'pending'
    RETURNING id, endpoint_id, attempts,
              NOT EXISTS (SELECT 1 FROM webhooks.attempts a
                           WHERE a.delivery_id = $1 AND a.status_code BETWEEN 200 AND 299) AS first_success
  ), attempt AS (
    INSERT INTO webhooks.attempts
      (delivery_id, attempt, started_at, status_code, latency_ms, response_excerpt, error, dispatcher_id)
    SELECT id, attempts, $6, $7, $8, $9, $10, $2 FROM delivery
  )`;

/** Starts the endpoint's run of failures, or disables it when the run is older than allowed. */
async function noteFailure(
  client: PoolClient,
  endpointId: string,
  attempt: AttemptRecord,
  disabling: EndpointDisabling,
): Promise<string | undefined> {
  const { rows } = await client.query<{ failing_since: Date | null; enabled: boolean }>(
    `SELECT failing_since, enabled FROM webhooks.endpoints WHERE id = $1 FOR NO KEY UPDATE`,
    [endpointId],
  );
  const endpoint = rows[0];
  if (!endpoint) return undefined; // deleted meanwhile: its deliveries went with it
  const failingSince = endpoint.failing_since;
  if (failingSince === null) {
    await client.query(`UPDATE webhooks.endpoints SET failing_since = $2 WHERE id = $1`, [
      endpointId,
      attempt.startedAt,
    ]);
    return undefined;
  }
  if (
    !endpoint.enabled ||
    attempt.startedAt.getTime() - failingSince.getTime() < disabling.disableAfterMs
  ) {
    return undefined;
  }
  const last = attempt.error ?? `HTTP ${attempt.statusCode ?? '?'}`;
  const reason = `failing since ${failingSince.toISOString()}: ${last}`;
  await client.query(
    `UPDATE webhooks.endpoints
        SET enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now()
      WHERE id = $1`,
    [endpointId, reason],
  );
  return reason;
}
