-- 002: issue 18's columns (batch, schedule, local time, window, expiry, pause) added in place to the generations layout 2 built, so the api never reads one without them; generations made from now on have them from generations.ts (layout 3).
DO $$
DECLARE
  g record;
  live text;
BEGIN
  FOR g IN
    SELECT active_generation AS generation, true AS indexed
      FROM projections WHERE name = 'emails' AND active_version = 2
    UNION ALL
    SELECT rebuild_generation, rebuild_indexed
      FROM projections
     WHERE name = 'emails' AND rebuild_version = 2 AND rebuild_generation IS NOT NULL
  LOOP
    -- In generations.ts's order: countDifferences compares a migrated generation with a rebuilt one by column.
    EXECUTE format(
      'ALTER TABLE %I.emails
         ADD COLUMN batch_id uuid, ADD COLUMN schedule_id uuid, ADD COLUMN occurrence_at timestamptz,
         ADD COLUMN time_zone text, ADD COLUMN local_send_at text, ADD COLUMN delivery_window jsonb,
         ADD COLUMN expires_at timestamptz, ADD COLUMN paused_at timestamptz,
         ADD COLUMN expired_at timestamptz, ADD COLUMN expiry_reason text',
      'read_model_g' || g.generation);
    -- What email-rows.ts's toRow would write, for the rows that have any of it.
    EXECUTE format(
      $sql$UPDATE %I.emails SET
         batch_id = CASE WHEN state->'email'->>'batchId' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                         THEN (state->'email'->>'batchId')::uuid END,
         schedule_id = CASE WHEN state->'email'->>'scheduleId' ~* '^[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$'
                            THEN (state->'email'->>'scheduleId')::uuid END,
         occurrence_at = (state->'email'->>'occurrenceAt')::timestamptz,
         time_zone = state->'email'->>'timeZone',
         local_send_at = state->'email'->>'localSendAt',
         delivery_window = state->'email'->'deliveryWindow',
         expires_at = (state->'email'->>'expiresAt')::timestamptz,
         paused_at = CASE WHEN status = 'paused' THEN (state->>'pausedAt')::timestamptz END,
         expired_at = CASE WHEN status = 'expired' THEN (state->>'expiredAt')::timestamptz END,
         expiry_reason = CASE WHEN status = 'expired' THEN state->>'reason' END
       WHERE state->'email' ?| ARRAY['batchId', 'scheduleId', 'occurrenceAt', 'timeZone', 'localSendAt',
                                     'deliveryWindow', 'expiresAt']
          OR status IN ('paused', 'expired')$sql$,
      'read_model_g' || g.generation);
    -- A rebuild not yet indexed gets every index, these included, when generations.ts indexes it.
    IF g.indexed THEN
      EXECUTE format(
        'CREATE INDEX emails_batch ON %1$I.emails (batch_id, send_at, email_id) WHERE batch_id IS NOT NULL;
         CREATE INDEX emails_schedule ON %1$I.emails (schedule_id, send_at, email_id)
           WHERE schedule_id IS NOT NULL',
        'read_model_g' || g.generation);
    END IF;
  END LOOP;
  -- A view's * was expanded when it was made: made again, it shows the new columns.
  SELECT 'read_model_g' || active_generation INTO live
    FROM projections WHERE name = 'emails' AND active_version = 2;
  IF live IS NOT NULL THEN
    EXECUTE format('CREATE OR REPLACE VIEW read_model.emails AS SELECT * FROM %I.emails', live);
  END IF;
  UPDATE projections SET active_version = 3 WHERE name = 'emails' AND active_version = 2;
  UPDATE projections SET rebuild_version = 3 WHERE name = 'emails' AND rebuild_version = 2;
END
$$;
