import { createHash, randomUUID } from 'node:crypto';
import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  PreconditionFailedException,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { NotFoundError, ValidationError, parseInstant } from '@app/domain';
import { parsePosition, type Position } from '@app/event-store';
import { CurrentPrincipal, type Principal } from '../auth/current-principal.decorator';
import { toErrorBody, type ErrorBody } from '../common/error-body';
import {
  VALIDATION_OPTIONS,
  flattenValidationErrors,
  validationFailed,
} from '../common/validation';
import { CancelEmailCommand } from './commands/cancel-email.command';
import { RescheduleEmailCommand } from './commands/reschedule-email.command';
import type { ScheduleEmailResult, ScheduleOutcome } from './commands/email-scheduling';
import { ScheduleEmailCommand, type ScheduleEmailItem } from './commands/schedule-email.command';
import { ScheduleEmailsCommand } from './commands/schedule-emails.command';
import { BatchScheduleDto } from './dto/batch-schedule.dto';
import { HistoryQueryDto } from './dto/history-query.dto';
import { RescheduleEmailDto } from './dto/reschedule-email.dto';
import { ScheduleEmailDto } from './dto/schedule-email.dto';
import { emailIdForIdempotencyKey, type EmailWriteResult } from '@app/email-streams';
import type { EmailHistory } from './queries/get-email-history.handler';
import { GetEmailHistoryQuery } from './queries/get-email-history.query';
import type { EmailView } from '../queries/email-view';
import type { GetEmailResult } from '../queries/get-email.handler';
import { GetEmailQuery } from '../queries/get-email.query';
import { DEFAULT_WAIT_SECONDS, GetEmailQueryDto } from '../queries/get-email-query.dto';

/** The little of Express's response the controller touches. */
interface HttpResponse {
  status(code: number): unknown;
  setHeader(name: string, value: string): unknown;
}

export interface BatchItemResult {
  readonly index: number;
  readonly status: number;
  readonly id?: string;
  readonly revision?: number;
  readonly sendAt?: string | null;
  readonly error?: ErrorBody;
}

const uuidPipe = new ParseUUIDPipe({ version: undefined });

@Controller('v1/emails')
export class EmailsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  /** 201 with the new email; with an Idempotency-Key seen before, 200 with the same email (or 422). */
  @Post()
  async schedule(
    @CurrentPrincipal() principal: Principal,
    @Body() body: ScheduleEmailDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<EmailWriteResult> {
    const result = await this.scheduleOne(principal.tenantId, body, idempotencyKey);
    response.status(result.created ? HttpStatus.CREATED : HttpStatus.OK);
    return withEtag(response, strip(result));
  }

  /** Per-item results in request order; the valid items are scheduled whatever the others hold. */
  @Post('batch')
  @HttpCode(HttpStatus.OK)
  async batch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BatchScheduleDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
  ): Promise<{ results: BatchItemResult[] }> {
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
        valid.push({ index, item: scheduleItem(principal.tenantId, checked.dto, key) });
      }),
    );
    const outcomes = await this.commands.execute<ScheduleEmailsCommand, ScheduleOutcome[]>(
      new ScheduleEmailsCommand(
        principal.tenantId,
        valid.map((v) => v.item),
      ),
    );
    valid.forEach(({ index }, i) => {
      results[index] = batchResult(index, outcomes[i]);
    });
    return { results };
  }

  @Patch(':id')
  async reschedule(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe) id: string,
    @Body() body: RescheduleEmailDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<EmailWriteResult> {
    const result = await this.commands.execute<RescheduleEmailCommand, EmailWriteResult>(
      new RescheduleEmailCommand(id, principal.tenantId, body.sendAt, parseIfMatch(ifMatch)),
    );
    return withEtag(response, result);
  }

  @Delete(':id')
  async cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe) id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<EmailWriteResult> {
    const result = await this.commands.execute<CancelEmailCommand, EmailWriteResult>(
      new CancelEmailCommand(id, principal.tenantId, parseIfMatch(ifMatch)),
    );
    return withEtag(response, result);
  }

  /**
   * The read-model view. Read-your-writes: `?minPosition=` (or `X-Min-Position`), a write's
   * `position`, waits up to `?wait=` seconds (default 5, at most 30) for the projection to reach
   * it; if it does not, the row as it stands with `X-Projection-Stale: true` (404 if none yet).
   */
  @Get(':id')
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe) id: string,
    @Query() query: GetEmailQueryDto,
    @Headers('x-min-position') minPositionHeader: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<EmailView> {
    const minPosition = parseMinPosition(query.minPosition, minPositionHeader);
    const waitMs = Math.round((query.wait ?? DEFAULT_WAIT_SECONDS) * 1000);
    const { email, stale } = await this.queries.execute<GetEmailQuery, GetEmailResult>(
      new GetEmailQuery(id, principal.tenantId, minPosition, waitMs),
    );
    if (stale) response.setHeader('X-Projection-Stale', 'true');
    if (!email) throw new NotFoundError();
    return withEtag(response, email);
  }

  /** The stream itself, folded; `?revision=N` / `?at=ISO` stop the replay there. */
  @Get(':id/history')
  async history(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuidPipe) id: string,
    @Query() query: HistoryQueryDto,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<EmailHistory> {
    let atMs: number | undefined;
    if (query.at !== undefined) {
      atMs = parseInstant(query.at);
      if (atMs === undefined) {
        throw validationFailed([
          { field: 'at', reason: 'must be an ISO-8601 date-time with a timezone (Z or ±hh:mm)' },
        ]);
      }
    }
    const history = await this.queries.execute<GetEmailHistoryQuery, EmailHistory>(
      new GetEmailHistoryQuery(id, principal.tenantId, query.revision, atMs),
    );
    if (history.revision !== null) response.setHeader('ETag', `"${history.revision}"`);
    return history;
  }

  private scheduleOne(
    tenantId: string,
    body: ScheduleEmailDto,
    idempotencyKey: string | undefined,
  ): Promise<ScheduleEmailResult> {
    return this.commands.execute<ScheduleEmailCommand, ScheduleEmailResult>(
      new ScheduleEmailCommand(tenantId, scheduleItem(tenantId, body, idempotencyKey)),
    );
  }
}

