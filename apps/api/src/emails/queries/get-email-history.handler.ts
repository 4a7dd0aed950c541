import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { NotFoundError, replay, type EmailState } from '@app/domain';
import { EmailStreams, toEmailEvent } from '@app/email-streams';
import { GetEmailHistoryQuery } from './get-email-history.query';

export interface EmailHistory {
  readonly id: string;
  /** The revision of the last event replayed; null when the cut-off is before the first event. */
  readonly revision: number | null;
  readonly events: readonly {
    readonly revision: number;
    readonly type: string;
    readonly recordedAt: string;
    readonly data: Record<string, unknown>;
  }[];
  readonly state: EmailState;
}

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
