import { ApiProperty } from '@nestjs/swagger';
import type { EmailWriteResult } from '@app/email-streams';
import { EMAIL_STATUSES } from '../dto/list-emails-query.dto';

/** What every write (schedule, reschedule, cancel) answers: the email as it now stands. */
export class EmailWriteResultView implements Omit<EmailWriteResult, 'position'> {
  readonly id!: string;
  @ApiProperty({ enum: EMAIL_STATUSES, enumName: 'EmailStatus' })
  readonly status!: EmailWriteResult['status'];
  readonly sendAt!: string | null;
  /** The stream revision after the write (the ETag): pass as `minRevision` to read your write. */
  readonly revision!: number;
  /**
   * Admins only: where in the store the write is (`minPosition` waits for it). A sender does not get
   * it: the position counts every tenant's writes.
   */
  readonly position?: string;
}

/** A write's answer as a sender sees it: its own email's revision, not the store-wide position. */
export function toSenderWriteResult(result: EmailWriteResultView): EmailWriteResultView {
  const { id, status, sendAt, revision } = result;
  return { id, status, sendAt, revision };
}