/** A new random id, or with an Idempotency-Key the id derived from it and the request's hash. */
function scheduleItem(
  tenantId: string,
  body: ScheduleEmailDto,
  idempotencyKey: string | undefined,
): ScheduleEmailItem {
  const input = { ...body };
  return idempotencyKey === undefined
    ? { emailId: randomUUID(), input }
    : {
        emailId: emailIdForIdempotencyKey(tenantId, idempotencyKey),
        input,
        idempotency: { key: idempotencyKey, requestHash: requestHash(input) },
      };
}

/** A batch item through the same validation as a single request's body. */
async function validateBatchItem(
  item: unknown,
  index: number,
): Promise<{ dto: ScheduleEmailDto } | { error: ErrorBody }> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return {
      error: toErrorBody(
        new ValidationError([{ field: `emails[${index}]`, reason: 'must be an object' }]),
      ),
    };
  }
  const dto = plainToInstance(ScheduleEmailDto, item);
  const errors = await validate(dto, VALIDATION_OPTIONS);
  if (errors.length > 0) {
    return { error: toErrorBody(validationFailed(flattenValidationErrors(errors))) };
  }
  return { dto };
}

function batchResult(index: number, outcome: ScheduleOutcome | undefined): BatchItemResult {
  if (outcome === undefined) throw new Error(`no outcome for batch item ${index}`);
  if (outcome instanceof Error) {
    const error = toErrorBody(outcome);
    if (error.statusCode >= 500) throw outcome;
    return { index, status: error.statusCode, error };
  }
  return {
    index,
    status: outcome.created ? HttpStatus.CREATED : HttpStatus.OK,
    id: outcome.id,
    revision: outcome.revision,
    sendAt: outcome.sendAt,
  };
}

function strip({ created: _created, ...result }: ScheduleEmailResult): EmailWriteResult {
  return result;
}

function withEtag<T extends { revision: number }>(response: HttpResponse, result: T): T {
  response.setHeader('ETag', `"${result.revision}"`);
  return result;
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

/** `If-Match: 3`, `"3"` or `W/"3"`; `*` matches any revision. */
function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (!match?.[1]) {
    throw new PreconditionFailedException('If-Match must be a revision such as "3"');
  }
  return Number(match[1]);
}

/** A digest of the request as JSON with sorted keys: the same body in any key order hashes alike. */
export function requestHash(input: object): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
