// Who may send as whom. The relay's SPF and DKIM vouch for every message the service sends, so a tenant's
// senders may only use the domains an admin has given that tenant; admins may use any address.

/**
 * The addresses a ScheduleEmail may name as `from`: any (an admin's request), or those whose domain is
 * exactly one of `domains` (a sender's request; the tenant's configured sender domains, lower-cased).
 * Subdomains do not count: `mail.acme.com` is another domain than `acme.com`, and may be another party's.
 */
export type SenderIdentity =
  { readonly kind: 'any' } | { readonly kind: 'domains'; readonly domains: readonly string[] };

/** Where an admin sets a tenant's sender domains; named in the refusal a sender gets without any. */
const SENDER_DOMAINS_ROUTE = 'PUT /v1/admin/tenants/<tenantId>/sender-domains';

/** Why `address` (already parsed, so its domain is lower-case) may not be sent from; undefined when it may. */
export function senderIdentityProblem(
  address: string,
  identity: SenderIdentity,
  tenantId: string,
): string | undefined {
  if (identity.kind === 'any') return undefined;
  if (identity.domains.length === 0) {
    return `tenant ${tenantId} has no sender domains configured: an admin must configure them first (${SENDER_DOMAINS_ROUTE})`;
  }
  const domain = address.slice(address.lastIndexOf('@') + 1).toLowerCase();
  if (identity.domains.some((allowed) => allowed.toLowerCase() === domain)) return undefined;
  // The list itself is left out: it may be long, and a CSV import repeats this reason on every row.
  return `domain ${domain} is not one of tenant ${tenantId}'s sender domains`;
}
