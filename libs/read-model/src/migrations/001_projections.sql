-- 001: the projection pointer (which generation is live, checkpoints, rebuild progress) and rebuild requests.
CREATE SEQUENCE generation_seq;

CREATE TABLE projections (
  name text PRIMARY KEY,
  -- The generation readers see, through the views of this schema: tables live in read_model_g<n>.
  active_generation bigint NOT NULL,
  -- The table layout version the active generation was built with (see generation.ts).
  active_version integer NOT NULL,
  state text NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'rebuilding')),
  -- The checkpoint of the active generation: '<commit>/<prepare>', NULL before the first event.
  position text,
  -- Events the active generation has consumed since position 0.
  events bigint NOT NULL DEFAULT 0,
  rebuild_generation bigint,
  rebuild_version integer,
  rebuild_position text,
  rebuild_events bigint NOT NULL DEFAULT 0,
  rebuild_indexed boolean NOT NULL DEFAULT false,
  rebuild_started_at timestamptz,
  last_swap_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Written by whoever wants a rebuild (the api's admin endpoint); the active projector takes them.
CREATE TABLE rebuild_requests (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  requested_at timestamptz NOT NULL DEFAULT now(),
  taken_at timestamptz,
  generation bigint
);

CREATE INDEX rebuild_requests_pending ON rebuild_requests (name, id) WHERE taken_at IS NULL;
