import {
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ServerResponse } from 'node:http';
import { APP_CONFIG, type AppConfig } from '@app/platform';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { IS_ADMIN_ONLY, IS_PUBLIC } from './auth.decorators';
import type { AuthenticatedRequest } from './authenticated-request';
import { csrfRefusal } from './csrf';

const ADMIN_PATH = /^\/v1\/admin(\/|$)/i;

/**
 * Global guard: every route needs `Authorization: Bearer <key>` or the dashboard's session cookie
 * unless it is `@Public()`. No or unknown or revoked key, or no live session → 401; a sender on an
 * `@AdminOnly()` route or under `/v1/admin` → 403; a cookie-authenticated state-changing request
 * without the session's CSRF token or from another origin → 403. Sets `request.principal` (and
 * `request.session`).
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const authentication = await this.authenticator.authenticate(request);
    if (authentication.outcome !== 'authenticated') {
      http.getResponse<ServerResponse>().setHeader('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException(
        authentication.outcome === 'missing'
          ? 'Missing API key: send Authorization: Bearer <key> (or sign in to the dashboard)'
          : 'Invalid or revoked API key, or the session has ended',
      );
    }

    const { principal, session } = authentication;
    const refusal = session && csrfRefusal(request, session, this.config);
    if (refusal) throw new ForbiddenException(refusal);
    const adminOnly =
      this.reflector.getAllAndOverride<boolean>(IS_ADMIN_ONLY, targets) ||
      ADMIN_PATH.test(request.path);
    if (adminOnly && principal.role !== 'admin') {
      throw new ForbiddenException('This endpoint needs an admin API key');
    }
    request.principal = principal;
    request.session = session;
    return true;
  }
}
