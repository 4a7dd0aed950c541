import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseIntPipe,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
  Res,
  StreamableFile,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiCreatedResponse, ApiGoneResponse, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { NotFoundError, ValidationError, parseInstant } from '@app/domain';
import { parsePosition, type Position } from '@app/event-store';
import type { EmailWriteResult } from '@app/email-streams';
import { CurrentPrincipal, type Principal } from '../auth/current-principal.decorator';
import { viewFor } from '../auth/principal';
import { RevisionEtag, parseIfMatch } from '../common/revision-headers';
import { INSTANT_REASON, validationFailed } from '../common/validation';
import { BatchesRepository } from '../batches/batches.repository';
import { batchIdFor } from '../batches/batch-id';
import { toErrorBody } from '../common/error-body';
import { AttachmentDownloads } from './attachments/attachment-downloads';
import { decodeAttachments } from './attachments/attachment-intake';
import { type BatchItemResult, batchResult, validateBatchItem } from './batch-items';
import { CancelEmailCommand } from './commands/cancel-email.command';
import type { ScheduleEmailResult, ScheduleOutcome } from './commands/email-scheduling';
import { scheduleItem } from './commands/idempotency';
import { EditEmailCommand } from './commands/edit-email.command';
import { toEmailEdit } from './commands/email-edit.request';
import { ScheduleEmailCommand, type ScheduleEmailItem } from './commands/schedule-email.command';
import { ScheduleEmailsCommand } from './commands/schedule-emails.command';
import { EmailWriteResultView, toSenderWriteResult } from './commands/write-result.view';
import { BatchScheduleDto } from './dto/batch-schedule.dto';
import { DEFAULT_WAIT_SECONDS, GetEmailQueryDto } from './dto/get-email-query.dto';
import { HistoryQueryDto } from './dto/history-query.dto';
import { TenantListEmailsQueryDto } from './dto/list-emails-query.dto';
import { EditEmailDto } from './dto/edit-email.dto';
import { ScheduleEmailDto } from './dto/schedule-email.dto';
import { EmailHistory } from './queries/email-history.view';
import { EmailPage, EmailView } from './queries/email.view';
import { GetEmailHistoryQuery } from './queries/get-email-history.query';
import type { GetEmailResult } from './queries/get-email.handler';
import { GetEmailQuery } from './queries/get-email.query';
import type { ListEmailsQuery } from './queries/list-emails.query';
import { toListEmailsQuery } from './queries/list-emails.request';
import { toSenderEmailPage, toSenderEmailView, toSenderHistory } from './queries/sender-views';

/** The little of Express's response the controller touches. */
interface HttpResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

const uuidPipe = new ParseUUIDPipe({ version: undefined });

