// Blue/green generations: each generation's tables live in a schema of its own, `read_model_g<n>`;
// the views of `read_model` point at the live one, and `read_model.projections` records which.
import type { PoolClient } from 'pg';

export const EMAIL_PROJECTION = 'emails';
/** Bumped when the generation tables change shape: the projector then rebuilds into the new one. */
export const GENERATION_VERSION = 4;

/** What the api reads: views over the live generation, swapped atomically on rebuild. */
export const READ_MODEL_VIEWS = {
  emails: 'read_model.emails',
  senderHourlySends: 'read_model.sender_hourly_sends',
  tenantPending: 'read_model.tenant_pending',
} as const;

export function generationSchema(generation: number | bigint | string): string {
  const text = String(generation);
  if (!/^\d{1,18}$/.test(text)) throw new RangeError(`Not a generation: ${text}`);
  return `read_model_g${text}`;
}

function tablesDdl(schema: string): string {
  return `
    CREATE TABLE ${schema}.emails (
      email_id uuid PRIMARY KEY,
      tenant_id text NOT NULL,
      status text NOT NULL,
      from_address text NOT NULL,
      from_name text,
      -- {to, cc, bcc}: the addresses as scheduled, names included.
      recipients jsonb NOT NULL,
      -- Every to/cc/bcc address, lower-cased: what the "to" filter matches.
      recipient_addresses text[] NOT NULL,
      subject text NOT NULL,
      tags text[] NOT NULL,
      requested_send_at timestamptz NOT NULL,
      send_at timestamptz NOT NULL,
      due_at timestamptz,
      max_attempts integer NOT NULL,
      attempts integer NOT NULL,
      last_error jsonb,
      sent_at timestamptz,
      message_id text,
      -- sent_at - send_at in ms, for sent emails.
      lateness_ms bigint,
      cancelled_at timestamptz,
      failed_at timestamptz,
      -- The stream revision and category position this row reflects.
      revision bigint NOT NULL,
      position text NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      -- The folded domain state (bodies left out) that the next event continues from.
      state jsonb NOT NULL,
      -- UTF-8 bytes of subject, text and html: what the email counts against its tenant's pending bytes.
      content_bytes bigint NOT NULL,
      -- Layout 3 (issue 18), last and in this order because migration 002 adds them so to older generations
      -- (countDifferences compares rows column by column).
      batch_id uuid,
      schedule_id uuid,
      occurrence_at timestamptz,
      -- The IANA zone a wall-clock sendAt was asked in, and that wall-clock time as asked.
      time_zone text,
      local_send_at text,
      delivery_window jsonb,
      expires_at timestamptz,
      paused_at timestamptz,
      expired_at timestamptz,
      expiry_reason text,
      -- Layout 4 (issue 19), after layout 3's columns for the same reason (migration 003).
      reply_to jsonb,
      headers jsonb,
      -- The owner's string pairs, matched by the list's metadata filter with @>.
      metadata jsonb,
      -- The attachments' refs (name, type, size, hash), never their bytes.
      attachments jsonb,
      attachments_purged_at timestamptz,
      template_id text,
      template_version integer
    );
    CREATE TABLE ${schema}.sender_hourly_sends (
      tenant_id text NOT NULL,
      sender text NOT NULL,
      hour timestamptz NOT NULL,
      count bigint NOT NULL,
      PRIMARY KEY (sender, hour, tenant_id)
    );
    -- Per tenant, the emails not yet final (scheduled, paused or attempting) and their content bytes: what the
    -- api checks the pending quotas against, kept in the same transaction as the rows.
    CREATE TABLE ${schema}.tenant_pending (
      tenant_id text PRIMARY KEY,
      emails bigint NOT NULL,
      bytes bigint NOT NULL
    );`;
}

