import type { Migration } from '@app/schema-migrations';

export const WEBHOOKS_SCHEMA = 'webhooks';

/** The numbered migrations of the `webhooks` schema. Never edit one once released; add the next number. */
export const WEBHOOKS_MIGRATIONS: readonly Migration[] = [
  {
    version: '001_webhooks',
    sql: `
      -- 001: endpoints per tenant, one delivery per (endpoint, message) with its attempts, and the
      -- dispatcher's checkpoint in the email category.
      CREATE TABLE endpoints (
        id                         uuid        PRIMARY KEY,
        tenant_id                  text        NOT NULL,
        url                        text        NOT NULL,
        description                text,
        -- webhook event types ('email.sent', ...) or '*' for all
        event_types                text[]      NOT NULL,
        enabled                    boolean     NOT NULL DEFAULT true,
        disabled_reason            text,
        disabled_at                timestamptz,
        -- first failure of the current unbroken run of failed attempts; null after a success
        failing_since              timestamptz,
        secret                     text        NOT NULL,
        -- the secret before the last rotation, still signing until previous_secret_expires_at
        previous_secret            text,
        previous_secret_expires_at timestamptz,
        created_at                 timestamptz NOT NULL DEFAULT now(),
        updated_at                 timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX endpoints_by_tenant ON endpoints (tenant_id, created_at, id);

      CREATE TABLE deliveries (
        id               uuid        PRIMARY KEY,
        endpoint_id      uuid        NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
        -- webhook-id: the same for every attempt, retry and replay of one message to one endpoint
        message_id       text        NOT NULL,
        event_type       text        NOT NULL,
        -- null for webhook.test
        email_id         text,
        -- the source event's global position: deliveries of one email to one endpoint go in this order
        event_commit     bigint,
        event_prepare    bigint,
        -- when the source event was recorded (lag is measured from it)
        event_at         timestamptz NOT NULL,
        -- the exact JSON that is signed and sent, byte for byte the same on every attempt
        payload          text        NOT NULL,
        status           text        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts         integer     NOT NULL DEFAULT 0,
        -- attempts made before the last manual retry or replay: the retry schedule counts from here, so a
        -- message sent again gets the whole schedule again
        round_base       integer     NOT NULL DEFAULT 0,
        -- while pending: not before this instant; null once delivered or failed
        next_attempt_at  timestamptz,
        -- a dispatcher attempting it holds it until then; past it the attempt counts as lost
        lease_until      timestamptz,
        leased_by        text,
        last_attempt_at  timestamptz,
        last_status_code integer,
        last_latency_ms  integer,
        last_response    text,
        last_error       text,
        created_at       timestamptz NOT NULL DEFAULT now(),
        delivered_at     timestamptz,
        UNIQUE (endpoint_id, message_id)
      );
      CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
      CREATE INDEX deliveries_of_endpoint ON deliveries (endpoint_id, created_at DESC, id DESC);
      CREATE INDEX deliveries_pending_per_email
        ON deliveries (endpoint_id, email_id, event_commit, event_prepare) WHERE status = 'pending';

      CREATE TABLE attempts (
        delivery_id      uuid        NOT NULL REFERENCES deliveries (id) ON DELETE CASCADE,
        attempt          integer     NOT NULL,
        started_at       timestamptz NOT NULL,
        status_code      integer,
        latency_ms       integer,
        response_excerpt text,
        error            text,
        dispatcher_id    text        NOT NULL,
        PRIMARY KEY (delivery_id, attempt)
      );

      CREATE TABLE checkpoint (
        name             text        PRIMARY KEY,
        commit_position  bigint      NOT NULL,
        prepare_position bigint      NOT NULL,
        updated_at       timestamptz NOT NULL DEFAULT now()
      );`,
  },
];
