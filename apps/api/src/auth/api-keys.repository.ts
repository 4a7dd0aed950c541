import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { Batcher } from '@app/async';
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

type LiveKeyRow = Pick<ApiKeyRow, 'id' | 'role' | 'tenant_id' | 'name'> & { key_hash: Buffer };

/**
 * `auth.api_keys` in Postgres. No cache: a revocation holds from the next request on. Every request
 * looks its key up, so the lookups of concurrent requests go together, one query per batch (batcher.ts);
 * a batch is always queried after each of its requests arrived, so none is answered from before a
 * revocation it follows.
 */
@Injectable()
export class ApiKeysRepository {
  private readonly liveLookups = new Batcher<Buffer, ApiKeyMatch | undefined>(
    (hashes) => this.findLiveByHashes(hashes),
    500,
    2,
  );

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
    const [match] = await this.liveLookups.submit([keyHash]);
    return match;
  }

  private async findLiveByHashes(
    keyHashes: readonly Buffer[],
  ): Promise<(ApiKeyMatch | undefined)[]> {
    const distinct = new Map(keyHashes.map((hash) => [hash.toString('hex'), hash]));
    const { rows } = await this.pool.query<LiveKeyRow>(
      `SELECT id, key_hash, role, tenant_id, name FROM auth.api_keys
       WHERE key_hash = ANY($1::bytea[]) AND revoked_at IS NULL`,
      [[...distinct.values()]],
    );
    const byHash = new Map(
      rows.map((row): [string, ApiKeyMatch] => [
        row.key_hash.toString('hex'),
        {
          id: row.id,
          keyHash: row.key_hash,
          role: row.role,
          tenantId: row.tenant_id,
          name: row.name,
        },
      ]),
    );
    return keyHashes.map((hash) => byHash.get(hash.toString('hex')));
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
