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
  current_revision bigint;
  expectation_met boolean;
  inserted integer;
  last_position bigint;
  existing record;
BEGIN
  -- One appender per stream at a time, locked before this transaction takes its id: the previous
  -- append to the stream has then committed with a smaller transaction id, so the category order
  -- (transaction_id, global_position) keeps every stream's revisions in order. Other streams
  -- append in parallel.
  PERFORM pg_advisory_xact_lock(hashtextextended(p_stream, 0));

  SELECT max(e.revision) INTO current_revision FROM events e WHERE e.stream_name = p_stream;
  expectation_met := CASE p_expected_kind
    WHEN 'exact' THEN current_revision IS NOT DISTINCT FROM p_expected
    WHEN 'no-stream' THEN current_revision IS NULL
    WHEN 'stream-exists' THEN current_revision IS NOT NULL
    -- With no expectation only the event ids can tell a retry from a new append.
    WHEN 'any' THEN NOT EXISTS (
      SELECT 1 FROM events e WHERE e.event_id = (p_events -> 0 ->> 'id')::uuid)
  END;

  IF expectation_met THEN
    WITH rows AS (
      INSERT INTO events (event_id, stream_name, category, revision, type, data, metadata)
      SELECT (x.ev ->> 'id')::uuid, p_stream, p_category, coalesce(current_revision, -1) + x.ord,
             x.ev ->> 'type', x.ev -> 'data', coalesce(x.ev -> 'metadata', '{}'::jsonb)
      FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(ev, ord)
      ORDER BY x.ord
      ON CONFLICT (event_id) DO NOTHING
      RETURNING events.global_position
    )
    SELECT count(*), max(rows.global_position) INTO inserted, last_position FROM rows;
    IF inserted = n THEN
      RETURN QUERY SELECT coalesce(current_revision, -1) + n, pg_current_xact_id()::text, last_position;
      RETURN;
    END IF;
    -- Some of these event ids are stored already, elsewhere: the exception undoes the rows above.
  ELSE
    -- If these very events are stored where this append would have put them, it is a retry of an
    -- append that succeeded: answer as it was answered then.
    SELECT max(e.revision) AS last_revision, max(e.global_position) AS last_position,
           min(e.transaction_id::text) AS xid, count(*) AS matched
      INTO existing
      FROM jsonb_array_elements(p_events) AS x(ev)
      JOIN events e ON e.event_id = (x.ev ->> 'id')::uuid AND e.stream_name = p_stream;
    IF existing.matched = n
       AND (p_expected_kind IN ('any', 'stream-exists')
            OR existing.last_revision = coalesce(p_expected, -1) + n) THEN
      RETURN QUERY SELECT existing.last_revision, existing.xid, existing.last_position;
      RETURN;
    END IF;
  END IF;

  RAISE EXCEPTION USING
    ERRCODE = 'ES409',
    MESSAGE = 'wrong expected revision',
    DETAIL = coalesce(current_revision::text, 'no-stream');
END;
$$;