/** The filters' indexes, all ending in the keyset order (send_at, email_id). */
function indexesDdl(schema: string): string {
  return `
    CREATE INDEX emails_order ON ${schema}.emails (send_at, email_id);
    CREATE INDEX emails_status ON ${schema}.emails (status, send_at, email_id);
    CREATE INDEX emails_from ON ${schema}.emails (from_address, send_at, email_id);
    CREATE INDEX emails_recipients ON ${schema}.emails USING gin (recipient_addresses);
    CREATE INDEX emails_tags ON ${schema}.emails USING gin (tags);
    CREATE INDEX emails_tenant_order ON ${schema}.emails (tenant_id, send_at, email_id);
    CREATE INDEX emails_tenant_status ON ${schema}.emails (tenant_id, status, send_at, email_id);
    CREATE INDEX emails_tenant_from ON ${schema}.emails (tenant_id, from_address, send_at, email_id);
    -- A batch or a schedule belongs to one tenant: led by its id, one index serves the tenant's list and
    -- the admin's, and the batch counts by status.
    CREATE INDEX emails_batch ON ${schema}.emails (batch_id, send_at, email_id)
      WHERE batch_id IS NOT NULL;
    CREATE INDEX emails_schedule ON ${schema}.emails (schedule_id, send_at, email_id)
      WHERE schedule_id IS NOT NULL;
    CREATE INDEX emails_metadata ON ${schema}.emails USING gin (metadata jsonb_path_ops)
      WHERE metadata IS NOT NULL;
    CREATE INDEX emails_sent_lateness ON ${schema}.emails (tenant_id, lateness_ms)
      WHERE lateness_ms IS NOT NULL;
    CREATE INDEX sender_hourly_sends_tenant ON ${schema}.sender_hourly_sends (tenant_id, hour);`;
}

/**
 * A new, empty generation. A rebuild creates it without secondary indexes (a bulk replay is far
 * faster into bare tables) and indexes it once it has nearly caught up.
 */
export async function createGeneration(
  client: PoolClient,
  options: { readonly indexes: boolean },
): Promise<number> {
  const { rows } = await client.query<{ generation: string }>(
    `SELECT nextval('read_model.generation_seq') AS generation`,
  );
  const generation = Number(rows[0]?.generation);
  const schema = generationSchema(generation);
  await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(tablesDdl(schema));
  if (options.indexes) await client.query(indexesDdl(schema));
  return generation;
}

export async function createGenerationIndexes(
  client: PoolClient,
  generation: number,
): Promise<void> {
  await client.query(indexesDdl(generationSchema(generation)));
}

/** Points the `read_model` views at a generation; run in the swap transaction. */
export async function pointViewsAt(client: PoolClient, generation: number): Promise<void> {
  const schema = generationSchema(generation);
  await client.query(`
    DROP VIEW IF EXISTS ${READ_MODEL_VIEWS.emails};
    DROP VIEW IF EXISTS ${READ_MODEL_VIEWS.senderHourlySends};
    DROP VIEW IF EXISTS ${READ_MODEL_VIEWS.tenantPending};
    CREATE VIEW ${READ_MODEL_VIEWS.emails} AS SELECT * FROM ${schema}.emails;
    CREATE VIEW ${READ_MODEL_VIEWS.senderHourlySends} AS SELECT * FROM ${schema}.sender_hourly_sends;
    CREATE VIEW ${READ_MODEL_VIEWS.tenantPending} AS SELECT * FROM ${schema}.tenant_pending;`);
}

/** The email projection's first, live generation, if it has none yet (in the migration transaction). */
export async function ensureProjection(client: PoolClient): Promise<void> {
  const { rowCount } = await client.query(`SELECT 1 FROM read_model.projections WHERE name = $1`, [
    EMAIL_PROJECTION,
  ]);
  if (rowCount) return;
  const generation = await createGeneration(client, { indexes: true });
  await client.query(
    `INSERT INTO read_model.projections (name, active_generation, active_version) VALUES ($1, $2, $3)`,
    [EMAIL_PROJECTION, generation, GENERATION_VERSION],
  );
  await pointViewsAt(client, generation);
}
