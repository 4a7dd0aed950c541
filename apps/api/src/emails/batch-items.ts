import { HttpStatus } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { ValidationError } from '@app/domain';
import { toErrorBody, type ErrorBody } from '../common/error-body';
import {
  VALIDATION_OPTIONS,
  flattenValidationErrors,
  validationFailed,
} from '../common/validation';
import type { ScheduleOutcome } from './commands/email-scheduling';
import { ScheduleEmailDto } from './dto/schedule-email.dto';

/** One item's answer in `POST /v1/emails/batch`, in request order. */
export interface BatchItemResult {
  readonly index: number;
  readonly status: number;
  readonly id?: string;
  readonly revision?: number;
  readonly sendAt?: string | null;
  readonly error?: ErrorBody;
}

/** A batch item through the same validation as a single request's body. */
export async function validateBatchItem(
  item: unknown,
  index: number,
): Promise<{ dto: ScheduleEmailDto } | { error: ErrorBody }> {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return {
      error: toErrorBody(
        new ValidationError([{ field: `emails[${index}]`, reason: 'must be an object' }]),
      ),
    };
  }
  const dto = plainToInstance(ScheduleEmailDto, item);
  const errors = await validate(dto, VALIDATION_OPTIONS);
  if (errors.length > 0) {
    return { error: toErrorBody(validationFailed(flattenValidationErrors(errors))) };
  }
  return { dto };
}

/** A scheduled item's outcome as its answer; a server-side failure fails the whole request. */
export function batchResult(index: number, outcome: ScheduleOutcome | undefined): BatchItemResult {
  if (outcome === undefined) throw new Error(`no outcome for batch item ${index}`);
  if (outcome instanceof Error) {
    const error = toErrorBody(outcome);
    if (error.statusCode >= 500) throw outcome;
    return { index, status: error.statusCode, error };
  }
  return {
    index,
    status: outcome.created ? HttpStatus.CREATED : HttpStatus.OK,
    id: outcome.id,
    revision: outcome.revision,
    sendAt: outcome.sendAt,
  };
}
