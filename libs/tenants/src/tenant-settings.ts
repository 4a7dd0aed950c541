// What an admin sets per tenant: the domains its senders may send from and the limits it runs under.
// Plain data, shared by the api (which enforces the identities and the email quotas) and the worker (which
// enforces the send rates).

/**
 * Tenant ids no sender key may be minted for: `admin` is the tenant every admin writes in; the others are
 * names an operator or a log reader would take for the service itself.
 */
export const RESERVED_TENANT_IDS: readonly string[] = [
  'admin',
  'system',
  'root',
  'internal',
  'service',
];

export function isReservedTenantId(tenantId: string): boolean {
  return RESERVED_TENANT_IDS.includes(tenantId.toLowerCase());
}

/**
 * Per-tenant limits. Each is a count (0 = unlimited); an absent one takes the deployment's default
 * (configuration), so an admin overrides only what differs for this tenant.
 */
export interface TenantLimits {
  /** Emails accepted for scheduling per calendar minute / hour / day (UTC), counted in emails, not requests. */
  readonly emailsPerMinute?: number;
  readonly emailsPerHour?: number;
  readonly emailsPerDay?: number;
  /** Emails scheduled but not yet final (sent, failed, cancelled) at once. */
  readonly pendingEmails?: number;
  /** UTF-8 bytes of content (subject, text, html) of the emails not yet final. */
  readonly pendingBytes?: number;
  /** Sends per rate window by the worker, over all of the tenant's senders. */
  readonly sendsPerWindow?: number;
  /** Sends per rate window by the worker, per (tenant, from address). */
  readonly sendsPerWindowPerSender?: number;
}

export const TENANT_LIMIT_NAMES = [
  'emailsPerMinute',
  'emailsPerHour',
  'emailsPerDay',
  'pendingEmails',
  'pendingBytes',
  'sendsPerWindow',
  'sendsPerWindowPerSender',
] as const satisfies readonly (keyof TenantLimits)[];

export type TenantLimitName = (typeof TENANT_LIMIT_NAMES)[number];

export interface TenantSettings {
  readonly tenantId: string;
  /**
   * Lower-cased domains the tenant's senders may send from (an address's domain must equal one). Empty:
   * none configured, so a sender of this tenant cannot send until an admin configures them.
   */
  readonly senderDomains: readonly string[];
  readonly limits: TenantLimits;
  readonly updatedAt: Date | null;
}

/** The settings of a tenant nobody has configured: no sender domains, the default limits. */
export function unconfiguredTenant(tenantId: string): TenantSettings {
  return { tenantId, senderDomains: [], limits: {}, updatedAt: null };
}
