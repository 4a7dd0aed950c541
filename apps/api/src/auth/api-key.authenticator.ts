import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { isReservedTenantId } from '@app/tenants';
import { bearerToken, hashApiKey, hashesMatch } from './api-key';
import { type ApiKeyMatch, ApiKeysRepository } from './api-keys.repository';
import type { AuthenticatedRequest } from './authenticated-request';
import { mapOidcAccount } from './oidc/oidc-account';
import type { Principal } from './principal';
import { isHttps } from './request-origin';
import { readCookie, sessionCookieName } from './session-cookie';
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
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  authenticate(request: AuthenticatedRequest): Promise<Authentication> {
    let authentication = this.resolved.get(request);
    if (!authentication) {
      authentication = this.resolve(request);
      this.resolved.set(request, authentication);
    }
    return authentication;
  }

  /** The live key `key` is, or undefined (also for a sender key of a reserved tenant). */
  async verifyKey(key: string): Promise<ApiKeyMatch | undefined> {
    const hash = hashApiKey(key);
    const match = await this.keys.findLiveByHash(hash);
    return match && hashesMatch(match.keyHash, hash) && !writesAsTheService(match)
      ? match
      : undefined;
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
    const name = sessionCookieName(isHttps(request, this.config));
    const token = readCookie(request.headers.cookie, name);
    if (token === undefined || token === '') return { outcome: 'missing' };
    const session = await this.sessions.findLive(token);
    if (!session || writesAsTheService(session)) return { outcome: 'invalid' };
    const refusal = this.oidcRefusal(session);
    if (refusal !== undefined) {
      await this.sessions.delete(session.tokenHash);
      this.logger.warn(
        `OIDC session of ${session.oidc?.email ?? session.subject} ended: ${refusal}`,
      );
      return { outcome: 'invalid' };
    }
    return {
      outcome: 'authenticated',
      // Signed in with a key: the key's own throttle budget; with OIDC: one per person.
      principal: {
        keyId: session.apiKeyId ?? `oidc:${session.oidc?.issuer}#${session.subject}`,
        role: session.role,
        tenantId: session.tenantId,
      },
      session,
    };
  }

  /**
   * Why an OIDC session no longer stands under the configuration of the moment (its person left
   * OIDC_ADMIN_EMAILS, their domain left OIDC_TENANT_DOMAINS, the issuer changed), or undefined.
   * A changed role or tenant ends the session too: the person signs in again as what they now are.
   * API-key sessions follow their key (findLive), so need no check here.
   */
  private oidcRefusal(session: ActiveSession): string | undefined {
    const identity = session.oidc;
    if (session.method !== 'oidc') return undefined;
    const oidc = this.config.oidc;
    if (!identity || !oidc || identity.issuer !== oidc.issuer) {
      return 'OpenID Connect sign-in is no longer configured for its issuer';
    }
    const account = mapOidcAccount(
      {
        sub: identity.subject,
        email: identity.email,
        email_verified: true,
        hd: identity.hostedDomain ?? undefined,
      },
      oidc,
    );
    if (!account.allowed) return account.reason;
    if (account.role !== session.role || account.tenantId !== session.tenantId) {
      return `now ${account.role} of ${account.tenantId}`;
    }
    return undefined;
  }
}

/**
 * A sender in a reserved tenant (`admin`, …): such keys can no longer be minted, but one minted before
 * the rule would read and change every admin's emails, which live in tenant `admin`. Refused as a
 * revoked key is.
 */
function writesAsTheService(who: { readonly role: string; readonly tenantId: string }): boolean {
  return who.role === 'sender' && isReservedTenantId(who.tenantId);
}
