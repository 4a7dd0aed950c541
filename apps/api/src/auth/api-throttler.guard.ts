import type { ServerResponse } from 'node:http';
import { type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
  normalizeIp,
} from '@nestjs/throttler';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { IS_SIGN_IN } from './auth.decorators';
import type { AuthenticatedRequest } from './authenticated-request';

/** The throttler of sign-in routes (SIGN_IN_RATE_LIMIT), counted per client address. */
export const SIGN_IN_THROTTLER = 'sign-in';

/**
 * An IPv6 client can use every address of its /64 (one customer's prefix): counting per address
 * would give it 2^64 buckets.
 */
const IPV6_SUBNET_PREFIX = 64;

/**
 * The bucket of the client's address: IPv4 as is, IPv4-mapped IPv6 (`::ffff:a.b.c.d`) as that
 * IPv4, other IPv6 as its /64. `req.ip` is Express's: the socket's peer, or with TRUSTED_PROXIES
 * the client a trusted proxy names in X-Forwarded-For (configure-http.ts).
 */
export function clientAddressBucket(request: { readonly ip?: string }): string {
  return `ip:${normalizeIp(request.ip ?? '', IPV6_SUBNET_PREFIX)}`;
}

/** Only on routes marked `@SignIn()`. */
export function isSignInRoute(context: ExecutionContext): boolean {
  return Reflect.getMetadata(IS_SIGN_IN, context.getHandler()) === true;
}

/**
 * Global rate limit, counted per API key, or per client address (clientAddressBucket) for
 * requests without a valid key (public routes, and wrong keys, which are throttled before they are
 * refused); sign-in routes also count against SIGN_IN_THROTTLER, per address. Runs before the auth
 * guard. Counters live in Redis (RedisThrottlerStorage), shared by every api process.
 */
@Injectable()
export class ApiThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(request: Record<string, unknown>): Promise<string> {
    const authentication = await this.authenticator.authenticate(
      request as unknown as AuthenticatedRequest,
    );
    if (authentication.outcome === 'authenticated') return `key:${authentication.principal.keyId}`;
    return clientAddressBucket(request);
  }

  /** One counter per caller across all routes, not one per route; named for Redis. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `api-rate-limit:${name}:${tracker}`;
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const signIn = detail.key.startsWith(`api-rate-limit:${SIGN_IN_THROTTLER}:`);
    // The throttler names the header of a named limit Retry-After-<name>; clients read Retry-After.
    context
      .switchToHttp()
      .getResponse<ServerResponse>()
      .setHeader('Retry-After', String(detail.timeToBlockExpire));
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: signIn
          ? 'Too many sign-in attempts from this address; retry after the number of seconds in Retry-After'
          : 'Rate limit exceeded; retry after the number of seconds in Retry-After',
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
