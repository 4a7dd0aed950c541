import { IsBoolean, IsOptional } from 'class-validator';
import { webhookDescription, webhookEvents, webhookUrl } from './create-webhook.dto';

/** `PATCH /v1/webhooks/:id`: the fields given change, the others stay; `description: null` clears it. */
export class UpdateWebhookDto {
  @IsOptional()
  @webhookUrl()
  url?: string;

  @IsOptional()
  @webhookEvents()
  events?: string[];

  @webhookDescription()
  description?: string | null;

  /** `true` re-enables a disabled endpoint: its reason and failing run are cleared, its deliveries resume. */
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}
