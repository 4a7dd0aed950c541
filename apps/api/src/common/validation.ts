import { BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError as ClassValidatorError } from 'class-validator';

export interface FieldIssue {
  readonly field: string;
  readonly reason: string;
}

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
