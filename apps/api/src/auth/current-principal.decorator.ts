import { createParamDecorator, type ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { AuthenticatedRequest } from './authenticated-request';
import type { Principal } from './principal';

export type { Principal, Role } from './principal';

/**
 * The caller's principal (`{keyId, role, tenantId}`), set by the API-key guard. On a `@Public()`
 * route there is none, and asking for it answers 401.
 */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!request.principal) throw new UnauthorizedException('Missing API key');
    return request.principal;
  },
);
