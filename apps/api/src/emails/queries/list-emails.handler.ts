import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { PG_POOL } from '@app/platform';
import type { Pool } from 'pg';
import { type EmailPage, toEmailView, type EmailViewRow } from './email.view';
import { encodeCursor, listEmailsSql } from '@app/read-model';
import { ListEmailsQuery } from './list-emails.query';

/**
 * A page of the read model in the stable order (sendAt, id), after the cursor. Keyset paging: an
 * email inserted while a client pages shows up at most once, and one that existed throughout shows
 * up exactly once, as long as its sendAt does not change in between (a reschedule or deferral
 * moves it in the order, to a page already read or one still to come).
 */
@QueryHandler(ListEmailsQuery)
export class ListEmailsHandler implements IQueryHandler<ListEmailsQuery, EmailPage> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async execute(query: ListEmailsQuery): Promise<EmailPage> {
    // One row more than asked: whether there is a next page, without a count.
    const { text, values } = listEmailsSql(query.filter, query.after, query.limit + 1);
    const { rows } = await this.pool.query<EmailViewRow & { cursor_send_at: string }>(text, values);
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toEmailView),
      nextCursor:
        rows.length > query.limit && last
          ? encodeCursor({ sendAt: last.cursor_send_at, id: last.email_id })
          : null,
    };
  }
}
