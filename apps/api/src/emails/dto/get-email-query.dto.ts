import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Max, Min } from 'class-validator';

/** Seconds `GET /v1/emails/:id` waits for `minRevision`/`minPosition` unless `wait` says otherwise. */
export const DEFAULT_WAIT_SECONDS = 5;
export const MAX_WAIT_SECONDS = 30;

export class GetEmailQueryDto {
  /** Read your write: a write's `revision` of this email; the answer reflects at least that revision. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minRevision?: number;

  /**
   * Admins only: `"<commit>/<prepare>"`, as an admin's write answers `position`; also the
   * `X-Min-Position` header.
   */
  @IsOptional()
  @IsString()
  minPosition?: string;

  /** Seconds to wait for minRevision or minPosition, 0–30 (default 5). */
  @IsOptional()
  @Type(() => Number)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(MAX_WAIT_SECONDS)
  wait?: number;
}
