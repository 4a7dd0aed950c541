import { Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import type { ProjectionStatus } from '@app/read-model';
import { AdminOnly } from '../../auth/auth.decorators';
import {
  ListProjectionsQuery,
  RequestRebuildCommand,
  type RebuildRequested,
} from './projections.handlers';

/** `/v1/admin/projections`: the read model's projections, their lag, and rebuilds on request. */
@AdminOnly()
@Controller('v1/admin/projections')
export class ProjectionsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
  ) {}

  @Get()
  async projections(): Promise<{ projections: ProjectionStatus[] }> {
    const projections = await this.queries.execute<ListProjectionsQuery, ProjectionStatus[]>(
      new ListProjectionsQuery(),
    );
    return { projections };
  }

  /** 202: the active projector rebuilds into fresh tables beside the live ones, then swaps. */
  @Post(':name/rebuild')
  @HttpCode(HttpStatus.ACCEPTED)
  rebuild(@Param('name') name: string): Promise<RebuildRequested> {
    return this.commands.execute<RequestRebuildCommand, RebuildRequested>(
      new RequestRebuildCommand(name),
    );
  }
}
