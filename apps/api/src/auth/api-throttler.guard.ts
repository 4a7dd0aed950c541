import { type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import type { AuthenticatedRequest } from './authenticated-request';

/**
 * Global rate limit, counted per API key, or per client IP for requests without a valid key
 * (public routes, and wrong keys, which are throttled before they are refused). Runs before the
 * auth guard. Counters live in Redis (RedisThrottlerStorage), shared by every api process.
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
    return `ip:${await super.getTracker(request)}`;
  }

  /** One counter per caller across all routes, not one per route; named for Redis. */
  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `api-rate-limit:${name}:${tracker}`;
  }

  protected override throwThrottlingException(): Promise<void> {
    throw new HttpException(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: 'Rate limit exceeded; retry after the number of seconds in Retry-After',
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
