import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@app/platform';
import type { Role } from './principal';

export type SignInMethod = 'api-key' | 'oidc';

/** Who an OpenID Connect session belongs to: the provider's subject, the email an attribute. */
export interface OidcIdentity {
  readonly issuer: string;
  /** The provider's `sub`: stable where an address can be renamed or reassigned. */
  readonly subject: string;
  readonly email: string;
  /** The ID token's `hd` claim (Google Workspace), if it had one. */
  readonly hostedDomain: string | null;
}

/** A live dashboard session, as the guard, `GET /v1/session` and the admin's list see it. */
export interface ActiveSession {
  /** Public id (the admin's list); never the cookie token or its hash. */
  readonly id: string;
  readonly tokenHash: Buffer;
  readonly role: Role;
  readonly tenantId: string;
  /** OIDC: the provider's `sub`; API key: the key's name. */
  readonly subject: string;
  readonly method: SignInMethod;
  readonly apiKeyId: string | null;
  /** Set for OIDC sessions only. */
  readonly oidc: OidcIdentity | null;
  /** Sent back in `X-CSRF-Token` with every state-changing request. */
  readonly csrfToken: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export type NewSession = {
  readonly role: Role;
  readonly tenantId: string;
  readonly ttlMs: number;
} & (
  | { readonly method: 'api-key'; readonly subject: string; readonly apiKeyId: string }
  | { readonly method: 'oidc'; readonly identity: OidcIdentity }
);

/** Which sessions an admin ends: one, every one of a person, or every one of a key. */
export type SessionSelector =
  | { readonly id: string }
  | { readonly issuer: string; readonly subject: string }
  | { readonly apiKeyId: string };

interface SessionRow {
  id: string;
  token_hash: Buffer;
  role: Role;
  tenant_id: string;
  subject: string;
  method: SignInMethod;
  api_key_id: string | null;
  issuer: string | null;
  email: string | null;
  hosted_domain: string | null;
  csrf_token: string;
  created_at: Date;
  expires_at: Date;
}

/** What is stored of a cookie token: its SHA-256, so a database leak hands out no sessions. */
export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function toSession(row: SessionRow): ActiveSession {
  return {
    id: row.id,
    tokenHash: row.token_hash,
    role: row.role,
    tenantId: row.tenant_id,
    subject: row.subject,
    method: row.method,
    apiKeyId: row.api_key_id,
    oidc:
      row.issuer === null || row.email === null
        ? null
        : {
            issuer: row.issuer,
            subject: row.subject,
            email: row.email,
            hostedDomain: row.hosted_domain,
          },
    csrfToken: row.csrf_token,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}

/** Live: unexpired, and signed in with a key that is not revoked (or with OIDC). */
const LIVE = `s.expires_at > now() AND (s.api_key_id IS NULL OR k.revoked_at IS NULL)`;

/**
 * `auth.sessions`: no cache, so a sign-out, an admin ending a session or a key's revocation holds
 * from the next request on.
 */
@Injectable()
export class SessionsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Creates a session; the token is returned once, for the cookie, and never stored. */
  async create(session: NewSession): Promise<{ token: string; session: ActiveSession }> {
    await this.pool.query(`DELETE FROM auth.sessions WHERE expires_at < now()`);
    const token = randomBytes(32).toString('base64url');
    const identity = session.method === 'oidc' ? session.identity : undefined;
    const { rows } = await this.pool.query<SessionRow>(
      `INSERT INTO auth.sessions (token_hash, role, tenant_id, subject, method, api_key_id, issuer,
                                  email, hosted_domain, csrf_token, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + make_interval(secs => $11 / 1000.0))
       RETURNING *`,
      [
        hashToken(token),
        session.role,
        session.tenantId,
        identity?.subject ?? (session.method === 'api-key' ? session.subject : ''),
        session.method,
        session.method === 'api-key' ? session.apiKeyId : null,
        identity?.issuer ?? null,
        identity?.email ?? null,
        identity?.hostedDomain ?? null,
        randomBytes(32).toString('base64url'),
        session.ttlMs,
      ],
    );
    return { token, session: toSession(rows[0] as SessionRow) };
  }

  /** The live session of this cookie token. */
  async findLive(token: string): Promise<ActiveSession | undefined> {
    const { rows } = await this.pool.query<SessionRow>(
      `SELECT s.* FROM auth.sessions s LEFT JOIN auth.api_keys k ON k.id = s.api_key_id
        WHERE s.token_hash = $1 AND ${LIVE}`,
      [hashToken(token)],
    );
    const row = rows[0];
    return row && toSession(row);
  }

  /** Every live session, newest first. */
  async listLive(): Promise<ActiveSession[]> {
    const { rows } = await this.pool.query<SessionRow>(
      `SELECT s.* FROM auth.sessions s LEFT JOIN auth.api_keys k ON k.id = s.api_key_id
        WHERE ${LIVE} ORDER BY s.created_at DESC, s.id`,
    );
    return rows.map(toSession);
  }

  /** Ends the sessions `selector` picks; how many there were. */
  async end(selector: SessionSelector): Promise<number> {
    const [where, values] =
      'id' in selector
        ? ['id = $1', [selector.id]]
        : 'apiKeyId' in selector
          ? ['api_key_id = $1', [selector.apiKeyId]]
          : ['issuer = $1 AND subject = $2', [selector.issuer, selector.subject]];
    const { rowCount } = await this.pool.query(
      `DELETE FROM auth.sessions WHERE ${where} AND expires_at > now()`,
      values,
    );
    return rowCount ?? 0;
  }

  async delete(tokenHash: Buffer): Promise<void> {
    await this.pool.query(`DELETE FROM auth.sessions WHERE token_hash = $1`, [tokenHash]);
  }
}
