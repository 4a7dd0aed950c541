import {
  Body,
  Controller,
  Headers,
  HttpCode,
  HttpStatus,
  Param,
  ParseUUIDPipe,
  Post,
  UseInterceptors,
} from '@nestjs/common';
import { ApiOkResponse } from '@nestjs/swagger';
import { parseInstant } from '@app/domain';
import type { EmailWriteResult } from '@app/email-streams';
import { CurrentPrincipal, type Principal } from '../auth/current-principal.decorator';
import { viewFor } from '../auth/principal';
import { RevisionEtag, parseIfMatch } from '../common/revision-headers';
import { INSTANT_REASON, validationFailed } from '../common/validation';
import { EmailWriteResultView, toSenderWriteResult } from '../emails/commands/write-result.view';
import { ActionReportView } from './batch.view';
import { BulkTargets } from './bulk-targets';
import { ActionRequestDto, RetryRequestDto } from './dto/action-request.dto';
import { BulkActionDto } from './dto/bulk-action.dto';
import { EmailActions, type EmailAction } from './email-actions.service';

const uuid = new ParseUUIDPipe({
  version: undefined,
  exceptionFactory: () => validationFailed([{ field: 'id', reason: 'must be a UUID' }]),
});

/**
 * Actions on the caller's own emails beyond PATCH and DELETE: by filter over the read model (bulk/…), and
 * pause, resume and retry of one email. The bulk routes come first: `bulk` is no email id.
 */
@Controller('v1/emails')
@UseInterceptors(RevisionEtag)
export class EmailActionsController {
  constructor(
    private readonly actions: EmailActions,
    private readonly targets: BulkTargets,
  ) {}

  /** Cancels the matching emails still scheduled or paused (at most 10,000 a call). */
  @Post('bulk/cancel')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionReportView })
  bulkCancel(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BulkActionDto,
  ): Promise<ActionReportView> {
    return this.bulk(principal, 'cancel', body);
  }

  /** Pauses the matching scheduled emails (at most 10,000 a call). */
  @Post('bulk/pause')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionReportView })
  bulkPause(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BulkActionDto,
  ): Promise<ActionReportView> {
    return this.bulk(principal, 'pause', body);
  }

  /** Resumes the matching paused emails (at most 10,000 a call). */
  @Post('bulk/resume')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionReportView })
  bulkResume(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BulkActionDto,
  ): Promise<ActionReportView> {
    return this.bulk(principal, 'resume', body);
  }

  /** Retries the matching failed emails with a new attempt budget (at most 10,000 a call). */
  @Post('bulk/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ActionReportView })
  bulkRetry(
    @CurrentPrincipal() principal: Principal,
    @Body() body: BulkActionDto,
  ): Promise<ActionReportView> {
    return this.bulk(principal, 'retry', body);
  }

  /** Holds a scheduled email: no attempt starts until it is resumed. 409 in any other state. */
  @Post(':id/pause')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: EmailWriteResultView })
  pause(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ActionRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<EmailWriteResultView> {
    return this.one(principal, 'pause', id, body, ifMatch);
  }

  /** Releases a paused email, due at its old due time or now, whichever is later. 409 unless paused. */
  @Post(':id/resume')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: EmailWriteResultView })
  resume(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: ActionRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<EmailWriteResultView> {
    return this.one(principal, 'resume', id, body, ifMatch);
  }

  /** A failed email gets a new attempt budget and is due now. 409 unless failed. */
  @Post(':id/retry')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: EmailWriteResultView })
  retry(
    @CurrentPrincipal() principal: Principal,
    @Param('id', uuid) id: string,
    @Body() body: RetryRequestDto,
    @Headers('if-match') ifMatch: string | undefined,
  ): Promise<EmailWriteResultView> {
    return this.one(principal, 'retry', id, body, ifMatch);
  }

  private async one(
    principal: Principal,
    action: EmailAction,
    id: string,
    body: RetryRequestDto,
    ifMatch: string | undefined,
  ): Promise<EmailWriteResultView> {
    const result: EmailWriteResult = await this.actions.one(action, id, principal.tenantId, {
      ...(body.reason === undefined || action === 'resume' ? {} : { reason: body.reason }),
      ...(body.resendInDoubt === true ? { resendInDoubt: true } : {}),
      expectedRevision: parseIfMatch(ifMatch),
    });
    return viewFor<EmailWriteResultView>(principal, result, toSenderWriteResult);
  }

  private async bulk(
    principal: Principal,
    action: EmailAction,
    body: BulkActionDto,
  ): Promise<ActionReportView> {
    const { tag, from, sendBefore } = body.filter;
    if (tag === undefined && from === undefined && sendBefore === undefined) {
      throw validationFailed([
        { field: 'filter', reason: 'needs at least one of tag, from, sendBefore' },
      ]);
    }
    if (sendBefore !== undefined && parseInstant(sendBefore) === undefined) {
      throw validationFailed([{ field: 'filter.sendBefore', reason: INSTANT_REASON }]);
    }
    const { emailIds, truncated } = await this.targets.find(principal.tenantId, action, {
      ...(tag === undefined ? {} : { tag }),
      ...(from === undefined ? {} : { from }),
      ...(sendBefore === undefined ? {} : { sendBefore }),
    });
    const report = await this.actions.many(action, emailIds, principal.tenantId, {
      ...(body.reason === undefined ? {} : { reason: body.reason }),
    });
    return { ...report, truncated };
  }
}
