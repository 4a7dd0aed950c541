import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '@app/platform';
import { hashToken } from '../sessions.repository';

/** What a sign-in in flight must find again at the callback. */
export interface PendingLogin {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** A sign-in must come back within this. */
export const PENDING_LOGIN_TTL_MS = 10 * 60_000;

/**
 * `auth.oidc_logins`: state, nonce and PKCE verifier of each sign-in in flight, keyed by the hash
 * of a random value in the browser's cookie, so the callback only completes in the browser that
 * started it (no signing a visitor in to someone else's account). Each is used at most once.
 */
@Injectable()
export class OidcLoginsRepository {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async save(browserToken: string, login: PendingLogin): Promise<void> {
    await this.pool.query(`DELETE FROM auth.oidc_logins WHERE expires_at < now()`);
    await this.pool.query(
      `INSERT INTO auth.oidc_logins (browser_hash, state, nonce, code_verifier, expires_at)
       VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5 / 1000.0))`,
      [hashToken(browserToken), login.state, login.nonce, login.codeVerifier, PENDING_LOGIN_TTL_MS],
    );
  }

  /** The pending sign-in of this browser, removed as it is read; undefined if none or expired. */
  async take(browserToken: string): Promise<PendingLogin | undefined> {
    const { rows } = await this.pool.query<{
      state: string;
      nonce: string;
      code_verifier: string;
    }>(
      `DELETE FROM auth.oidc_logins WHERE browser_hash = $1 AND expires_at > now()
       RETURNING state, nonce, code_verifier`,
      [hashToken(browserToken)],
    );
    const row = rows[0];
    return row && { state: row.state, nonce: row.nonce, codeVerifier: row.code_verifier };
  }
}
