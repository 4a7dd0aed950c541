import { IsInt, IsOptional, Max, Min } from 'class-validator';
import type { TenantLimits } from '@app/tenants';

const count = (): PropertyDecorator => {
  const decorators = [
    IsOptional(),
    IsInt({ message: '$property must be an integer (0 = unlimited)' }),
    Min(0),
    Max(Number.MAX_SAFE_INTEGER),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

/**
 * `PUT /v1/admin/tenants/:tenantId/limits`: the tenant's overrides, each a count (0 = unlimited); a limit
 * left out takes the deployment's default. The body replaces the overrides set before.
 */
export class TenantLimitsDto implements TenantLimits {
  /** Emails accepted for scheduling per calendar minute (UTC). */
  @count() emailsPerMinute?: number;
  /** Emails accepted for scheduling per calendar hour (UTC). */
  @count() emailsPerHour?: number;
  /** Emails accepted for scheduling per calendar day (UTC). */
  @count() emailsPerDay?: number;
  /** Emails scheduled and not yet sent, failed or cancelled. */
  @count() pendingEmails?: number;
  /** UTF-8 bytes of subject, text and html of the pending emails. */
  @count() pendingBytes?: number;
  /** Worker sends per RATE_LIMIT_WINDOW_MS over all the tenant's senders. */
  @count() sendsPerWindow?: number;
  /** Worker sends per RATE_LIMIT_WINDOW_MS per (tenant, from address). */
  @count() sendsPerWindowPerSender?: number;
}
