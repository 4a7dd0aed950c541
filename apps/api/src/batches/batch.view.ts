import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { EmailStatus } from '@app/domain';
import type { ActionReport, ActionResult, EmailAction } from './email-actions.service';
import { EMAIL_ACTIONS } from './email-actions.service';
import type { BatchCounts } from './batches.repository';

// Response views: classes only so that OpenAPI can describe them (the swagger plugin reads the
// `.view.ts` files at `nest build`); the api answers with plain objects of these shapes.

const ACTION_STATUSES: readonly EmailStatus[] = [
  'scheduled',
  'paused',
  'attempting',
  'sent',
  'failed',
  'cancelled',
  'expired',
];

/** Members by status in the read model; `pending`: recorded members it has not shown yet. */
export class BatchCountsView implements BatchCounts {
  readonly scheduled!: number;
  readonly paused!: number;
  readonly attempting!: number;
  readonly sent!: number;
  readonly failed!: number;
  readonly cancelled!: number;
  readonly expired!: number;
  readonly pending!: number;
}

/** An item of `GET /v1/batches`. */
export class BatchSummaryView {
  readonly id!: string;
  /** Admin keys only. */
  readonly tenantId?: string;
  readonly createdAt!: string;
  /** Emails the batch holds. */
  readonly total!: number;
  @ApiProperty({ enum: ['batch', 'import'] })
  readonly source!: 'batch' | 'import';
}

/** `GET /v1/batches/:id`. */
export class BatchView extends BatchSummaryView {
  readonly counts!: BatchCountsView;
}

export class BatchPage {
  @ApiProperty({ type: [BatchSummaryView] })
  readonly items!: readonly BatchSummaryView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  readonly nextCursor!: string | null;
}

/** One email's line: done, or skipped and why (too late, not found). */
export class ActionResultView implements ActionResult {
  readonly emailId!: string;
  @ApiProperty({ enum: ['done', 'skipped'] })
  readonly outcome!: 'done' | 'skipped';
  /** After the action (done) or the status that refused it (skipped); null when not found. */
  @ApiProperty({ enum: ACTION_STATUSES, enumName: 'EmailActionStatus', nullable: true })
  readonly status!: EmailStatus | null;
  readonly reason?: string;
}

/** What a batch or bulk action answers: a line per email it reached, in order. */
export class ActionReportView implements ActionReport {
  /** Set for a batch's action. */
  readonly batchId?: string;
  @ApiProperty({ enum: EMAIL_ACTIONS, enumName: 'EmailAction' })
  readonly action!: EmailAction;
  readonly total!: number;
  readonly done!: number;
  readonly skipped!: number;
  /** Bulk actions only: more emails matched than one call takes (10,000); call again for the rest. */
  @ApiPropertyOptional()
  readonly truncated?: boolean;
  @ApiProperty({ type: [ActionResultView] })
  readonly results!: ActionResultView[];
}
