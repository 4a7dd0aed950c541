import { ArrayMaxSize, ArrayMinSize, IsArray } from 'class-validator';

export const MAX_BATCH_SIZE = 1000;

/** Items are validated one by one by the controller, so one bad item cannot sink the others. */
export class BatchScheduleDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_SIZE)
  emails!: unknown[];
}
