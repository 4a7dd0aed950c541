/**
 * The numbered migrations of the `auth` schema, applied in order by `migrateAuthSchema`. Kept as
 * TypeScript strings rather than `.sql` files so the build needs no asset copying. Never edit one
 * once released; add the next number.
 */
import type { Migration } from '@app/platform';

export type { Migration };

export const AUTH_MIGRATIONS: readonly Migration[] = [
  {
    version: '001_api_keys',
    sql: `
      -- 001: API keys, stored only as the SHA-256 of the key; a revoked key keeps its row.
      CREATE TABLE api_keys (
        id          uuid        PRIMARY KEY,
        key_hash    bytea       NOT NULL UNIQUE CHECK (octet_length(key_hash) = 32),
        role        text        NOT NULL CHECK (role IN ('admin', 'sender')),
        tenant_id   text        NOT NULL CHECK (tenant_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        name        text,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      );`,
  },
];
