import { IsString, ValidateIf } from 'class-validator';

/** `POST /v1/webhooks/:id/replay`. Instants are checked (ISO-8601 with an offset) by the controller. */
export class ReplayWebhookDto {
  /** The first instant whose events are sent again (inclusive). */
  @IsString()
  since!: string;

  /** The last instant (inclusive); default now. At most 31 days after `since`, never in the future. */
  @ValidateIf((_dto: unknown, value: unknown) => value !== undefined)
  @IsString()
  until?: string;
}
