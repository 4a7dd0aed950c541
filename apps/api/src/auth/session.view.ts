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
    // Who signed in, as a person reads it: the email of an OIDC account, the name of an API key.
    subject: session.oidc?.email ?? session.subject,
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

/** `GET /v1/admin/sessions`: a live session as an admin sees it; never its token or hash. */
export class AdminSessionView {
  /** Ends just this session: `DELETE /v1/admin/sessions?id=`. */
  readonly id!: string;
  @ApiProperty({ enum: ['api-key', 'oidc'] })
  readonly method!: SignInMethod;
  /** OIDC: the provider's `sub`; API key: the key's name. */
  readonly subject!: string;
  /** OIDC: the issuer the subject belongs to; null for API-key sessions. */
  readonly issuer!: string | null;
  /** OIDC: the account's email; null for API-key sessions. */
  readonly email!: string | null;
  /** API-key sessions: the key signed in with; null for OIDC. */
  readonly apiKeyId!: string | null;
  @ApiProperty({ enum: ROLES, enumName: 'Role' })
  readonly role!: Role;
  readonly tenantId!: string;
  readonly createdAt!: string;
  readonly expiresAt!: string;
}

export class SessionList {
  readonly items!: AdminSessionView[];
}

export class EndedSessions {
  readonly ended!: number;
}

export function toAdminSessionView(session: ActiveSession): AdminSessionView {
  return {
    id: session.id,
    method: session.method,
    subject: session.subject,
    issuer: session.oidc?.issuer ?? null,
    email: session.oidc?.email ?? null,
    apiKeyId: session.apiKeyId,
    role: session.role,
    tenantId: session.tenantId,
    createdAt: session.createdAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
  };
}
