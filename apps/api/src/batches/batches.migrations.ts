import type { Migration } from '@app/schema-migrations';

export const BATCHES_SCHEMA = 'batches';

/**
 * The numbered migrations of the `batches` schema. Membership is the api's own record (written before the
 * emails are appended), so a batch action reaches every member whether or not the projector has shown it.
 * Never edit one once released; add the next number.
 */
export const BATCHES_MIGRATIONS: readonly Migration[] = [
  {
    version: '001_batches',
    sql: `
      -- 001: batches (POST /v1/emails/batch, CSV imports) and which emails each holds, in request order.
      CREATE TABLE batches (
        id         uuid        PRIMARY KEY,
        tenant_id  text        NOT NULL CHECK (tenant_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        created_at timestamptz NOT NULL DEFAULT now(),
        -- Members recorded so far: the emails the request went on to append (or tried to).
        total      integer     NOT NULL DEFAULT 0 CHECK (total >= 0),
        source     text        NOT NULL CHECK (source IN ('batch', 'import'))
      );
      -- GET /v1/batches: a tenant's batches, newest first.
      CREATE INDEX batches_tenant_order ON batches (tenant_id, created_at DESC, id DESC);
      CREATE INDEX batches_order ON batches (created_at DESC, id DESC);
      CREATE TABLE batch_emails (
        batch_id uuid    NOT NULL REFERENCES batches (id),
        email_id uuid    NOT NULL,
        position integer NOT NULL,
        PRIMARY KEY (batch_id, email_id)
      );`,
  },
];
