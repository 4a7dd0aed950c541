-- 002: append_events(): expected-revision check, idempotent re-append and insert in one round trip.
CREATE FUNCTION append_events(
  p_stream text,
  p_category text,
  p_expected_kind text, -- 'exact' | 'no-stream' | 'any' | 'stream-exists'
  p_expected bigint,
  p_events jsonb -- [{id, type, data, metadata}]
) RETURNS TABLE (next_revision bigint, transaction_id text, global_position bigint)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  n integer := jsonb_array_length(p_events);
  first_id uuid := (p_events -> 0 ->> 'id')::uuid;
  new_revision bigint;
  actual bigint;
  existing record;
BEGIN
  IF p_expected_kind = 'exact' THEN
    UPDATE streams SET revision = revision + n
      WHERE stream_name = p_stream AND revision = p_expected
      RETURNING revision INTO new_revision;
  ELSIF p_expected_kind = 'no-stream' THEN
    INSERT INTO streams (stream_name, revision) VALUES (p_stream, n - 1)
      ON CONFLICT (stream_name) DO NOTHING
      RETURNING revision INTO new_revision;
  ELSIF p_expected_kind = 'stream-exists' THEN
    UPDATE streams SET revision = revision + n
      WHERE stream_name = p_stream
      RETURNING revision INTO new_revision;
  ELSIF p_expected_kind = 'any' THEN
    -- With no expectation only the event ids can tell a retry from a new append.
    SELECT e.stream_name, e.revision INTO existing FROM events e WHERE e.event_id = first_id;
    IF NOT FOUND THEN
      INSERT INTO streams (stream_name, revision) VALUES (p_stream, n - 1)
        ON CONFLICT (stream_name) DO UPDATE SET revision = streams.revision + n
        RETURNING revision INTO new_revision;
    END IF;
  ELSE
    RAISE EXCEPTION 'unknown expected revision kind %', p_expected_kind;
  END IF;

  IF new_revision IS NULL THEN
    -- The expectation failed. If these very events are already stored where this append would
    -- have put them, it is a retry of an append that succeeded: answer as it was answered then.
    SELECT
      max(e.revision) AS last_revision,
      max(e.transaction_id::text) AS xid,
      max(e.global_position) AS last_position,
      count(*) AS matched,
      min(e.revision) AS first_revision
    INTO existing
    FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, ord)
    JOIN events e ON e.event_id = (x.ev ->> 'id')::uuid
      AND e.stream_name = p_stream
      AND e.revision = (CASE p_expected_kind WHEN 'exact' THEN p_expected WHEN 'no-stream' THEN -1
                        ELSE (SELECT min(f.revision) - 1 FROM events f WHERE f.event_id = first_id) END)
                       + x.ord;
    IF existing.matched = n THEN
      RETURN QUERY
        SELECT s.revision, existing.xid, existing.last_position FROM streams s WHERE s.stream_name = p_stream;
      RETURN;
    END IF;
    SELECT s.revision INTO actual FROM streams s WHERE s.stream_name = p_stream;
    RAISE EXCEPTION USING
      ERRCODE = 'ES409',
      MESSAGE = 'wrong expected revision',
      DETAIL = coalesce(actual::text, 'no-stream');
  END IF;

  RETURN QUERY
    WITH inserted AS (
      INSERT INTO events (event_id, stream_name, category, revision, type, data, metadata)
      SELECT (x.ev ->> 'id')::uuid, p_stream, p_category, new_revision - n + x.ord, x.ev ->> 'type',
             x.ev -> 'data', coalesce(x.ev -> 'metadata', '{}'::jsonb)
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, ord)
      ORDER BY x.ord
      RETURNING events.global_position
    )
    SELECT new_revision, pg_current_xact_id()::text, max(inserted.global_position) FROM inserted;
END;
$$;
