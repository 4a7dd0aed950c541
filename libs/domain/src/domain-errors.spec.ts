import {
  DomainError,
  ForbiddenError,
  IllegalStateError,
  NotFoundError,
  ValidationError,
} from './domain-errors';

describe('domain errors', () => {
  it('a ValidationError carries every issue and says them all', () => {
    const error = new ValidationError([
      { field: 'to[2]', reason: 'must contain "@"' },
      { field: 'subject', reason: 'is required' },
    ]);

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'validation', name: 'ValidationError' });
    expect(error.issues).toHaveLength(2);
    expect(error.message).toBe('invalid input: to[2] must contain "@"; subject is required');
  });

  it('an IllegalStateError carries the status it was refused in and a reason for people', () => {
    const error = new IllegalStateError(
      'attempting',
      'cannot cancel: the email is already being sent',
    );

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'illegal-state',
      name: 'IllegalStateError',
      status: 'attempting',
      reason: 'cannot cancel: the email is already being sent',
      message: 'cannot cancel: the email is already being sent',
    });
  });

  it('a NotFoundError has a code and a default reason', () => {
    const error = new NotFoundError();

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'not-found',
      name: 'NotFoundError',
      message: 'no such email',
    });
  });

  it('a ForbiddenError names the field the caller may not use and why', () => {
    const error = new ForbiddenError({ field: 'from', reason: 'is not yours' });

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'forbidden',
      name: 'ForbiddenError',
      issue: { field: 'from', reason: 'is not yours' },
      message: 'forbidden: from is not yours',
    });
  });

  it('keeps a stack trace for the logs', () => {
    expect(new NotFoundError().stack).toContain('NotFoundError');
  });
});
