import type { TenantLimitName } from '@app/tenants';

/** What a 429 for a quota says, in its body's `details`: the binding limit and when to try again. */
export interface QuotaRefusal {
  readonly limit: TenantLimitName;
  /** The limit's value for this tenant (its override, else the default). */
  readonly limitValue: number;
  /** What the tenant had used of it before this request. */
  readonly used: number;
  /** What this request asked for: emails, or bytes for pendingBytes. */
  readonly requested: number;
  /** Also the `Retry-After` header. */
  readonly retryAfterSeconds: number;
}

/** A write over one of its tenant's email quotas: refused whole, a 429 (common/error-body.ts). */
export class QuotaExceededError extends Error {
  constructor(readonly refusal: QuotaRefusal) {
    super(describe(refusal));
  }
}

function describe({ limit, limitValue, used, requested }: QuotaRefusal): string {
  const unit = limit === 'pendingBytes' ? 'bytes' : 'emails';
  const over =
    requested > limitValue
      ? `this request alone (${requested} ${unit}) is over it; send fewer at a time`
      : `${used} used, ${requested} more asked for`;
  return `tenant quota ${limit} (${limitValue} ${unit}) exceeded: ${over}`;
}
