import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  ValidateNested,
} from 'class-validator';
import type { AddressInput, RecipientsInput } from '@app/domain';
import { IsAddressInput, IsRecipients } from '../../emails/dto/address.validators';

/** The email each occurrence becomes. Types only here; the email's own rules answer as `email.<field>`. */
export class ScheduleEmailTemplateDto {
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

  @IsString()
  subject!: string;

  @IsOptional()
  @IsString()
  text?: string;

  @IsOptional()
  @IsString()
  html?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @IsInt()
  maxAttempts?: number;

  /** `{timeZone, days, start, end}`, checked by the domain. */
  @IsOptional()
  @IsObject()
  deliveryWindow?: Record<string, unknown>;

  /** ISO-8601 duration (PT2H): each occurrence's expiresAt is the occurrence plus it. */
  @IsOptional()
  @IsString()
  expiresAfter?: string;
}

/**
 * POST /v1/schedules. Exactly one of `rrule` (an RRULE without DTSTART, e.g.
 * `FREQ=WEEKLY;BYDAY=MO,WE;BYHOUR=9;BYMINUTE=0`) and `cron` (5 or 6 fields), both read as wall-clock time
 * in `timeZone`.
 */
export class CreateScheduleDto {
  @IsOptional()
  @IsString()
  rrule?: string;

  @IsOptional()
  @IsString()
  cron?: string;

  /** IANA zone name. */
  @IsString()
  timeZone!: string;

  /** A wall-clock time in timeZone (2027-01-04T09:00) or an instant with an offset. */
  @IsString()
  startAt!: string;

  @IsOptional()
  @IsString()
  until?: string;

  /** What happens to occurrences missed while nothing ran: 'skip' (default) or 'all'. */
  @IsOptional()
  @IsIn(['skip', 'all'])
  catchUp?: 'skip' | 'all';

  @IsObject()
  @ValidateNested()
  @Type(() => ScheduleEmailTemplateDto)
  email!: ScheduleEmailTemplateDto;
}
