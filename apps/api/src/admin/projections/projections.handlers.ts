import { Inject, NotFoundException } from '@nestjs/common';
import {
  CommandHandler,
  QueryHandler,
  type ICommandHandler,
  type IQueryHandler,
} from '@nestjs/cqrs';
import type { EventStore } from '@app/event-store';
import { EVENT_STORE, PG_POOL } from '@app/platform';
import { listProjectionStatuses, requestRebuild, type ProjectionStatus } from '@app/read-model';
import type { Pool } from 'pg';

export class ListProjectionsQuery {}

/** What a projection may be called (read_model.projections: `emails`). */
const PROJECTION_NAME = /^[A-Za-z0-9_-]{1,63}$/;

export class RequestRebuildCommand {
  constructor(readonly name: string) {}
}

export interface RebuildRequested {
  readonly requestId: number;
  readonly projection: string;
  /** The active projector takes the request within about a second and rebuilds beside the live tables. */
  readonly state: 'requested';
  readonly requestedAt: string;
}

@QueryHandler(ListProjectionsQuery)
export class ListProjectionsHandler implements IQueryHandler<
  ListProjectionsQuery,
  ProjectionStatus[]
> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  execute(): Promise<ProjectionStatus[]> {
    return listProjectionStatuses(this.pool, this.store);
  }
}

/** Records a rebuild request for the active projector (`read_model.rebuild_requests`). */
@CommandHandler(RequestRebuildCommand)
export class RequestRebuildHandler implements ICommandHandler<
  RequestRebuildCommand,
  RebuildRequested
> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(command: RequestRebuildCommand): Promise<RebuildRequested> {
    // A name no projection can have is not looked up: PostgreSQL refuses a NUL in text (a 500).
    const known =
      PROJECTION_NAME.test(command.name) &&
      (
        await this.pool.query(`SELECT 1 FROM read_model.projections WHERE name = $1`, [
          command.name,
        ])
      ).rowCount !== 0;
    if (!known) throw new NotFoundException(`no such projection: ${command.name}`);
    const requestId = await requestRebuild(this.pool, command.name);
    const { rows } = await this.pool.query<{ requested_at: Date }>(
      `SELECT requested_at FROM read_model.rebuild_requests WHERE id = $1`,
      [requestId],
    );
    return {
      requestId,
      projection: command.name,
      state: 'requested',
      requestedAt: (rows[0]?.requested_at ?? new Date()).toISOString(),
    };
  }
}
