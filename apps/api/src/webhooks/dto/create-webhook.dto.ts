import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { ALL_WEBHOOK_EVENTS, WEBHOOK_EVENT_TYPES } from '@app/webhooks';
import { TENANT_ID_PATTERN, TENANT_REASON } from '../../auth/principal';

export const MAX_URL_LENGTH = 2048;
export const MAX_EVENTS = 20;
export const MAX_DESCRIPTION_LENGTH = 500;
/** What `events` may hold: the documented types, or `*` for every one. */
export const SUBSCRIBABLE_EVENTS: readonly string[] = [...WEBHOOK_EVENT_TYPES, ALL_WEBHOOK_EVENTS];

/** `url`, `events` and `description` as both POST and PATCH check them. */
export const webhookUrl = (): PropertyDecorator => {
  const decorators = [IsString(), MaxLength(MAX_URL_LENGTH)];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

export const webhookEvents = (): PropertyDecorator => {
  const decorators = [
    ApiProperty({
      enum: SUBSCRIBABLE_EVENTS,
      enumName: 'WebhookEventSubscription',
      isArray: true,
      minItems: 1,
      maxItems: MAX_EVENTS,
    }),
    IsArray(),
    ArrayNotEmpty(),
    ArrayMaxSize(MAX_EVENTS),
    ArrayUnique(),
    IsIn(SUBSCRIBABLE_EVENTS, { each: true }),
  ];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

export const webhookDescription = (): PropertyDecorator => {
  const decorators = [IsOptional(), IsString(), MaxLength(MAX_DESCRIPTION_LENGTH)];
  return (target, key) => decorators.forEach((d) => d(target, key));
};

/** `POST /v1/webhooks`. */
export class CreateWebhookDto {
  /**
   * Where deliveries are POSTed: http(s), at most 2048 characters, no user name or password. Its host must
   * resolve to public addresses only (unless WEBHOOKS_ALLOW_PRIVATE_NETWORKS).
   */
  @webhookUrl()
  url!: string;

  /** Webhook event types, or `*` for every one, present and future; 1–20, no repeats. */
  @webhookEvents()
  events!: string[];

  @webhookDescription()
  description?: string | null;

  /** Admin keys only: the tenant whose events it receives (default: the key's own). */
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
  @IsString()
  @Matches(TENANT_ID_PATTERN, TENANT_REASON)
  tenantId?: string;
}
