import type { Migration } from '@app/schema-migrations';

export const ATTACHMENTS_SCHEMA = 'attachments';

/** The numbered migrations of the `attachments` schema. Never edit one once released; add the next number. */
export const ATTACHMENTS_MIGRATIONS: readonly Migration[] = [
  {
    version: '001_attachments',
    sql: `
      -- 001: attachment bytes, stored once per tenant under their SHA-256 (never across tenants: a shared
      -- store would tell one tenant whether another holds a file), the emails referencing each, and the
      -- emails the purge janitor has to look at.
      CREATE TABLE contents (
        tenant_id  text        NOT NULL,
        sha256     text        NOT NULL,
        size       bigint      NOT NULL,
        bytes      bytea       NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, sha256)
      );

      CREATE TABLE refs (
        tenant_id text NOT NULL,
        email_id  uuid NOT NULL,
        sha256    text NOT NULL,
        PRIMARY KEY (email_id, sha256)
      );
      -- "does any other email still hold this content": asked on every purge
      CREATE INDEX refs_by_content ON refs (tenant_id, sha256);

      CREATE TABLE holders (
        email_id      uuid        PRIMARY KEY,
        tenant_id     text        NOT NULL,
        -- the janitor looks at the email again from then on
        next_check_at timestamptz NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX holders_due ON holders (next_check_at);`,
  },
];
