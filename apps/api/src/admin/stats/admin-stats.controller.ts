import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { AdminOnly } from '../../auth/auth.decorators';
import { StatsQueryDto } from '../../stats/stats-query.dto';
import type { GetStatsQuery } from '../../stats/stats.query';
import { toStatsQuery } from '../../stats/stats.request';
import { Stats } from '../../stats/stats.view';

/** `GET /v1/admin/stats`: the stats of every tenant, or of one with `tenant`. */
@AdminOnly()
@Controller('v1/admin/stats')
export class AdminStatsController {
  constructor(private readonly queries: QueryBus) {}

  /** Counts by status, sends per sender per hour and lateness over `[since, until)` (default 24 h), projection lag. */
  @Get()
  @ApiOkResponse({ type: Stats })
  stats(@Query() query: StatsQueryDto): Promise<Stats> {
    return this.queries.execute<GetStatsQuery, Stats>(toStatsQuery(query, query.tenant));
  }
}
