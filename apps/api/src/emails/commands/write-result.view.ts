import { ApiProperty } from '@nestjs/swagger';
import type { EmailWriteResult } from '@app/email-streams';
import { EMAIL_STATUSES } from '../dto/list-emails-query.dto';

/** What every write (schedule, reschedule, cancel) answers: the email as it now stands. */
export class EmailWriteResultView implements EmailWriteResult {
  readonly id!: string;
  @ApiProperty({ enum: EMAIL_STATUSES, enumName: 'EmailStatus' })
  readonly status!: EmailWriteResult['status'];
  readonly sendAt!: string | null;
  /** The stream revision after the write (the ETag). */
  readonly revision!: number;
  /** Where in the store the write is: pass as `minPosition` to read your write. */
  readonly position!: string;
}
