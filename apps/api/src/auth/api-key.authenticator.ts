import { Injectable } from '@nestjs/common';
import { bearerToken, hashApiKey, hashesMatch } from './api-key';
import { ApiKeysRepository } from './api-keys.repository';
import type { AuthenticatedRequest } from './authenticated-request';
import type { Principal } from './principal';

export type Authentication =
  | { readonly outcome: 'authenticated'; readonly principal: Principal }
  | { readonly outcome: 'missing' }
  | { readonly outcome: 'invalid' };

/**
 * Resolves a request's `Authorization: Bearer` key to a principal: hash, look the hash up among
 * live keys, compare in constant time. The throttler (to count per key) and the auth guard (to
 * admit or refuse) both ask; the lookup runs once per request.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly resolved = new WeakMap<object, Promise<Authentication>>();

  constructor(private readonly keys: ApiKeysRepository) {}

  authenticate(request: AuthenticatedRequest): Promise<Authentication> {
    let authentication = this.resolved.get(request);
    if (!authentication) {
      authentication = this.resolve(request.headers.authorization);
      this.resolved.set(request, authentication);
    }
    return authentication;
  }

  private async resolve(header: string | undefined): Promise<Authentication> {
    if (header === undefined || header.trim() === '') return { outcome: 'missing' };
    const token = bearerToken(header);
    if (token === undefined) return { outcome: 'invalid' };
    const hash = hashApiKey(token);
    const match = await this.keys.findLiveByHash(hash);
    if (!match || !hashesMatch(match.keyHash, hash)) return { outcome: 'invalid' };
    return {
      outcome: 'authenticated',
      principal: { keyId: match.id, role: match.role, tenantId: match.tenantId },
    };
  }
}
