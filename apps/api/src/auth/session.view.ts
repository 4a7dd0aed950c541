import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from './principal';
import type { ActiveSession, SignInMethod } from './sessions.repository';

type AuthMethod = SignInMethod | 'bearer';
const AUTH_METHODS: Record<AuthMethod, true> = { 'api-key': true, oidc: true, bearer: true };

/** `GET /v1/session`: who is signed in, and the token state-changing requests must send back. */
export class SessionView {
  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  readonly role!: Role;
  readonly tenantId!: string;
  readonly subject!: string;
  /** How this request was authenticated. */
  @ApiProperty({ enum: Object.keys(AUTH_METHODS) })
  readonly method!: AuthMethod;
  /** Send as `X-CSRF-Token` with POST, PATCH and DELETE; null for bearer-key callers. */
  readonly csrfToken!: string | null;
  readonly expiresAt!: string | null;
}

export function toSessionView(session: ActiveSession): SessionView {
  return {
    role: session.role,
    tenantId: session.tenantId,
    subject: session.subject,
    method: session.method,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
  };
}

export class OidcSignIn {
  /** Names the provider for the sign-in button. */
  readonly label!: string;
}

/** `GET /v1/auth/methods`: how the dashboard's sign-in page offers to sign in. */
export class SignInMethods {
  @ApiProperty({ type: 'boolean', enum: [true] })
  readonly apiKey!: true;
  /** Null when OIDC_ISSUER is unset. */
  readonly oidc!: OidcSignIn | null;
}
