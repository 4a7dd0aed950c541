import { ApiProperty } from '@nestjs/swagger';
import type { EmailWriteResult } from '@app/email-streams';
import { EMAIL_STATUSES } from '../dto/list-emails-query.dto';

/** What every write (schedule, reschedule, cancel) answers: the email as it now stands. */
export class EmailWriteResultView implements Omit<EmailWriteResult, 'position'> {
  readonly id!: string;
  @ApiProperty({ enum: EMAIL_STATUSES, enumName: 'EmailStatus' })
  readonly status!: EmailWriteResult['status'];
  /** An instant, also when asked as wall-clock time (then `timeZone` and `localSendAt` say how). */
  readonly sendAt!: string | null;
  /** The IANA zone an offset-less sendAt was resolved in. */
  readonly timeZone?: string;
  /** The wall-clock sendAt as asked, in `timeZone`. */
  readonly localSendAt?: string;
  /** The send-by deadline, an instant. */
  readonly expiresAt?: string;
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
  const { id, status, sendAt, timeZone, localSendAt, expiresAt, revision } = result;
  return {
    id,
    status,
    sendAt,
    ...(timeZone === undefined ? {} : { timeZone }),
    ...(localSendAt === undefined ? {} : { localSendAt }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
    revision,
  };
}
