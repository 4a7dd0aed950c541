import { Injectable } from '@nestjs/common';
import { bearerToken, hashApiKey, hashesMatch } from './api-key';
import { type ApiKeyMatch, ApiKeysRepository } from './api-keys.repository';
import type { AuthenticatedRequest } from './authenticated-request';
import type { Principal } from './principal';
import { SESSION_COOKIE, readCookie } from './session-cookie';
import { type ActiveSession, SessionsRepository } from './sessions.repository';

export type Authentication =
  | {
      readonly outcome: 'authenticated';
      readonly principal: Principal;
      /** Set when the request was authenticated by the dashboard's session cookie. */
      readonly session?: ActiveSession;
    }
  | { readonly outcome: 'missing' }
  | { readonly outcome: 'invalid' };

/**
 * Resolves a request to a principal: by its `Authorization: Bearer` key (hash, look the hash up
 * among live keys, compare in constant time) or, without that header, by the dashboard's session
 * cookie. The throttler (to count per key) and the auth guard (to admit or refuse) both ask; the
 * lookup runs once per request.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly resolved = new WeakMap<object, Promise<Authentication>>();

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly sessions: SessionsRepository,
  ) {}

  authenticate(request: AuthenticatedRequest): Promise<Authentication> {
    let authentication = this.resolved.get(request);
    if (!authentication) {
      authentication = this.resolve(request);
      this.resolved.set(request, authentication);
    }
    return authentication;
  }

  /** The live key `key` is, or undefined. */
  async verifyKey(key: string): Promise<ApiKeyMatch | undefined> {
    const hash = hashApiKey(key);
    const match = await this.keys.findLiveByHash(hash);
    return match && hashesMatch(match.keyHash, hash) ? match : undefined;
  }

  private async resolve(request: AuthenticatedRequest): Promise<Authentication> {
    const header = request.headers.authorization;
    if (header === undefined || header.trim() === '') return this.resolveSession(request);
    const token = bearerToken(header);
    if (token === undefined) return { outcome: 'invalid' };
    const match = await this.verifyKey(token);
    if (!match) return { outcome: 'invalid' };
    return {
      outcome: 'authenticated',
      principal: { keyId: match.id, role: match.role, tenantId: match.tenantId },
    };
  }

  private async resolveSession(request: AuthenticatedRequest): Promise<Authentication> {
    const token = readCookie(request.headers.cookie, SESSION_COOKIE);
    if (token === undefined || token === '') return { outcome: 'missing' };
    const session = await this.sessions.findLive(token);
    if (!session) return { outcome: 'invalid' };
    return {
      outcome: 'authenticated',
      // Signed in with a key: the key's own throttle budget; with OIDC: one per person.
      principal: {
        keyId: session.apiKeyId ?? `oidc:${session.subject}`,
        role: session.role,
        tenantId: session.tenantId,
      },
      session,
    };
  }
}
