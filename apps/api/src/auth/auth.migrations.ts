/**
 * The numbered migrations of the `auth` schema, applied in order by `migrateAuthSchema`. Kept as
 * TypeScript strings rather than `.sql` files so the build needs no asset copying. Never edit one
 * once released; add the next number.
 */
import type { Migration } from '@app/schema-migrations';

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
  {
    version: '002_sessions',
    sql: `
      -- 002: dashboard sessions (cookie token stored as its SHA-256) and OpenID Connect sign-ins in flight.
      CREATE TABLE sessions (
        token_hash  bytea       PRIMARY KEY CHECK (octet_length(token_hash) = 32),
        role        text        NOT NULL CHECK (role IN ('admin', 'sender')),
        tenant_id   text        NOT NULL CHECK (tenant_id ~ '^[A-Za-z0-9_-]{1,64}$'),
        subject     text        NOT NULL,
        method      text        NOT NULL CHECK (method IN ('api-key', 'oidc')),
        -- signed in with an API key: the session ends when the key is revoked
        api_key_id  uuid        REFERENCES api_keys (id),
        csrf_token  text        NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        expires_at  timestamptz NOT NULL
      );
      CREATE INDEX sessions_expires_at ON sessions (expires_at);
      CREATE TABLE oidc_logins (
        browser_hash  bytea       PRIMARY KEY CHECK (octet_length(browser_hash) = 32),
        state         text        NOT NULL,
        nonce         text        NOT NULL,
        code_verifier text        NOT NULL,
        expires_at    timestamptz NOT NULL
      );`,
  },
  {
    version: '003_bootstrap_keys_and_session_identity',
    sql: `
      -- 003: bootstrap keys marked, so a new ADMIN_API_KEY revokes the old; sessions get a public id
      -- and an OIDC identity (issuer + the provider's subject, the email an attribute).
      ALTER TABLE api_keys ADD COLUMN bootstrap boolean NOT NULL DEFAULT false;
      -- Until now the bootstrap key was the admin key named after the variable.
      UPDATE api_keys SET bootstrap = true
       WHERE name = 'ADMIN_API_KEY' AND role = 'admin' AND tenant_id = 'admin';
      -- OIDC sessions so far were keyed by email, with no subject to re-check: they end.
      DELETE FROM sessions WHERE method = 'oidc';
      ALTER TABLE sessions
        ADD COLUMN id            uuid NOT NULL DEFAULT gen_random_uuid() UNIQUE,
        ADD COLUMN issuer        text,
        ADD COLUMN email         text,
        ADD COLUMN hosted_domain text,
        ADD CONSTRAINT sessions_oidc_identity
          CHECK ((method = 'oidc') = (issuer IS NOT NULL AND email IS NOT NULL));
      CREATE INDEX sessions_identity ON sessions (issuer, subject);
      CREATE INDEX sessions_api_key_id ON sessions (api_key_id);`,
  },
];
