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
   * Makes `keyHash` the one bootstrap admin key (ADMIN_API_KEY, or start-all's `.dev-admin-key`):
   * records it unless its hash is already there, and revokes every other live bootstrap key, so a
   * changed value retires the old one. One transaction under an advisory lock: api processes
   * starting together, with the same value or not, end with exactly one live bootstrap key (the
   * last one's). A bootstrap key that was revoked stays revoked; `live` says whether this one is.
   */
  async bootstrap(key: {
    keyHash: Buffer;
    tenantId: string;
    name: string;
  }): Promise<{ live: boolean; revoked: number }> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('auth.api_keys bootstrap'))`);
      await client.query(
        `INSERT INTO auth.api_keys (id, key_hash, role, tenant_id, name, bootstrap)
         VALUES ($1, $2, 'admin', $3, $4, true) ON CONFLICT (key_hash) DO NOTHING`,
        [randomUUID(), key.keyHash, key.tenantId, key.name],
      );
      const revoked = await client.query(
        `UPDATE auth.api_keys SET revoked_at = now()
          WHERE bootstrap AND revoked_at IS NULL AND key_hash <> $1`,
        [key.keyHash],
      );
      const { rows } = await client.query<{ live: boolean }>(
        `SELECT revoked_at IS NULL AS live FROM auth.api_keys WHERE key_hash = $1`,
        [key.keyHash],
      );
      await client.query('COMMIT');
      return { live: rows[0]?.live === true, revoked: revoked.rowCount ?? 0 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
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
