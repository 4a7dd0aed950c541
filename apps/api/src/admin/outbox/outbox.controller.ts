import { Controller, Get, NotFoundException, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import {
  type CaughtMail,
  type CaughtMailPage,
  CaughtMailStore,
  InvalidCursorError,
} from '@app/caught-mail';
import { AdminOnly } from '../../auth/auth.decorators';
import { validationFailed } from '../../common/validation';
import { CaughtMailPageView, CaughtMailView } from './caught-mail.view';
import { OUTBOX_DEFAULT_LIMIT, OutboxQueryDto } from './outbox-query.dto';

/**
 * What the local mail catcher received (`npm start` with SMTP_URL unset), so a new user can watch
 * an email go out. With a real relay the catcher never runs and the list is empty.
 */
@Controller('v1/admin/outbox')
@AdminOnly()
export class OutboxController {
  constructor(private readonly store: CaughtMailStore) {}

  /** Newest first: `{items: [{id, receivedAt, from, to, messageId, subject, size}], nextCursor}`. */
  @Get()
  @ApiOkResponse({ type: CaughtMailPageView })
  async list(@Query() query: OutboxQueryDto): Promise<CaughtMailPage> {
    try {
      return await this.store.list({
        limit: query.limit ?? OUTBOX_DEFAULT_LIMIT,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
      });
    } catch (error) {
      if (error instanceof InvalidCursorError) {
        throw validationFailed([{ field: 'cursor', reason: error.message }]);
      }
      throw error;
    }
  }

  /** One caught message with its headers and raw text (the first 1 MiB). */
  @Get(':id')
  @ApiOkResponse({ type: CaughtMailView })
  async get(
    @Param('id', new ParseUUIDPipe({ version: undefined })) id: string,
  ): Promise<CaughtMail> {
    const mail = await this.store.get(id);
    if (!mail) throw new NotFoundException(`no caught message ${id}`);
    return mail;
  }
}
