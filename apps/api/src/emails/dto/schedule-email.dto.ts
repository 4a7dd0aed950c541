import { ArrayMaxSize, IsArray, IsInt, IsOptional, IsString } from 'class-validator';
import type { AddressInput, RecipientsInput } from '@app/domain';
import { IsAddressInput, IsRecipients } from './address.validators';

/**
 * The shape of a schedule request. Only types are checked here; the domain's rules (address syntax,
 * recipient cap, control characters, sizes, sendAt horizon) answer with field-named 400s of their own.
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

  @IsString()
  subject!: string;

  @IsOptional()
  @IsString()
  text?: string;

  @IsOptional()
  @IsString()
  html?: string;

  /** ISO-8601 with an offset; absent means now. */
  @IsOptional()
  @IsString()
  sendAt?: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  tags?: string[];

  @IsOptional()
  @IsInt()
  maxAttempts?: number;
}
