import { Type } from 'class-transformer';
import { IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';

/** Seconds `GET /v1/emails/:id` waits for `minPosition` unless `wait` says otherwise. */
export const DEFAULT_WAIT_SECONDS = 5;
export const MAX_WAIT_SECONDS = 30;

export class GetEmailQueryDto {
  /** `"<commit>/<prepare>"`, as a write's response `position`; also the `X-Min-Position` header. */
  @IsOptional()
  @IsString()
  minPosition?: string;

  /** Seconds to wait for minPosition, 0–30 (default 5). */
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_WAIT_SECONDS)
  wait?: number;
}
