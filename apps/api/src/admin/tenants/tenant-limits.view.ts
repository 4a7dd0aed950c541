import { ApiProperty } from '@nestjs/swagger';
import { TENANT_LIMIT_NAMES, type TenantLimitName } from '@app/tenants';
import { TenantLimitsDto } from './tenant-limits.dto';

/** One of a tenant's limits in effect, and what it has used of it. */
export class TenantLimitUsage {
  @ApiProperty({ enum: TENANT_LIMIT_NAMES })
  readonly name!: TenantLimitName;
  /** The limit in effect: the tenant's override, else the default; 0 = unlimited. */
  readonly value!: number;
  /** Whether an admin set this limit for the tenant. */
  readonly overridden!: boolean;
  /**
   * Emails in the current calendar window, or pending emails / bytes (as of the read model); null for the
   * send rates, which the worker enforces (a deferral names the one that bound).
   */
  readonly used!: number | null;
  /** value − used; null when unlimited or not counted here. */
  readonly remaining!: number | null;
  /** When the calendar window ends and its count starts again; null for the others. */
  readonly resetsAt!: string | null;
}

/** `GET`/`PUT /v1/admin/tenants/:tenantId/limits`. */
export class TenantLimitsView {
  readonly tenantId!: string;
  /** What an admin set for this tenant (absent: the default). */
  readonly overrides!: TenantLimitsDto;
  @ApiProperty({ type: [TenantLimitUsage] })
  readonly limits!: readonly TenantLimitUsage[];
}
