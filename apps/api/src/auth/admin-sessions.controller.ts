import { Controller, Delete, Get, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { validationFailed } from '../common/validation';
import { AdminOnly } from './auth.decorators';
import { EndSessionsQueryDto } from './dto/end-sessions-query.dto';
import { SessionsRepository, type SessionSelector } from './sessions.repository';
import { EndedSessions, SessionList, toAdminSessionView } from './session.view';

/**
 * The dashboard sessions alive now, and ending them: one (`id`), every one of a person
 * (`subject` + `issuer`, as the list shows them) or of an API key (`apiKeyId`). An ended session
 * is refused from its next request on. Never shows a cookie token or its hash.
 */
@AdminOnly()
@Controller('v1/admin/sessions')
export class AdminSessionsController {
  constructor(private readonly sessions: SessionsRepository) {}

  @Get()
  @ApiOkResponse({ type: SessionList })
  async list(): Promise<SessionList> {
    return { items: (await this.sessions.listLive()).map(toAdminSessionView) };
  }

  /** 200 with how many sessions ended (0 when none matched). */
  @Delete()
  @ApiOkResponse({ type: EndedSessions })
  async end(@Query() query: EndSessionsQueryDto): Promise<EndedSessions> {
    return { ended: await this.sessions.end(selector(query)) };
  }
}

/** Exactly one way to pick sessions; `issuer` goes with `subject` and only with it. */
function selector(query: EndSessionsQueryDto): SessionSelector {
  const given = (['id', 'subject', 'apiKeyId'] as const).filter(
    (field) => query[field] !== undefined,
  );
  if (given.length !== 1) {
    const field = given[1] ?? 'id';
    throw validationFailed([
      { field, reason: 'give exactly one of id, subject (with issuer) or apiKeyId' },
    ]);
  }
  if (query.subject !== undefined) {
    if (query.issuer === undefined) {
      throw validationFailed([{ field: 'issuer', reason: 'is required with subject' }]);
    }
    return { issuer: query.issuer, subject: query.subject };
  }
  if (query.issuer !== undefined) {
    throw validationFailed([{ field: 'issuer', reason: 'goes with subject only' }]);
  }
  return query.id !== undefined ? { id: query.id } : { apiKeyId: query.apiKeyId as string };
}
