import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@app/platform';
import type { Role } from './principal';

export type SignInMethod = 'api-key' | 'oidc';

/** A live dashboard session, as the guard and `GET /v1/session` see it. */
export interface ActiveSession {
  readonly tokenHash: Buffer;
  readonly role: Role;
  readonly tenantId: string;
  /** Who signed in: the email of an OIDC account, or the name of an API key. */
  readonly subject: string;
  readonly method: SignInMethod;
  readonly apiKeyId: string | null;
  /** Sent back in `X-CSRF-Token` with every state-changing request. */
  readonly csrfToken: string;
  readonly expiresAt: Date;
}

export interface NewSession {
  readonly role: Role;
  readonly tenantId: string;
  readonly subject: string;
  readonly method: SignInMethod;
  readonly apiKeyId: string | null;
  readonly ttlMs: number;
}

interface SessionRow {
  token_hash: Buffer;
  role: Role;
  tenant_id: string;
  subject: string;
  method: SignInMethod;
  api_key_id: string | null;
  csrf_token: string;
  expires_at: Date;
}

/** What is stored of a cookie token: its SHA-256, so a database leak hands out no sessions. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function toSession(row: SessionRow): ActiveSession {
  return {
    tokenHash: row.token_hash,
    role: row.role,
    tenantId: row.tenant_id,
    subject: row.subject,
    method: row.method,
    apiKeyId: row.api_key_id,
    csrfToken: row.csrf_token,
    expiresAt: row.expires_at,
  };
}

/** `auth.sessions`: no cache, so a sign-out or a key's revocation holds from the next request on. */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Creates a session; the token is returned once, for the cookie, and never stored. */
  async create(session: NewSession): Promise<{ token: string; session: ActiveSession }> {
    await this.pool.query(`DELETE FROM auth.sessions WHERE expires_at < now()`);
    const token = randomBytes(32).toString('base64url');
    const { rows } = await this.pool.query<SessionRow>(
      `INSERT INTO auth.sessions (token_hash, role, tenant_id, subject, method, api_key_id, csrf_token, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8 / 1000.0))
       RETURNING *`,
      [
        hashToken(token),
        session.role,
        session.tenantId,
        session.subject,
        session.method,
        session.apiKeyId,
        randomBytes(32).toString('base64url'),
        session.ttlMs,
      ],
    );
    return { token, session: toSession(rows[0] as SessionRow) };
  }

  /** The unexpired session of this cookie token whose API key (if any) is not revoked. */
  async findLive(token: string): Promise<ActiveSession | undefined> {
    const { rows } = await this.pool.query<SessionRow>(
      `SELECT s.* FROM auth.sessions s LEFT JOIN auth.api_keys k ON k.id = s.api_key_id
        WHERE s.token_hash = $1 AND s.expires_at > now()
          AND (s.api_key_id IS NULL OR k.revoked_at IS NULL)`,
      [hashToken(token)],
    );
    const row = rows[0];
    return row && toSession(row);
  }

  async delete(tokenHash: Buffer): Promise<void> {
    await this.pool.query(`DELETE FROM auth.sessions WHERE token_hash = $1`, [tokenHash]);
  }
}
