import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_CANCEL_REASON_LENGTH } from '@app/domain';

/** `POST /v1/batches/:id/<action>`, `POST /v1/emails/:id/pause|retry`: the owner's optional reason. */
export class ActionRequestDto {
  /** Recorded in each email's history (cancel, pause, retry); resume takes none. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CANCEL_REASON_LENGTH)
  reason?: string;
}

/** `POST /v1/emails/:id/retry`: one email may be retried knowingly after an attempt in doubt. */
export class RetryRequestDto extends ActionRequestDto {
  /**
   * Required (true) to retry an email that failed in doubt: its last attempt may have reached the recipient,
   * so a retry may deliver it twice. Batch and filter retries never do it: they skip such emails.
   */
  @IsOptional()
  @IsBoolean()
  resendInDoubt?: boolean;
}
