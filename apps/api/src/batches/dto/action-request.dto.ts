import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_CANCEL_REASON_LENGTH } from '@app/domain';

/** `POST /v1/batches/:id/<action>`, `POST /v1/emails/:id/pause|retry`: the owner's optional reason. */
export class ActionRequestDto {
  /** Recorded in each email's history (cancel, pause, retry); resume takes none. */
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CANCEL_REASON_LENGTH)
  reason?: string;
}
