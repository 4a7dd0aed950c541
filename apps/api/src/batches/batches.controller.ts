import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { NotFoundError } from '@app/domain';
import { CurrentPrincipal, type Principal } from '../auth/current-principal.decorator';
import { validationFailed } from '../common/validation';
import { type Batch, BatchesRepository } from './batches.repository';
import { ActionReportView, BatchPage, BatchSummaryView, BatchView } from './batch.view';
import { ActionRequestDto } from './dto/action-request.dto';
import { DEFAULT_PAGE_SIZE, ListBatchesQueryDto } from './dto/list-batches-query.dto';
import { EmailActions, type EmailAction } from './email-actions.service';

const uuid = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => validationFailed([{ field: 'id', reason: 'must be a UUID' }]),
});

/**
 * `/v1/batches`: what POST /v1/emails/batch and CSV imports created, their counts by status, and actions on
 * every email of one. A sender key sees its own tenant's batches only (another's is a 404); an admin any.
 */
@Controller('v1/batches')
export class BatchesController {
  constructor(
    private readonly batches: BatchesRepository,
    private readonly actions: EmailActions,
  ) {}

  /** Newest first; admins see every tenant's unless `tenantId` narrows it. */
  @Get()
  @ApiOkResponse({ type: BatchPage })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ListBatchesQueryDto,
  ): Promise<BatchPage> {
    if (principal.role !== 'admin' && query.tenantId !== undefined) {
      throw validationFailed([{ field: 'tenantId', reason: 'is for admin keys' }]);
    }
    const tenantId = principal.role === 'admin' ? query.tenantId : principal.tenantId;
    const page = await this.batches.list(tenantId, query.cursor, query.limit ?? DEFAULT_PAGE_SIZE);
    if (page === undefined) {
      throw validationFailed([{ field: 'cursor', reason: 'is not a cursor this api issued' }]);
    }
    return { items: page.items.map((b) => summary(principal, b)), nextCursor: page.nextCursor };
  }

  /** Counts by status from the read model; `pending` are members it has not shown yet. */
  @Get(':id')
  @ApiOkResponse({ type: BatchView })
  async get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
  ): Promise<BatchView> {
    const batch = await this.visible(principal, id);
    return { ...summary(principal, batch), counts: await this.batches.counts(id) };
  }

  /** Cancels every email of the batch that is still scheduled or paused; a line per email. */
  @Post(':id/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionReportView })
  cancel(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ActionRequestDto,
  ): Promise<ActionReportView> {
    return this.act(principal, id, 'cancel', body);
  }

  /** Pauses every email of the batch that is still scheduled: none of them starts an attempt until resumed. */
  @Post(':id/pause')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionReportView })
  pause(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ActionRequestDto,
  ): Promise<ActionReportView> {
    return this.act(principal, id, 'pause', body);
  }

  /** Resumes every paused email of the batch, due at its old due time or now, whichever is later. */
  @Post(':id/resume')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionReportView })
  resume(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ActionRequestDto,
  ): Promise<ActionReportView> {
    return this.act(principal, id, 'resume', body);
  }

  /** Gives every failed email of the batch a new attempt budget, due now. */
  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionReportView })
  retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ActionRequestDto,
  ): Promise<ActionReportView> {
    return this.act(principal, id, 'retry', body);
  }

  private async act(
    principal: Principal,
    id: string,
    action: EmailAction,
    body: ActionRequestDto,
  ): Promise<ActionReportView> {
    const batch = await this.visible(principal, id);
    const members = await this.batches.members(id);
    const report = await this.actions.many(action, members, batch.tenantId, {
      ...(body.reason === undefined ? {} : { reason: body.reason }),
      batchId: id,
    });
    return { batchId: id, ...report };
  }

  /** The batch, if the caller may see it: another tenant's is as unknown as a missing one. */
  private async visible(principal: Principal, id: string): Promise<Batch> {
    const batch = await this.batches.get(id);
    if (!batch || (principal.role !== 'admin' && batch.tenantId !== principal.tenantId)) {
      throw new NotFoundError();
    }
    return batch;
  }
}

function summary(principal: Principal, batch: Batch): BatchSummaryView {
  const { tenantId, ...rest } = batch;
  return principal.role === 'admin' ? { ...rest, tenantId } : rest;
}
