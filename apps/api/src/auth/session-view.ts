import type { Role } from './principal';
import type { ActiveSession } from './sessions.repository';

/** `GET /v1/session`: who is signed in, and the token state-changing requests must send back. */
export interface SessionView {
  readonly role: Role;
  readonly tenantId: string;
  readonly subject: string;
  /** How this request was authenticated. */
  readonly method: 'api-key' | 'oidc' | 'bearer';
  /** Send as `X-CSRF-Token` with POST, PATCH and DELETE; null for bearer-key callers. */
  readonly csrfToken: string | null;
  readonly expiresAt: string | null;
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
