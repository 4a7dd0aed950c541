-- 003: append_many(): appends to many streams in one round trip and one transaction; each stream's expectation is checked on its own, and a miss is answered, not raised, so the other streams still go in.
CREATE FUNCTION append_many(
  p_appends jsonb -- [{stream, category, kind, expected, events: [{id, type, data, metadata}]}]
) RETURNS TABLE (
  ord bigint,             -- the append's 1-based place in p_appends
  next_revision bigint,   -- NULL when its expectation was not met
  transaction_id text,
  global_position bigint,
  actual_revision bigint  -- on a miss: the stream's revision (NULL: no stream)
)
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  a record;
  n integer;
  current_revision bigint;
  expectation_met boolean;
  last_position bigint;
  existing record;
BEGIN
  -- Every stream's lock before the first insert gives this transaction its id, as in append_events, so
  -- each stream's previous append has committed with a smaller id. Taken in one order (by lock key), so
  -- two batches never wait on each other in a circle.
  PERFORM pg_advisory_xact_lock(k.key)
    FROM (SELECT DISTINCT hashtextextended(x ->> 'stream', 0) AS key
            FROM jsonb_array_elements(p_appends) AS x ORDER BY 1) AS k;

  FOR a IN SELECT x.value AS v, x.ordinality AS o
             FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS x LOOP
    n := jsonb_array_length(a.v -> 'events');
    SELECT max(e.revision) INTO current_revision FROM events e WHERE e.stream_name = a.v ->> 'stream';
    expectation_met := CASE a.v ->> 'kind'
      WHEN 'exact' THEN current_revision IS NOT DISTINCT FROM (a.v ->> 'expected')::bigint
      WHEN 'no-stream' THEN current_revision IS NULL
      WHEN 'stream-exists' THEN current_revision IS NOT NULL
      WHEN 'any' THEN TRUE
    END
    -- An event id stored already (elsewhere, or by an earlier success of this very append) is no new append.
    AND NOT EXISTS (
      SELECT 1 FROM jsonb_array_elements(a.v -> 'events') AS x(ev)
        JOIN events e ON e.event_id = (x.ev ->> 'id')::uuid);

    IF expectation_met THEN
      WITH rows AS (
        INSERT INTO events (event_id, stream_name, category, revision, type, data, metadata)
        SELECT (x.ev ->> 'id')::uuid, a.v ->> 'stream', a.v ->> 'category',
               coalesce(current_revision, -1) + x.ord, x.ev ->> 'type', x.ev -> 'data',
               coalesce(x.ev -> 'metadata', '{}'::jsonb)
          FROM jsonb_array_elements(a.v -> 'events') WITH ORDINALITY AS x(ev, ord)
         ORDER BY x.ord
        RETURNING events.global_position
      )
      SELECT max(rows.global_position) INTO last_position FROM rows;
      RETURN QUERY SELECT a.o, coalesce(current_revision, -1) + n, pg_current_xact_id()::text,
                          last_position, NULL::bigint;
      CONTINUE;
    END IF;

    -- These very events stored where this append would have put them: a retry of one that succeeded.
    SELECT max(e.revision) AS last_revision, max(e.global_position) AS last_position,
           min(e.transaction_id::text) AS xid, count(*) AS matched
      INTO existing
      FROM jsonb_array_elements(a.v -> 'events') AS x(ev)
      JOIN events e ON e.event_id = (x.ev ->> 'id')::uuid AND e.stream_name = a.v ->> 'stream';
    IF existing.matched = n
       AND (a.v ->> 'kind' IN ('any', 'stream-exists')
            OR existing.last_revision = coalesce((a.v ->> 'expected')::bigint, -1) + n) THEN
      RETURN QUERY SELECT a.o, existing.last_revision, existing.xid, existing.last_position, NULL::bigint;
    ELSE
      RETURN QUERY SELECT a.o, NULL::bigint, NULL::text, NULL::bigint, current_revision;
    END IF;
  END LOOP;
END;
$$;
