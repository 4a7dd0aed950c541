import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { CurrentPrincipal, type Principal } from '../../auth/current-principal.decorator';
import type { EmailPage } from '../admin/list-emails.handler';
import type { ListEmailsQuery } from '../admin/list-emails.query';
import type { Stats } from '../admin/stats.handler';
import type { GetStatsQuery } from '../admin/stats.query';
import { toListEmailsQuery, toStatsQuery } from '../read-requests';
import { TenantListEmailsQueryDto, TenantStatsQueryDto } from './tenant-query.dto';

/**
 * The admin list and stats for any key, scoped to the caller's own tenant (what the dashboard
 * shows a sender). The same query handlers as /v1/admin, with the tenant fixed by the principal.
 */
@Controller('v1')
export class TenantQueriesController {
  constructor(private readonly queries: QueryBus) {}

  /** Filters `status, from, to, tag, sendAfter, sendBefore`; keyset paging by (sendAt, id). */
  @Get('emails')
  emails(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TenantListEmailsQueryDto,
  ): Promise<EmailPage> {
    return this.queries.execute<ListEmailsQuery, EmailPage>(
      toListEmailsQuery(query, principal.tenantId),
    );
  }

  /** Counts by status, sends per hour and lateness of the caller's tenant; projection lag. */
  @Get('stats')
  stats(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TenantStatsQueryDto,
  ): Promise<Stats> {
    return this.queries.execute<GetStatsQuery, Stats>(toStatsQuery(query, principal.tenantId));
  }
}
