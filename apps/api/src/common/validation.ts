import { BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError as ClassValidatorError } from 'class-validator';
import { parseInstant } from '@app/domain';
import type { FieldIssue } from './field-issue.view';

export type { FieldIssue };

/** class-validator's tree as `{field, reason}` pairs, fields as paths like `to[2]` or `emails[0].subject`. */
export function flattenValidationErrors(
  errors: readonly ClassValidatorError[],
  prefix = '',
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const error of errors) {
    const field = /^\d+$/.test(error.property)
      ? `${prefix}[${error.property}]`
      : prefix
        ? `${prefix}.${error.property}`
        : error.property;
    for (const [constraint, message] of Object.entries(error.constraints ?? {})) {
      issues.push({
        field,
        reason:
          constraint === 'whitelistValidation'
            ? 'is not an accepted field'
            : message.startsWith(`${error.property} `)
              ? message.slice(error.property.length + 1)
              : message,
      });
    }
    issues.push(...flattenValidationErrors(error.children ?? [], field));
  }
  return issues;
}

export function validationFailed(issues: readonly FieldIssue[]): BadRequestException {
  return new BadRequestException({
    message: `invalid input: ${issues.map((issue) => `${issue.field} ${issue.reason}`).join('; ')}`,
    details: issues,
  });
}

export const VALIDATION_OPTIONS = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
} as const;

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    ...VALIDATION_OPTIONS,
    transform: true,
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
}

export const INSTANT_REASON = 'must be an ISO-8601 date-time with a timezone (Z or ±hh:mm)';

/** An optional instant field of a request in epoch ms; a bad one is recorded in `issues`. */
export function optionalInstant(
  text: string | undefined,
  field: string,
  issues: FieldIssue[],
): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseInstant(text);
  if (ms === undefined) issues.push({ field, reason: INSTANT_REASON });
  return ms;
}
