-- 003: issue 19's columns (reply-to, headers, metadata, attachments, template) added in place to the generations layout 3 built, so the api never reads one without them; generations made from now on have them from generations.ts (layout 4).
DO $$
DECLARE
  g record;
  live text;
BEGIN
  FOR g IN
    SELECT active_generation AS generation, true AS indexed
      FROM projections WHERE name = 'emails' AND active_version = 3
    UNION ALL
    SELECT rebuild_generation, rebuild_indexed
      FROM projections
     WHERE name = 'emails' AND rebuild_version = 3 AND rebuild_generation IS NOT NULL
  LOOP
    -- In generations.ts's order: countDifferences compares a migrated generation with a rebuilt one by column.
    EXECUTE format(
      'ALTER TABLE %I.emails
         ADD COLUMN reply_to jsonb, ADD COLUMN headers jsonb, ADD COLUMN metadata jsonb,
         ADD COLUMN attachments jsonb, ADD COLUMN attachments_purged_at timestamptz,
         ADD COLUMN template_id text, ADD COLUMN template_version integer',
      'read_model_g' || g.generation);
    -- What email-rows.ts's toRow would write, for the rows that have any of it.
    EXECUTE format(
      $sql$UPDATE %I.emails SET
         reply_to = state->'email'->'replyTo',
         headers = state->'email'->'headers',
         metadata = state->'email'->'metadata',
         attachments = state->'email'->'attachments',
         attachments_purged_at = (state->'email'->>'attachmentsPurgedAt')::timestamptz,
         template_id = state->'email'->'template'->>'id',
         template_version = (state->'email'->'template'->>'version')::integer
       WHERE state->'email' ?| ARRAY['replyTo', 'headers', 'metadata', 'attachments', 'template']$sql$,
      'read_model_g' || g.generation);
    IF g.indexed THEN
      EXECUTE format(
        'CREATE INDEX emails_metadata ON %I.emails USING gin (metadata jsonb_path_ops)
           WHERE metadata IS NOT NULL',
        'read_model_g' || g.generation);
    END IF;
  END LOOP;
  -- A view's * was expanded when it was made: made again, it shows the new columns.
  SELECT 'read_model_g' || active_generation INTO live
    FROM projections WHERE name = 'emails' AND active_version = 3;
  IF live IS NOT NULL THEN
    EXECUTE format('CREATE OR REPLACE VIEW read_model.emails AS SELECT * FROM %I.emails', live);
  END IF;
  UPDATE projections SET active_version = 4 WHERE name = 'emails' AND active_version = 3;
  UPDATE projections SET rebuild_version = 4 WHERE name = 'emails' AND rebuild_version = 3;
END
$$;
