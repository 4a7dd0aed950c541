-- 003: append_many(): appends to many distinct streams in one round trip and one statement, each stream's expectation checked on its own and a miss answered, not raised; every append goes through it, so append_events() goes.
CREATE FUNCTION append_many(
  p_appends jsonb -- [{stream, category, kind, expected, events: [{id, type, data, metadata}]}], each stream once
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
BEGIN
  -- Every stream's lock before the insert gives this transaction its id, as in append_events, so each
  -- stream's previous append has committed with a smaller id. Taken in one order (by lock key), so two
  -- batches never wait on each other in a circle.
  PERFORM pg_advisory_xact_lock(k.key)
    FROM (SELECT DISTINCT hashtextextended(x ->> 'stream', 0) AS key
            FROM jsonb_array_elements(p_appends) AS x ORDER BY 1) AS k;

  -- One statement: every CTE reads the table as it was before the insert, so each stream is judged on what
  -- was there, not on what this very call writes.
  RETURN QUERY
  WITH req AS (
    SELECT x.ordinality AS o, x.value ->> 'stream' AS stream, x.value ->> 'category' AS category,
           x.value ->> 'kind' AS kind, (x.value ->> 'expected')::bigint AS expected,
           x.value -> 'events' AS events, jsonb_array_length(x.value -> 'events') AS n
      FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS x
  ),
  cur AS (
    SELECT r.*, (SELECT max(e.revision) FROM events e WHERE e.stream_name = r.stream) AS current_revision
      FROM req r
  ),
  -- Event ids stored already: anywhere (so no new append), and in this stream (a retry of a success?).
  -- Each id is looked up on its own (LIMIT 1 keeps the planner from hashing the whole table, which a
  -- cached generic plan otherwise did once the table had grown).
  found AS (
    SELECT c.o, c.stream, f.*
      FROM cur c
      CROSS JOIN LATERAL jsonb_array_elements(c.events) AS y(ev)
      CROSS JOIN LATERAL (
        SELECT e.stream_name, e.revision, e.global_position, e.transaction_id
          FROM events e WHERE e.event_id = (y.ev ->> 'id')::uuid LIMIT 1
      ) AS f
  ),
  stored AS (
    SELECT s.o, count(*) AS anywhere,
           count(*) FILTER (WHERE s.stream_name = s.stream) AS here,
           max(s.revision) FILTER (WHERE s.stream_name = s.stream) AS last_revision,
           max(s.global_position) FILTER (WHERE s.stream_name = s.stream) AS last_position,
           min(s.transaction_id::text) FILTER (WHERE s.stream_name = s.stream) AS xid
      FROM found s
     GROUP BY s.o
  ),
  decided AS (
    SELECT c.o, c.stream, c.category, c.n, c.current_revision,
         coalesce(s.anywhere, 0) = 0 AND CASE c.kind
           WHEN 'exact' THEN c.current_revision IS NOT DISTINCT FROM c.expected
           WHEN 'no-stream' THEN c.current_revision IS NULL
           WHEN 'stream-exists' THEN c.current_revision IS NOT NULL
           WHEN 'any' THEN TRUE
         END AS met,
         -- These very events stored where this append would have put them: a retry of one that succeeded.
         CASE WHEN s.here = c.n AND (c.kind IN ('any', 'stream-exists')
                                     OR s.last_revision = coalesce(c.expected, -1) + c.n)
              THEN s.last_revision END AS retried_revision,
         s.xid AS retried_xid, s.last_position AS retried_position, c.events
    FROM cur c LEFT JOIN stored s ON s.o = c.o
  ),
  inserted AS (
    INSERT INTO events (event_id, stream_name, category, revision, type, data, metadata)
    SELECT (y.ev ->> 'id')::uuid, d.stream, d.category, coalesce(d.current_revision, -1) + y.ord,
           y.ev ->> 'type', y.ev -> 'data', coalesce(y.ev -> 'metadata', '{}'::jsonb)
      FROM decided d
      CROSS JOIN LATERAL jsonb_array_elements(d.events) WITH ORDINALITY AS y(ev, ord)
     WHERE d.met
     ORDER BY d.o, y.ord
    RETURNING events.stream_name, events.global_position
  ),
  last AS (SELECT i.stream_name, max(i.global_position) AS position FROM inserted i GROUP BY 1)
  SELECT d.o,
         CASE WHEN d.met THEN coalesce(d.current_revision, -1) + d.n ELSE d.retried_revision END,
         CASE WHEN d.met THEN pg_current_xact_id()::text
              WHEN d.retried_revision IS NOT NULL THEN d.retried_xid END,
         CASE WHEN d.met THEN l.position
              WHEN d.retried_revision IS NOT NULL THEN d.retried_position END,
         CASE WHEN NOT d.met AND d.retried_revision IS NULL THEN d.current_revision END
    FROM decided d LEFT JOIN last l ON l.stream_name = d.stream
   ORDER BY d.o;
END;
$$;

DROP FUNCTION append_events(text, text, text, bigint, jsonb);
