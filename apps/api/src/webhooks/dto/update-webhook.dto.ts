import { IsBoolean, ValidateIf } from 'class-validator';
import { webhookDescription, webhookEvents, webhookUrl } from './create-webhook.dto';

/** Absent: unchanged. Present, even null, it is checked (IsOptional would let a null through). */
const unlessAbsent = (): PropertyDecorator =>
  ValidateIf((_dto: unknown, value: unknown) => value !== undefined);

/** `PATCH /v1/webhooks/:id`: the fields given change, the others stay; `description: null` clears it. */
export class UpdateWebhookDto {
  @unlessAbsent()
  @webhookUrl()
  url?: string;

  @unlessAbsent()
  @webhookEvents()
  events?: string[];

  @webhookDescription()
  description?: string | null;

  /** `true` re-enables a disabled endpoint: its reason and failing run are cleared, its deliveries resume. */
  @unlessAbsent()
  @IsBoolean()
  enabled?: boolean;
}