/** `/v1/emails`: the caller's own emails, written through commands and read from the read model. */
@Controller('v1/emails')
@UseInterceptors(RevisionEtag)
export class EmailsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly batches: BatchesRepository,
    private readonly downloads: AttachmentDownloads,
  ) {}

  /** 201 with the new email; with an Idempotency-Key seen before, 200 with the same email (or 422). */
  @Post()
  @ApiCreatedResponse({ type: EmailWriteResultView, description: 'Scheduled' })
  @ApiOkResponse({ type: EmailWriteResultView, description: 'An Idempotency-Key seen before' })
  async schedule(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ScheduleEmailDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<EmailWriteResultView> {
    const { created, ...result } = await this.commands.execute<
      ScheduleEmailCommand,
      ScheduleEmailResult
    >(new ScheduleEmailCommand(principal, withFiles(principal.tenantId, body, idempotencyKey)));
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return viewFor<EmailWriteResultView>(principal, result, toSenderWriteResult);
  }

  /**
   * Per-item results in request order; the valid items are scheduled whatever the others hold. `batchId`
   * names the batch (GET /v1/batches/:id); with an Idempotency-Key, a repeat names the same one.
   */
  @Post('batch')
  @HttpCode(HttpStatus.OK)
  async batch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BatchScheduleDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<{ batchId: string; results: BatchItemResult[] }> {
    const batchId = batchIdFor(principal.tenantId, idempotencyKey);
    await this.batches.open(batchId, principal.tenantId, 'batch');
    const results = new Array<BatchItemResult>(body.emails.length);
    const valid: { index: number; item: ScheduleEmailItem }[] = [];
    await Promise.all(
      body.emails.map(async (email, index) => {
        const checked = await validateBatchItem(email, index);
        if ('error' in checked) {
          results[index] = { index, status: checked.error.statusCode, error: checked.error };
          return;
        }
        const key = idempotencyKey === undefined ? undefined : `${idempotencyKey}:${index}`;
        let item: ScheduleEmailItem;
        try {
          item = withFiles(principal.tenantId, checked.dto, key);
        } catch (error) {
          if (!(error instanceof ValidationError)) throw error;
          const refused = toErrorBody(error);
          results[index] = { index, status: refused.statusCode, error: refused };
          return;
        }
        // After the request hash: the batch is the request's, not part of what it asks.
        valid.push({
          index,
          item: { ...item, input: { ...item.input, batchId }, position: index },
        });
      }),
    );
    const outcomes = await this.commands.execute<ScheduleEmailsCommand, ScheduleOutcome[]>(
      new ScheduleEmailsCommand(
        principal,
        valid.map((v) => v.item),
      ),
    );
    valid.forEach(({ index }, i) => {
      results[index] = batchResult(index, outcomes[i]);
    });
    return { batchId, results };
  }

  /**
   * A JSON merge patch of the email before it goes: `sendAt` moves it, the content fields change it, `null`
   * removes an optional part. A time and content together are one write: both apply, or neither.
   */
  @Patch(':id')
  @ApiOkResponse({ type: EmailWriteResultView })
  async edit(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe) id: string,
    @Body() body: EditEmailDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<EmailWriteResultView> {
    const edit = toEmailEdit(body);
    const result = await this.commands.execute<EditEmailCommand, EmailWriteResult>(
      new EditEmailCommand(id, principal.tenantId, edit, parseIfMatch(ifMatch)),
    );
    return viewFor<EmailWriteResultView>(principal, result, toSenderWriteResult);
  }

  @Delete(':id')
  @ApiOkResponse({ type: EmailWriteResultView })
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<EmailWriteResultView> {
    const result = await this.commands.execute<CancelEmailCommand, EmailWriteResult>(
      new CancelEmailCommand(id, principal.tenantId, parseIfMatch(ifMatch)),
    );
    return viewFor<EmailWriteResultView>(principal, result, toSenderWriteResult);
  }

  /** Filters `status, from, to, tag, batchId, scheduleId, sendAfter, sendBefore`; keyset paging by (sendAt, id). */
  @Get()
  @ApiOkResponse({ type: EmailPage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: TenantListEmailsQueryDto,
  ): Promise<EmailPage> {
    const page = await this.queries.execute<ListEmailsQuery, EmailPage>(
      toListEmailsQuery(query, principal.tenantId),
    );
    return viewFor(principal, page, toSenderEmailPage);
  }

  /**
   * The read-model view. Read-your-writes: `?minRevision=`, a write's `revision` of this email (or,
   * admins only, `?minPosition=` / `X-Min-Position`, an admin write's `position`), waits up to
   * `?wait=` seconds (default 5, at most 30) for the projection to reach it; if it does not, the row
   * as it stands with `X-Projection-Stale: true` (404 if none yet).
   */
  @Get(':id')
  @ApiOkResponse({ type: EmailView })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe) id: string,
    @Query() query: GetEmailQueryDto,
    @Headers('x-min-position') minPositionHeader: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<EmailView> {
    const minPosition = parseMinPosition(query.minPosition, minPositionHeader);
    // Waiting on a position a sender names would tell it how far the store-wide projection is.
    if (minPosition !== undefined && principal.role !== 'admin') {
      throw validationFailed([
        {
          field: query.minPosition !== undefined ? 'minPosition' : 'X-Min-Position',
          reason: "is for admin keys; pass minRevision, the write's revision",
        },
      ]);
    }
    const waitMs = Math.round((query.wait ?? DEFAULT_WAIT_SECONDS) * 1000);
    const { email, stale } = await this.queries.execute<GetEmailQuery, GetEmailResult>(
      new GetEmailQuery(id, principal.tenantId, minPosition, query.minRevision, waitMs),
    );
    if (stale) response.setHeader('X-Projection-Stale', 'true');
    if (!email) throw new NotFoundError();
    return viewFor(principal, email, toSenderEmailView);
  }

  /**
   * One attachment's bytes (by its place in the email's `attachments`), as stored when it was scheduled;
   * 410 once they were purged after the email's retention. Served as a download that no browser renders.
   */
  @Get(':id/attachments/:index')
  @ApiOkResponse({
    description: "The file's bytes, with its stored Content-Type",
    schema: { type: 'string', format: 'binary' },
  })
  @ApiGoneResponse({ description: "Purged after the retention that follows the email's end" })
  @ApiProduces('application/octet-stream')
  async attachment(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe) id: string,
    @Param('index', ParseIntPipe) index: number,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<StreamableFile> {
    const { ref, bytes } = await this.downloads.get(principal.tenantId, id, index);
    response.setHeader('Content-Type', ref.contentType);
    response.setHeader(
      'Content-Disposition',
      `attachment; filename*=UTF-8''${encodeRfc5987(ref.filename)}`,
    );
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Content-Security-Policy', 'sandbox');
    return new StreamableFile(bytes);
  }

  /** The stream itself, folded; `?revision=N` / `?at=ISO` stop the replay there. */
  @Get(':id/history')
  @ApiOkResponse({ type: EmailHistory })
  async history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe) id: string,
    @Query() query: HistoryQueryDto,
  ): Promise<EmailHistory> {
    let atMs: number | undefined;
    if (query.at !== undefined) {
      atMs = parseInstant(query.at);
      if (atMs === undefined) throw validationFailed([{ field: 'at', reason: INSTANT_REASON }]);
    }
    const history = await this.queries.execute<GetEmailHistoryQuery, EmailHistory>(
      new GetEmailHistoryQuery(id, principal.tenantId, query.revision, atMs),
    );
    return viewFor(principal, history, toSenderHistory);
  }
}

/** The request's attachments decoded: refs in the command, bytes beside it for the store. */
function withFiles(
  tenantId: string,
  dto: ScheduleEmailDto,
  idempotencyKey: string | undefined,
): ScheduleEmailItem {
  if (dto.attachments === undefined) return scheduleItem(tenantId, { ...dto }, idempotencyKey);
  const { refs, files } = decodeAttachments(dto.attachments);
  return { ...scheduleItem(tenantId, { ...dto, attachments: refs }, idempotencyKey), files };
}

/** RFC 5987 ext-value characters; everything else percent-encoded as UTF-8. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `?minPosition=` wins over `X-Min-Position`; either must be `"<commit>/<prepare>"`. */
function parseMinPosition(
  fromQuery: string | undefined,
  fromHeader: string | undefined,
): Position | undefined {
  const [field, text] =
    fromQuery !== undefined ? ['minPosition', fromQuery] : ['X-Min-Position', fromHeader];
  if (text === undefined) return undefined;
  try {
    return parsePosition(text.trim());
  } catch {
    throw validationFailed([
      { field, reason: 'must be a position "<commit>/<prepare>", as a write returns it' },
    ]);
  }
}
