export const ROLES = ['admin', 'sender'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: set on the request by the API-key guard for every non-public route. */
export interface Principal {
  readonly keyId: string;
  readonly role: Role;
  readonly tenantId: string;
}

/** The tenant of keys minted for admins when none is given, and of the ADMIN_API_KEY key. */
export const ADMIN_TENANT = 'admin';

/** A tenant id: 1–64 letters, digits, `_` or `-`. */
export const TENANT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** class-validator's message for a field that must match TENANT_ID_PATTERN. */
export const TENANT_REASON = { message: 'must be a tenant id: 1–64 letters, digits, _ or -' };

/**
 * An answer as the caller may see it: an admin's whole; a sender's through the view's sender mapping,
 * which leaves out what is internal to the service or shared by every tenant (worker ids, a relay's
 * text, store positions).
 */
export function viewFor<View>(
  principal: Principal,
  view: View,
  toSenderView: (view: View) => View,
): View {
  return principal.role === 'admin' ? view : toSenderView(view);
}
