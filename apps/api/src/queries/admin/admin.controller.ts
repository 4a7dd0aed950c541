import { Controller, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { parseInstant } from '@app/domain';
import type { ProjectionStatus } from '@app/read-model';
import { AdminOnly } from '../../auth/auth.decorators';
import { validationFailed } from '../../common/validation';
import { DEFAULT_PAGE_SIZE, ListEmailsQueryDto, StatsQueryDto } from './admin-query.dto';
import { decodeCursor } from './email-cursor';
import type { EmailPage } from './list-emails.handler';
import { ListEmailsQuery } from './list-emails.query';
import {
  ListProjectionsQuery,
  RequestRebuildCommand,
  type RebuildRequested,
} from './projections.queries';
import type { Stats } from './stats.handler';
import { GetStatsQuery } from './stats.query';

const DAY_MS = 24 * 3_600_000;
/** The widest stats window: the hourly rows of a year at most. */
const MAX_WINDOW_MS = 366 * DAY_MS;
const INSTANT_REASON = 'must be an ISO-8601 date-time with a timezone (Z or ±hh:mm)';

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
    const issues: { field: string; reason: string }[] = [];
    const instant = (field: 'sendAfter' | 'sendBefore'): string | undefined => {
      const text = query[field];
      if (text === undefined) return undefined;
      const ms = parseInstant(text);
      if (ms === undefined) issues.push({ field, reason: INSTANT_REASON });
      return ms === undefined ? undefined : new Date(ms).toISOString();
    };
    const sendAfter = instant('sendAfter');
    const sendBefore = instant('sendBefore');
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    if (query.cursor !== undefined && after === undefined) {
      issues.push({ field: 'cursor', reason: 'is not a cursor this api returned' });
    }
    if (issues.length > 0) throw validationFailed(issues);
    return this.queries.execute<ListEmailsQuery, EmailPage>(
      new ListEmailsQuery(
        {
          tenant: query.tenant,
          status: query.status,
          from: query.from,
          to: query.to,
          tag: query.tag,
          sendAfter,
          sendBefore,
        },
        after,
        query.limit ?? DEFAULT_PAGE_SIZE,
      ),
    );
  }

  /** Counts by status, sends per sender per hour and lateness over `[since, until)` (default 24 h), projection lag. */
  @Get('stats')
  stats(@Query() query: StatsQueryDto): Promise<Stats> {
    const issues: { field: string; reason: string }[] = [];
    const instant = (field: 'since' | 'until'): number | undefined => {
      const text = query[field];
      if (text === undefined) return undefined;
      const ms = parseInstant(text);
      if (ms === undefined) issues.push({ field, reason: INSTANT_REASON });
      return ms;
    };
    const until = instant('until') ?? Date.now();
    const since = instant('since') ?? until - DAY_MS;
    if (issues.length === 0 && since >= until) {
      issues.push({ field: 'since', reason: 'must be before until' });
    }
    if (issues.length === 0 && until - since > MAX_WINDOW_MS) {
      issues.push({ field: 'since', reason: 'must be at most 366 days before until' });
    }
    if (issues.length > 0) throw validationFailed(issues);
    return this.queries.execute<GetStatsQuery, Stats>(
      new GetStatsQuery(query.tenant, new Date(since), new Date(until)),
    );
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
