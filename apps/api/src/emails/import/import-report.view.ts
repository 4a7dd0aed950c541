import { ApiPropertyOptional } from '@nestjs/swagger';
import { FieldIssue } from '../../common/field-issue.view';

/**
 * A rejected data row; `row` is the 1-based data row number (the header row is not counted). `status`
 * is 400 for a row with mistakes, 403 for a `from` outside the tenant's sender domains.
 */
export class ImportRowResult {
  readonly row!: number;
  readonly status!: number;
  readonly id?: string;
  @ApiPropertyOptional({ type: [FieldIssue] })
  readonly errors?: readonly FieldIssue[];
}

/** An accepted data row and the id of the email it scheduled. */
export class ImportedRow {
  readonly row!: number;
  readonly id!: string;
}

/**
 * `POST /v1/emails/import`. `rows` lists only the rejected rows (their status and reasons); the
 * accepted ones are in `ids`, in row order, so a 100,000-row answer stays a few MB rather than one
 * object per row.
 */
export class ImportReport {
  /** The import's batch (GET /v1/batches/:id): every accepted row's email is in it. */
  readonly batchId!: string;
  accepted!: number;
  rejected!: number;
  readonly rows!: ImportRowResult[];
  readonly ids!: ImportedRow[];
}
