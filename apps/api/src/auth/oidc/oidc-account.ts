import type { OidcConfig } from '@app/platform';
import type { Role } from '../principal';

/** The ID token claims the mapping reads. */
export interface OidcClaims {
  readonly sub: string;
  readonly email?: unknown;
  readonly email_verified?: unknown;
}

export type OidcAccount =
  | {
      readonly allowed: true;
      readonly role: Role;
      readonly tenantId: string;
      readonly subject: string;
    }
  | { readonly allowed: false; readonly reason: string };

/**
 * Who a signed-in person is here: an address listed in OIDC_ADMIN_EMAILS is an admin (tenant
 * `admin`); otherwise the domain of the address picks the tenant from OIDC_TENANT_DOMAINS and the
 * role is sender. The address must be verified by the provider; anyone else is refused.
 */
export function mapOidcAccount(
  claims: OidcClaims,
  config: Pick<OidcConfig, 'adminEmails' | 'tenantDomains'>,
): OidcAccount {
  if (typeof claims.email !== 'string' || claims.email === '') {
    return { allowed: false, reason: 'the provider sent no email address' };
  }
  if (claims.email_verified !== true) {
    return { allowed: false, reason: `${claims.email} is not verified by the provider` };
  }
  const email = claims.email.toLowerCase();
  if (config.adminEmails.includes(email)) {
    return { allowed: true, role: 'admin', tenantId: 'admin', subject: email };
  }
  const tenantId = config.tenantDomains.get(email.slice(email.lastIndexOf('@') + 1));
  if (tenantId === undefined) {
    return { allowed: false, reason: `${email} belongs to no tenant` };
  }
  return { allowed: true, role: 'sender', tenantId, subject: email };
}
