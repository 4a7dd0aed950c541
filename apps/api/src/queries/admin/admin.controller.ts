import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { ProjectionStatus } from '@app/read-model';
import { AdminOnly } from '../../auth/auth.decorators';
import { toListEmailsQuery, toStatsQuery } from '../read-requests';
import { ListEmailsQueryDto, StatsQueryDto } from './admin-query.dto';
import type { EmailPage } from './list-emails.handler';
import type { ListEmailsQuery } from './list-emails.query';
import {
  ListProjectionsQuery,
  RequestRebuildCommand,
  type RebuildRequested,
} from './projections.queries';
import type { Stats } from './stats.handler';
import type { GetStatsQuery } from './stats.query';

/**
 * The operators' read side. Admin keys only (a sender key gets 403, as everywhere under
 * /v1/admin); an admin sees every tenant and may narrow to one with `tenant`.
 */
@AdminOnly()
@Controller('v1/admin')
export class AdminController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  /** Filters `status, from, to, tag, sendAfter, sendBefore, tenant`; keyset paging by (sendAt, id). */
  @Get('emails')
  emails(@Query() query: ListEmailsQueryDto): Promise<EmailPage> {
    return this.queries.execute<ListEmailsQuery, EmailPage>(toListEmailsQuery(query, query.tenant));
  }

  /** Counts by status, sends per sender per hour and lateness over `[since, until)` (default 24 h), projection lag. */
  @Get('stats')
  stats(@Query() query: StatsQueryDto): Promise<Stats> {
    return this.queries.execute<GetStatsQuery, Stats>(toStatsQuery(query, query.tenant));
  }

  @Get('projections')
  async projections(): Promise<{ projections: ProjectionStatus[] }> {
    const projections = await this.queries.execute<ListProjectionsQuery, ProjectionStatus[]>(
      new ListProjectionsQuery(),
    );
    return { projections };
  }

  /** 202: the active projector rebuilds into fresh tables beside the live ones, then swaps. */
  @Post('projections/:name/rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  rebuild(@Param('name') name: string): Promise<RebuildRequested> {
    return this.commands.execute<RequestRebuildCommand, RebuildRequested>(
      new RequestRebuildCommand(name),
    );
  }
}
