-- 001: events, one row each, unique per (stream, revision) and ordered by (transaction id, sequence).
CREATE TABLE events (
  global_position bigserial NOT NULL,
  -- The appending transaction's id. Readers only take rows whose transaction is older than every
  -- transaction still running (pg_snapshot_xmin), and order by (transaction_id, global_position), so
  -- an event that commits later can never sort before one a subscriber has already passed.
  transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
  event_id uuid NOT NULL UNIQUE,
  stream_name text NOT NULL,
  category text NOT NULL,
  revision bigint NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- The optimistic-concurrency guard: two appends made at the same revision collide here.
  PRIMARY KEY (stream_name, revision)
);

CREATE INDEX events_category_order ON events (category, transaction_id, global_position);
