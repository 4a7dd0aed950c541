import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@app/platform';
import type { Role } from './principal';

/** An API key as stored: everything but the key, which is never stored, and its hash. */
export interface ApiKeyRecord {
  readonly id: string;
  readonly role: Role;
  readonly tenantId: string;
  readonly name: string | null;
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** A live (unrevoked) key found by its hash, with the hash for the constant-time comparison. */
export interface ApiKeyMatch {
  readonly id: string;
  readonly keyHash: Buffer;
  readonly role: Role;
  readonly tenantId: string;
  readonly name: string | null;
}

interface ApiKeyRow {
  id: string;
  role: Role;
  tenant_id: string;
  name: string | null;
  created_at: Date;
  revoked_at: Date | null;
}

const COLUMNS = 'id, role, tenant_id, name, created_at, revoked_at';

function toRecord(row: ApiKeyRow): ApiKeyRecord {
  return {
    id: row.id,
    role: row.role,
    tenantId: row.tenant_id,
    name: row.name,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  };
}

/** `auth.api_keys` in Postgres. No cache: a revocation holds from the next request on. */
@Injectable()
export class ApiKeysRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async insert(key: {
    keyHash: Buffer;
    role: Role;
    tenantId: string;
    name: string | null;
  }): Promise<ApiKeyRecord> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      `INSERT INTO auth.api_keys (id, key_hash, role, tenant_id, name)
       VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
      [randomUUID(), key.keyHash, key.role, key.tenantId, key.name],
    );
    return toRecord(rows[0] as ApiKeyRow);
  }

  /**
   * Records the bootstrap admin key unless its hash is already there. Idempotent across restarts
   * and concurrent processes; a bootstrap key that was revoked stays revoked.
   */
  async ensure(key: {
    keyHash: Buffer;
    role: Role;
    tenantId: string;
    name: string;
  }): Promise<void> {
    await this.pool.query(
      `INSERT INTO auth.api_keys (id, key_hash, role, tenant_id, name)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (key_hash) DO NOTHING`,
      [randomUUID(), key.keyHash, key.role, key.tenantId, key.name],
    );
  }

  async findLiveByHash(keyHash: Buffer): Promise<ApiKeyMatch | undefined> {
    const { rows } = await this.pool.query<{
      id: string;
      key_hash: Buffer;
      role: Role;
      tenant_id: string;
      name: string | null;
    }>(
      `SELECT id, key_hash, role, tenant_id, name FROM auth.api_keys
       WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    const row = rows[0];
    return (
      row && {
        id: row.id,
        keyHash: row.key_hash,
        role: row.role,
        tenantId: row.tenant_id,
        name: row.name,
      }
    );
  }

  async list(): Promise<ApiKeyRecord[]> {
    const { rows } = await this.pool.query<ApiKeyRow>(
      `SELECT ${COLUMNS} FROM auth.api_keys ORDER BY created_at, id`,
    );
    return rows.map(toRecord);
  }

  /** Revokes the key; true when it exists (revoking twice keeps the first time). */
  async revoke(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE auth.api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1`,
      [id],
    );
    return (rowCount ?? 0) > 0;
  }
}
