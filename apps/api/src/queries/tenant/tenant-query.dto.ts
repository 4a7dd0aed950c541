import { OmitType } from '@nestjs/swagger';
import { ListEmailsQueryDto, StatsQueryDto } from '../admin/admin-query.dto';

/** `GET /v1/emails`: the admin list's filters, always within the caller's tenant. */
export class TenantListEmailsQueryDto extends OmitType(ListEmailsQueryDto, ['tenant'] as const) {}

/** `GET /v1/stats`: the admin stats' window, always for the caller's tenant. */
export class TenantStatsQueryDto extends OmitType(StatsQueryDto, ['tenant'] as const) {}
