import { Type } from 'class-transformer';
import {
  IsDefined,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { ActionRequestDto } from './action-request.dto';

/** Which of the caller's emails a bulk action takes; at least one field (checked by the controller). */
export class BulkFilterDto {
  @IsOptional()
  @IsString()
  @MaxLength(256)
  tag?: string;

  /** The sender's address, any case. */
  @IsOptional()
  @IsString()
  @MaxLength(320)
  from?: string;

  /** Exclusive upper bound on sendAt, ISO-8601 with an offset. */
  @IsOptional()
  @IsString()
  sendBefore?: string;
}

/** `POST /v1/emails/bulk/<action>`. */
export class BulkActionDto extends ActionRequestDto {
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BulkFilterDto)
  filter!: BulkFilterDto;
}
