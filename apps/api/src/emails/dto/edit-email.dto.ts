import { ArrayMaxSize, IsArray, IsObject, IsOptional, IsString } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { RecipientsInput } from '@app/domain';
import { IsRecipients } from './address.validators';
import { AttachmentDto } from './schedule-email.dto';

/** New variables for the template the email was rendered from, at the version it pinned. */
export class TemplateVariablesDto {
  @IsObject()
  variables!: Record<string, unknown>;
}

/**
 * PATCH /v1/emails/:id, a JSON merge patch: an absent field stays as it is, `null` removes an optional part
 * (cc, bcc, replyTo, text, html, headers, metadata, attachments). `sendAt` (and `timeZone`) move the email; the other
 * fields change what it says. Only types are checked here; the domain holds the edited email to the rules it
 * was scheduled under, naming each bad field.
 */
export class EditEmailDto {
  /** ISO-8601 with an offset, or without one: wall-clock time in `timeZone`, else in the email's own zone. */
  @IsOptional()
  @IsString()
  sendAt?: string;

  /** IANA zone for an offset-less sendAt; the email keeps the zone it was scheduled with. */
  @IsOptional()
  @IsString()
  timeZone?: string;

  @IsOptional()
  @IsRecipients()
  to?: RecipientsInput;

  @ApiProperty({ nullable: true, required: false })
  @IsOptional()
  @IsRecipients()
  cc?: RecipientsInput | null;

  @ApiProperty({ nullable: true, required: false })
  @IsOptional()
  @IsRecipients()
  bcc?: RecipientsInput | null;

  @ApiProperty({ nullable: true, required: false })
  @IsOptional()
  @IsRecipients()
  replyTo?: RecipientsInput | null;

  @IsOptional()
  @IsString()
  subject?: string;

  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsString()
  text?: string | null;

  @ApiProperty({ type: String, nullable: true, required: false })
  @IsOptional()
  @IsString()
  html?: string | null;

  /** Replaces every header of your own: `{ "X-Campaign": "summer" }`. */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
  })
  @IsOptional()
  @IsObject()
  headers?: Record<string, string> | null;

  /** Replaces the metadata as a whole. */
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    nullable: true,
  })
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string> | null;

  /** Replaces every attachment (base64 as when scheduling); null or [] removes them. */
  @ApiProperty({ type: [AttachmentDto], nullable: true, required: false })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  attachments?: AttachmentDto[] | null;

  /** Re-renders subject, text and html from the email's pinned template version with these variables. */
  @IsOptional()
  @IsObject()
  template?: TemplateVariablesDto;
}
