import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse } from '@nestjs/swagger';
import { AdminOnly } from '../../auth/auth.decorators';
import { ListEmailsQueryDto } from '../../emails/dto/list-emails-query.dto';
import { EmailPage } from '../../emails/queries/email.view';
import type { ListEmailsQuery } from '../../emails/queries/list-emails.query';
import { toListEmailsQuery } from '../../emails/queries/list-emails.request';

/** `GET /v1/admin/emails`: every tenant's emails, or one tenant's with `tenant`. */
@AdminOnly()
@Controller('v1/admin/emails')
export class AdminEmailsController {
  constructor(private readonly queries: QueryBus) {}

  /** Filters `status, from, to, tag, batchId, scheduleId, sendAfter, sendBefore, tenant`; keyset paging by (sendAt, id). */
  @Get()
  @ApiOkResponse({ type: EmailPage })
  emails(@Query() query: ListEmailsQueryDto): Promise<EmailPage> {
    return this.queries.execute<ListEmailsQuery, EmailPage>(toListEmailsQuery(query, query.tenant));
  }
}
