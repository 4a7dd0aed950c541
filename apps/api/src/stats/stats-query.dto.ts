import { OmitType } from '@nestjs/swagger';
import { IsOptional, IsString, Matches } from 'class-validator';
import { TENANT_ID_PATTERN, TENANT_REASON } from '../auth/principal';

/** `GET /v1/admin/stats`: the window of the hourly sends and of the lateness percentiles. */
export class StatsQueryDto {
  @IsOptional()
  @Matches(TENANT_ID_PATTERN, TENANT_REASON)
  tenant?: string;

  /** Inclusive; default `until` − 24 h. */
  @IsOptional()
  @IsString()
  since?: string;

  /** Exclusive; default now. */
  @IsOptional()
  @IsString()
  until?: string;
}

/** `GET /v1/stats`: the admin stats' window, always for the caller's tenant. */
export class TenantStatsQueryDto extends OmitType(StatsQueryDto, ['tenant'] as const) {}
