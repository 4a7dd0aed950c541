import { ArrayMaxSize, IsArray, IsInt, IsObject, IsOptional, IsString } from 'class-validator';
import { ApiProperty } from '@nestjs/swagger';
import { WEEKDAYS, type AddressInput, type RecipientsInput, type Weekday } from '@app/domain';
import { IsAddressInput, IsRecipients } from './address.validators';

/** Documents the window's shape; its parts are checked by the domain, which names `deliveryWindow.<part>`. */
export class DeliveryWindowDto {
  /** IANA zone the hours are in. */
  timeZone!: string;
  @ApiProperty({ enum: WEEKDAYS, enumName: 'Weekday', isArray: true })
  days!: Weekday[];
  /** "HH:MM", 24 h. */
  start!: string;
  /** "HH:MM"; at or before start, the window crosses midnight. */
  end!: string;
}

/** One file, its bytes in base64 (never a path or URL). */
export class AttachmentDto {
  /** As the recipient sees it: any Unicode, no controls, no / or \\. */
  @IsString()
  filename!: string;

  /** The bytes, base64 (RFC 4648, padding optional). */
  @IsString()
  content!: string;

  /** MIME type; absent: guessed from the file name, else application/octet-stream. */
  @IsOptional()
  @IsString()
  contentType?: string;

  /** Makes it an inline part the html references as `cid:<contentId>`. */
  @IsOptional()
  @IsString()
  contentId?: string;
}

/** A template to render subject, text and html from; the version is pinned when the email is scheduled. */
export class TemplateUseDto {
  @IsString()
  id!: string;

  /** A published version; absent: the latest published one. */
  @IsOptional()
  @IsInt()
  version?: number;

  /** The values the template's `{{ name }}` placeholders take. */
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;
}

/**
 * The shape of a schedule request. Only types are checked here; the domain's rules (address syntax,
 * recipient cap, control characters, sizes, sendAt horizon, time zones, the window's parts, expiresAt)
 * answer with field-named 400s of their own.
 */
export class ScheduleEmailDto {
  @IsAddressInput()
  from!: AddressInput;

  @IsRecipients()
  to!: RecipientsInput;

  @IsOptional()
  @IsRecipients()
  cc?: RecipientsInput;

  @IsOptional()
  @IsRecipients()
  bcc?: RecipientsInput;

  /** Required unless `template` renders it. */
  @IsOptional()
  @IsString()
  subject?: string;

  @IsOptional()
  @IsString()
  text?: string;

  @IsOptional()
  @IsString()
  html?: string;

  /**
   * ISO-8601 with an offset, or without one together with `timeZone` (that wall-clock time there: a time a
   * DST change skips moves forward by the gap, a repeated one is its first occurrence); absent means now.
   */
  @IsOptional()
  @IsString()
  sendAt?: string;

  /** IANA zone, e.g. Europe/Paris: makes an offset-less sendAt (and expiresAt) wall-clock time there. */
  @IsOptional()
  @IsString()
  timeZone?: string;

  /** When it may go out: `{timeZone, days: ["mon", ...], start: "09:00", end: "17:30"}`; due outside, it waits. */
  @IsOptional()
  @IsObject()
  deliveryWindow?: DeliveryWindowDto;

  /** Send-by deadline (same forms as sendAt): not sent by then, the email ends `expired`. */
  @IsOptional()
  @IsString()
  expiresAt?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @IsInt()
  maxAttempts?: number;

  /** Where replies go: one address or a list. */
  @IsOptional()
  @IsRecipients()
  replyTo?: RecipientsInput;

  /** Headers of your own, `{ "X-Campaign": "spring" }`; the ones the service sets are refused. */
  @IsOptional()
  @IsObject()
  headers?: Record<string, string>;

  /** Your own string key/value pairs: never sent, shown in the email, its history and webhooks, filterable. */
  @IsOptional()
  @IsObject()
  metadata?: Record<string, string>;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsObject({ each: true })
  attachments?: AttachmentDto[];

  /** Instead of subject, text and html: a template and its variables. */
  @IsOptional()
  @IsObject()
  template?: TemplateUseDto;
}
