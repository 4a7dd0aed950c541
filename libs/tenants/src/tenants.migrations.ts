import type { Migration } from '@app/schema-migrations';

export const TENANTS_SCHEMA = 'tenants';

/** The numbered migrations of the `tenants` schema. Never edit one once released; add the next number. */
export const TENANTS_MIGRATIONS: readonly Migration[] = [
  {
    version: '001_settings',
    sql: `
      -- 001: per-tenant sender domains and limit overrides; a tenant without a row is unconfigured.
      CREATE TABLE settings (
        tenant_id      text        PRIMARY KEY CHECK (tenant_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        sender_domains text[]      NOT NULL DEFAULT '{}',
        limits         jsonb       NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(limits) = 'object'),
        updated_at     timestamptz NOT NULL DEFAULT now()
      );`,
  },
];
