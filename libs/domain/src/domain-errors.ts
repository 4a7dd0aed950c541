// The domain speaks in codes, not HTTP statuses: the API's one exception filter owns that mapping, and the
// worker and projector can branch on the same codes.

import type { EmailStatus } from './email-state';
import type { ScheduleStatus } from './schedules/schedule-state';

export type DomainErrorCode = 'validation' | 'illegal-state' | 'not-found' | 'forbidden';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;

  protected constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export interface ValidationIssue {
  /** The input path at fault, e.g. 'to[2]', 'subject', 'sendAt'. */
  readonly field: string;
  readonly reason: string;
}

export class ValidationError extends DomainError {
  readonly code = 'validation';

  constructor(readonly issues: readonly ValidationIssue[]) {
    super(`invalid input: ${issues.map((issue) => `${issue.field} ${issue.reason}`).join('; ')}`);
  }
}

export class IllegalStateError extends DomainError {
  readonly code = 'illegal-state';

  constructor(
    readonly status: EmailStatus | ScheduleStatus,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class NotFoundError extends DomainError {
  readonly code = 'not-found';

  constructor(readonly reason = 'no such email') {
    super(reason);
  }
}

/** The input is well formed but the caller may not do this with it (a `from` outside its sender domains). */
export class ForbiddenError extends DomainError {
  readonly code = 'forbidden';

  constructor(readonly issue: ValidationIssue) {
    super(`forbidden: ${issue.field} ${issue.reason}`);
  }
}
