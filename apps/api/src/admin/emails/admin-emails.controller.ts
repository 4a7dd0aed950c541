import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { AdminOnly } from '../../auth/auth.decorators';
import { ListEmailsQueryDto } from '../../emails/dto/list-emails-query.dto';
import type { EmailPage } from '../../emails/queries/list-emails.handler';
import type { ListEmailsQuery } from '../../emails/queries/list-emails.query';
import { toListEmailsQuery } from '../../emails/queries/list-emails.request';

/** `GET /v1/admin/emails`: every tenant's emails, or one tenant's with `tenant`. */
@AdminOnly()
@Controller('v1/admin/emails')
export class AdminEmailsController {
  constructor(private readonly queries: QueryBus) {}

  /** Filters `status, from, to, tag, sendAfter, sendBefore, tenant`; keyset paging by (sendAt, id). */
  @Get()
  emails(@Query() query: ListEmailsQueryDto): Promise<EmailPage> {
    return this.queries.execute<ListEmailsQuery, EmailPage>(toListEmailsQuery(query, query.tenant));
  }
}
