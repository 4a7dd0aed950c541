import type { OidcConfig } from '@app/platform';
import type { Role } from '../principal';

/** The ID token claims the mapping reads. */
export interface OidcClaims {
  readonly sub: string;
  readonly email?: unknown;
  readonly email_verified?: unknown;
  /** Google Workspace: the domain of the account, absent for consumer accounts. */
  readonly hd?: unknown;
}

export type OidcAccount =
  | {
      readonly allowed: true;
      readonly role: Role;
      readonly tenantId: string;
      /** Lower-cased. */
      readonly email: string;
    }
  | { readonly allowed: false; readonly reason: string };

/**
 * Who a signed-in person is here: an address listed in OIDC_ADMIN_EMAILS is an admin (tenant
 * `admin`); otherwise the domain of the address picks the tenant from OIDC_TENANT_DOMAINS and the
 * role is sender. The address must be verified by the provider, and with OIDC_HOSTED_DOMAIN the
 * account must belong to that Google Workspace domain; anyone else is refused. Asked at sign-in
 * and again on every request of the session, with the configuration of the moment.
 */
export function mapOidcAccount(
  claims: OidcClaims,
  config: Pick<OidcConfig, 'adminEmails' | 'tenantDomains' | 'hostedDomain'>,
): OidcAccount {
  if (typeof claims.email !== 'string' || claims.email === '') {
    return { allowed: false, reason: 'the provider sent no email address' };
  }
  if (claims.email_verified !== true) {
    return { allowed: false, reason: `${claims.email} is not verified by the provider` };
  }
  const email = claims.email.toLowerCase();
  if (
    config.hostedDomain !== undefined &&
    (typeof claims.hd !== 'string' || claims.hd.toLowerCase() !== config.hostedDomain)
  ) {
    return { allowed: false, reason: `${email} is not an account of ${config.hostedDomain}` };
  }
  if (config.adminEmails.includes(email)) {
    return { allowed: true, role: 'admin', tenantId: 'admin', email };
  }
  const tenantId = config.tenantDomains.get(email.slice(email.lastIndexOf('@') + 1));
  if (tenantId === undefined) {
    return { allowed: false, reason: `${email} belongs to no tenant` };
  }
  return { allowed: true, role: 'sender', tenantId, email };
}
