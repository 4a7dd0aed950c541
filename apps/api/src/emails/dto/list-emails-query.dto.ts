import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { MAX_METADATA_KEY_LENGTH, MAX_METADATA_VALUE_LENGTH } from '@app/domain';
import type { EmailRowStatus } from '@app/read-model';
import { TENANT_ID_PATTERN, TENANT_REASON } from '../../auth/principal';

// A record, so that a status the domain adds fails to compile here until it is listed.
const STATUSES: { readonly [Status in EmailRowStatus]: Status } = {
  scheduled: 'scheduled',
  paused: 'paused',
  attempting: 'attempting',
  sent: 'sent',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
};
export const EMAIL_STATUSES: readonly EmailRowStatus[] = Object.freeze(Object.values(STATUSES));
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 500;
const MAX_METADATA_FILTERS = 10;

/** `GET /v1/admin/emails`. Instants are checked (ISO-8601 with an offset) by the controller. */
export class ListEmailsQueryDto {
  /** Admin keys see every tenant; this narrows to one. */
  @IsOptional()
  @Matches(TENANT_ID_PATTERN, TENANT_REASON)
  tenant?: string;

  @IsOptional()
  @IsIn(EMAIL_STATUSES)
  status?: EmailRowStatus;

  /** The sender's address, any case. */
  @IsOptional()
  @IsString()
  @MaxLength(320)
  from?: string;

  /** Any to, cc or bcc address, any case. */
  @IsOptional()
  @IsString()
  @MaxLength(320)
  to?: string;

  @IsOptional()
  @IsString()
  @MaxLength(256)
  tag?: string;

  /** The batch (POST /v1/emails/batch, a CSV import) the emails came in with. */
  @IsOptional()
  @IsUUID()
  batchId?: string;

  /** The recurring schedule whose occurrences they are. */
  @IsOptional()
  @IsUUID()
  scheduleId?: string;

  /** `key:value`, repeatable: emails whose metadata holds every pair given. */
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  // One `?metadata=` arrives as a string, several as a list.
  @Transform(({ value }: { value: unknown }): unknown[] =>
    Array.isArray(value) ? (value as unknown[]) : [value],
  )
  @IsArray()
  @ArrayMaxSize(MAX_METADATA_FILTERS)
  @IsString({ each: true })
  @MaxLength(MAX_METADATA_KEY_LENGTH + 1 + MAX_METADATA_VALUE_LENGTH, { each: true })
  metadata?: string[];

  /** Inclusive lower bound on sendAt. */
  @IsOptional()
  @IsString()
  sendAfter?: string;

  /** Exclusive upper bound on sendAt. */
  @IsOptional()
  @IsString()
  sendBefore?: string;

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

/** `GET /v1/emails`: the admin list's filters, always within the caller's tenant. */
export class TenantListEmailsQueryDto extends OmitType(ListEmailsQueryDto, ['tenant'] as const) {}
