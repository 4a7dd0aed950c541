import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { TENANT_ID_PATTERN, TENANT_REASON } from '../../auth/principal';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../emails/dto/list-emails-query.dto';

export { DEFAULT_PAGE_SIZE };

/** `GET /v1/batches`. */
export class ListBatchesQueryDto {
  /** Admin keys only: another tenant's batches (a sender key lists its own tenant's). */
  @IsOptional()
  @Matches(TENANT_ID_PATTERN, TENANT_REASON)
  tenantId?: string;

  /** The previous page's `nextCursor`. */
  @IsOptional()
  @IsString()
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}
