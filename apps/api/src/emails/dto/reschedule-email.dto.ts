import { IsString } from 'class-validator';

export class RescheduleEmailDto {
  /** ISO-8601 with an offset. */
  @IsString()
  sendAt!: string;
}
