import { ApiProperty } from '@nestjs/swagger';
import { TenantLimitUsage } from '../admin/tenants/tenant-limits.view';

export class StatsWindow {
  readonly since!: string;
  readonly until!: string;
}

export class SenderHourSends {
  readonly tenant!: string;
  readonly sender!: string;
  /** The hour's start, UTC. */
  readonly hour!: string;
  readonly count!: number;
}

/** sentAt − sendAt of the emails sent within the window, in ms; nulls when none was. */
export class LatenessStats {
  readonly count!: number;
  readonly p50Ms!: number | null;
  readonly p95Ms!: number | null;
  readonly p99Ms!: number | null;
}

/**
 * How far the read model is behind the store. A sender key sees only `state` and `lagSeconds`: the
 * positions, the head and the lag in events count every tenant's writes.
 */
export class ProjectionStats {
  @ApiProperty({ enum: ['live', 'rebuilding'] })
  readonly state!: 'live' | 'rebuilding';
  /** Admins only. */
  readonly position?: string | null;
  /** Admins only. */
  readonly head?: string | null;
  /** Admins only. */
  readonly lagEvents?: number;
  /** Admins only. */
  readonly lagEventsCapped?: boolean;
  readonly lagSeconds!: number;
}

/** `GET /v1/stats` (the caller's tenant) and `GET /v1/admin/stats` (one tenant, or all: null). */
export class Stats {
  readonly tenant!: string | null;
  readonly window!: StatsWindow;
  /** Every email in the read model by its current status (all time, not the window). */
  @ApiProperty({ type: 'object', additionalProperties: { type: 'number' } })
  readonly countsByStatus!: Record<string, number>;
  /** Emails sent per sender per hour, for the hours of the window. */
  @ApiProperty({ type: [SenderHourSends] })
  readonly sendsPerSenderPerHour!: readonly SenderHourSends[];
  readonly lateness!: LatenessStats;
  readonly projection!: ProjectionStats;
  /** The tenant's limits in effect and their usage now (docs/OPERATIONS.md); null over all tenants. */
  @ApiProperty({ type: [TenantLimitUsage], nullable: true })
  readonly limits!: readonly TenantLimitUsage[] | null;
}
