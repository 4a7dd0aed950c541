import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '../auth/current-principal.decorator';
import { viewFor } from '../auth/principal';
import { toSenderStats } from './sender-stats';
import { TenantStatsQueryDto } from './stats-query.dto';
import type { GetStatsQuery } from './stats.query';
import { toStatsQuery } from './stats.request';
import { Stats } from './stats.view';

/** `GET /v1/stats`: the admin stats for any key, scoped to the caller's own tenant. */
@Controller('v1/stats')
export class StatsController {
  constructor(private readonly queries: QueryBus) {}

  /**
   * Counts by status, sends per hour and lateness of the caller's tenant; projection lag (for a
   * sender key, only in seconds).
   */
  @Get()
  @ApiOkResponse({ type: Stats })
  async stats(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TenantStatsQueryDto,
  ): Promise<Stats> {
    const stats = await this.queries.execute<GetStatsQuery, Stats>(
      toStatsQuery(query, principal.tenantId),
    );
    return viewFor(principal, stats, toSenderStats);
  }
}
