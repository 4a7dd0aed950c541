import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFoundError, replay } from '@app/domain';
import { EmailStreams, toEmailEvent } from '@app/email-streams';
import type { EmailHistory } from './email-history.view';
import { GetEmailHistoryQuery } from './get-email-history.query';

/** The audit view: the stream itself, not the read model, folded up to the requested point. */
@QueryHandler(GetEmailHistoryQuery)
export class GetEmailHistoryHandler implements IQueryHandler<GetEmailHistoryQuery> {
  constructor(private readonly streams: EmailStreams) {}

  async execute(query: GetEmailHistoryQuery): Promise<EmailHistory> {
    const all = await this.streams.read(query.emailId);
    const first = all[0];
    if (
      !first ||
      toEmailEvent(first).type !== 'EmailScheduled' ||
      first.data.tenantId !== query.tenantId
    ) {
      throw new NotFoundError();
    }
    const events = all.filter(
      (event) =>
        (query.revision === undefined || event.revision <= query.revision) &&
        (query.atMs === undefined || event.recordedAt.getTime() <= query.atMs),
    );
    const last = events[events.length - 1];
    return {
      id: query.emailId,
      revision: last ? last.revision : null,
      events: events.map((event) => ({
        revision: event.revision,
        type: event.type,
        recordedAt: event.recordedAt.toISOString(),
        data: event.data,
      })),
      state: replay(events.map(toEmailEvent)),
    };
  }
}
