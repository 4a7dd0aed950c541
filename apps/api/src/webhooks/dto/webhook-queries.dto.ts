import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { TENANT_ID_PATTERN, TENANT_REASON } from '../../auth/principal';
import { DELIVERY_STATUSES, type DeliveryStatus } from '../webhooks.repository';

export const DEFAULT_DELIVERY_PAGE_SIZE = 50;
export const MAX_DELIVERY_PAGE_SIZE = 100;

/** `GET /v1/webhooks`. */
export class ListWebhooksQueryDto {
  /** Admin keys only: another tenant's endpoints (default: the key's own tenant's). */
  @IsOptional()
  @IsString()
  @Matches(TENANT_ID_PATTERN, TENANT_REASON)
  tenantId?: string;
}

/** `GET /v1/webhooks/:id/deliveries`. */
export class ListDeliveriesQueryDto {
  @IsOptional()
  @ApiProperty({ enum: DELIVERY_STATUSES, enumName: 'WebhookDeliveryStatus', required: false })
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  /** The previous page's `nextCursor`. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  /** 1–100, default 50. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_DELIVERY_PAGE_SIZE)
  limit?: number;
}
