import { IsOptional, IsString } from 'class-validator';

export class RescheduleEmailDto {
  /** ISO-8601 with an offset, or without one: wall-clock time in `timeZone`, else in the email's own zone. */
  @IsString()
  sendAt!: string;

  /** IANA zone for an offset-less sendAt; the email keeps the zone it was scheduled with. */
  @IsOptional()
  @IsString()
  timeZone?: string;
}
