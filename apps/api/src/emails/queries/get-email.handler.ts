import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { EmailStreams } from '@app/email-streams';
import type { Position } from '@app/event-store';
import { PG_POOL } from '@app/platform';
import { EMAIL_LIST_COLUMNS, READ_MODEL_VIEWS } from '@app/read-model';
import type { Pool } from 'pg';
import { toEmailView, type EmailView, type EmailViewRow } from './email.view';
import { GetEmailQuery } from './get-email.query';
import { ProjectionCheckpoint } from '../../read-model/projection-checkpoint';

export interface GetEmailResult {
  /** Undefined: no such email for this tenant (yet, when `stale`). */
  readonly email: EmailView | undefined;
  /** A minPosition or minRevision was asked for and the projection had not reached it within the wait. */
  readonly stale: boolean;
}

/**
 * One email from the read model, its tenant's only. With a minPosition, first waits (bounded) for
 * the projection's checkpoint to reach it; with a minRevision, for the position of that revision of
 * the email's own stream (looked up here, so a sender never handles store-wide positions); when it
 * is not reached in time, answers the row as it is and says so (`stale`); the controller answers a
 * missing row with 404 either way.
 */
@QueryHandler(GetEmailQuery)
export class GetEmailHandler implements IQueryHandler<GetEmailQuery, GetEmailResult> {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly checkpoint: ProjectionCheckpoint,
    private readonly streams: EmailStreams,
  ) {}

  async execute(query: GetEmailQuery): Promise<GetEmailResult> {
    const target = query.minPosition ?? (await this.positionOfRevision(query));
    const reached =
      target === undefined
        ? query.minRevision === undefined
        : await this.checkpoint.waitFor(target, query.waitMs);
    const { rows } = await this.pool.query<EmailViewRow>(
      `SELECT ${EMAIL_LIST_COLUMNS} FROM ${READ_MODEL_VIEWS.emails}
        WHERE email_id = $1 AND tenant_id = $2`,
      [query.emailId, query.tenantId],
    );
    const row = rows[0];
    return { email: row ? toEmailView(row) : undefined, stale: !reached };
  }

  /**
   * Where revision `minRevision` of the tenant's email is in the store; undefined when none is asked
   * for, or the email (of this tenant) has no such revision: nothing to wait for, the answer is stale.
   */
  private async positionOfRevision(query: GetEmailQuery): Promise<Position | undefined> {
    if (query.minRevision === undefined) return undefined;
    const loaded = await this.streams.load(query.emailId);
    if (loaded.state.status === 'initial' || loaded.state.email.tenantId !== query.tenantId) {
      return undefined;
    }
    return loaded.events.find((event) => event.revision === query.minRevision)?.position;
  }
}
